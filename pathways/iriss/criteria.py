"""Each criterion in plain words, for people who read the checks: pages show these sentences,
never the codes (the codes are for docs/iriss.md and the JSON)."""

from __future__ import annotations

__all__ = ["DESCRIPTIONS", "describe"]

DESCRIPTIONS = {
    # a route and the person's plan
    "REC1.a3": "A way on without line management",
    "REC1.a4": "A mix of academic, training, developmental and work-based learning",
    "REC1.a5": "Support at every step",
    "REC1.a6": "Steps that carry over if you change employer",
    "REC2.a1": "Social-work-specific development at every step",
    "REC2.a2": "Training exists for every role on the route",
    "REC2.a3": "Both topic-specific and leadership-skill development",
    "REC2.a4": "Leadership development at every step, not bunched at one",
    "REC3.a1": "Mentoring or peer support at every step",
    "REC3.a2": "Supervision that covers support at every step",
    "REC3.a3": "A follow-up in practice for every formal course",
    "REC3.a4": "A network or community of practice",
    "REC3.a5": "A practice educator or mentor in the first year",
    "REC4.a1": "Experience in at least two service areas before senior posts",
    "REC4.a2": "Experience or an induction in the service area of a first management post",
    "REC4.a3": "Protected time for a small caseload in senior posts",
    "REC4.a4": "Preparation for the CSWO's statutory duties, and an induction",
    "REC4.a5": "An induction into every management post",
    "REC5.a1": "Protected time for reflection at every step",
    "REC5.a2": "A chance to represent the profession at senior steps",
    "REC5.a4": "Development that fits the hours already worked",
    "REC6.a1": "At least half the items from a national offer",
    "REC6.a2": "Evidence use or improvement work",
    "REC6.a3": "Learning embedded in practice at every step",
    "REC7.a1": "Leadership content while studying and in the first year",
    "REC7.a2": "Confidence in stating the social work contribution",
    "REC7.a3": "A chance to lead without a formal post",
    "REC7.a4": "Leadership shown without a post is recorded",
    # a framework, its catalogue and the organisation's answers
    "REC1.b1": "A role at every stage from student to CSWO",
    "REC1.b2": "A non-management role above practitioner",
    "REC1.b3": "Supports listed on every move, each marked mandatory, entitlement or optional",
    "REC1.b4": "Aligned to a national framework",
    "REC1.b5": "The pathway is published to all staff",
    "REC2.b1": "A social-work-specific course or qualification for every role",
    "REC2.b2": "At least half the courses are social-work specific",
    "REC2.b4": "Training at both local and national level",
    "REC2.b5": "Every course is folded into practice",
    "REC2.b6": "Learning on legal duties and on the social work contribution for new managers",
    "REC3.b1": "A mentoring model and a peer-support model",
    "REC3.b2": "Supervision that covers support for every qualified role",
    "REC3.b3": "Local and national networks",
    "REC3.b4": "Time for leadership learning within workload",
    "REC3.b5": "No team where newly qualified social workers lack a senior colleague",
    "REC4.b1": "Protected caseload time in senior posts",
    "REC4.b2": "A secondment scheme across service areas",
    "REC4.b3": "Preparation for the CSWO's statutory duties",
    "REC4.b4": "Induction for every management and senior post",
    "REC4.b5": "Social work represented above team leader level in integrated teams",
    "REC5.b1": "Social work leaders sit on governance structures",
    "REC5.b2": "The CSWO is fully involved in setting the budget",
    "REC5.b3": "Structured, protected time with the chief executive",
    "REC5.b4": "Protected reflection time and workload measures",
    "REC5.b5": "Senior social workers are invited to represent the profession",
    "REC6.b1": "A dedicated learning and development function for social work",
    "REC6.b2": "At least half the items are part of a national offer",
    "REC6.b3": "Improvement capacity in teams",
    "REC6.b4": "At least half the learning delivered alongside practice",
    "REC6.b5": "Research roles and evidence-use learning",
    "REC7.b1": "A published statement of the value of social work",
    "REC7.b2": "Leadership in student and first-year learning",
    "REC7.b3": "Non-management and specialist roles are recognised",
    "REC7.b4": "Leadership capabilities asked of every role",
}


def describe(code: str) -> str:
    """The criterion in plain words (the code itself only if it has none, which a test
    forbids for every criterion the checks produce)."""
    return DESCRIPTIONS.get(code, code)
