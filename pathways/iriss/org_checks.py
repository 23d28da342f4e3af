"""Iriss checks on a framework and its training catalogue (criteria ``REC*.b*``)."""

from __future__ import annotations

from collections.abc import Iterable

from pathways.iriss.base import Criterion, IrissResult, summarise
from pathways.model import Framework, TrainingItem

__all__ = ["audit_framework", "SW_SHARE", "NATIONAL_SHARE"]

SW_SHARE = 0.5  # REC2.b2: share of courses and qualifications that are social-work specific
NATIONAL_SHARE = 0.5  # REC6.b2
SENIOR_STAGE = 5
COURSE_KINDS = {"training", "academic"}


def _names(items) -> str:
    return ", ".join(items)


def _covers_roles(fw, items: list[TrainingItem], roles: list[str]) -> list[str]:
    """Roles (titles) not covered by any of ``items``."""
    covered = {r for i in items for r in i.roles}
    return [fw.roles[r].title for r in roles if r not in covered]


def _rec1(fw: Framework, items) -> IrissResult:
    stages = {r.stage for r in fw.roles.values()}
    missing = [title for stage, title in fw.stages if stage not in stages]
    criteria = [
        Criterion(
            "REC1.b1",
            not missing,
            "Every stage from student to CSWO has a role."
            if not missing
            else f"No role defined for the stage(s): {_names(missing)}.",
            "Define a role for each stage from student to CSWO.",
        )
    ]
    non_mgmt = [r.title for r in fw.roles.values() if not r.positional and r.stage >= 3]
    criteria.append(
        Criterion(
            "REC1.b2",
            bool(non_mgmt),
            f"Non-management roles above practitioner: {_names(non_mgmt)}."
            if non_mgmt
            else "No non-management role above practitioner grade.",
            "Add senior practitioner, expert/advisory or research-practitioner roles.",
        )
    )
    unsupported = [
        f"{fw.roles[t.source].title} to {fw.roles[t.target].title}"
        for t in fw.transitions
        if not t.supports
    ]
    criteria.append(
        Criterion(
            "REC1.b3",
            not unsupported,
            "Every transition lists its supports, each flagged mandatory, entitlement or optional."
            if not unsupported
            else f"Transitions with no supports: {_names(unsupported)}.",
            "Attach at least one support to every transition.",
        )
    )
    criteria.append(
        Criterion(
            "REC1.b4",
            bool(fw.national_framework_ref),
            f"Aligned to: {fw.national_framework_ref}."
            if fw.national_framework_ref
            else "The framework records no national framework it aligns to.",
            "Record the national framework this one aligns to.",
        )
    )
    return summarise(1, criteria)


def _rec2(fw: Framework, items) -> IrissResult:
    courses = [i for i in items if i.kind in COURSE_KINDS]
    sw_courses = [i for i in courses if i.sw_specific]
    gap_roles = [r.title for r in fw.roles.values() if r.training_gap]
    uncovered = _covers_roles(fw, sw_courses, list(fw.roles))
    criteria = [
        Criterion(
            "REC2.b1",
            not uncovered,
            "Every role has a social-work-specific course or qualification."
            if not uncovered
            else f"No social-work-specific course or qualification for: {_names(uncovered)}."
            + (f" The sources name this gap for {_names(gap_roles)}." if gap_roles else ""),
            f"Commission social-work-specific leadership training, starting with {(gap_roles or uncovered)[0]}."
            if uncovered
            else "",
        )
    ]
    share = len(sw_courses) / len(courses) if courses else 0.0
    criteria.append(
        Criterion(
            "REC2.b2",
            share >= SW_SHARE if share else False,
            f"{len(sw_courses)} of {len(courses)} courses and qualifications are social-work specific; generic: "
            f"{_names(i.title for i in courses if not i.sw_specific) or 'none'}.",
            "Replace or supplement generic leadership courses with social-work-specific ones.",
        )
    )
    scopes = {i.scope for i in items}
    criteria.append(
        Criterion(
            "REC2.b4",
            scopes >= {"local", "national"},
            f"Offer levels present: {', '.join(sorted(scopes)) or 'none'}.",
            "Offer training at both local and national level.",
        )
    )
    detached = [i.title for i in courses if not i.embedded]
    criteria.append(
        Criterion(
            "REC2.b5",
            not detached,
            "Every course is folded into practice."
            if not detached
            else f"Courses with no practice-embedding component: {_names(detached)}.",
            "Pair each course with supervision follow-up or a work-based task.",
        )
    )
    return summarise(2, criteria)


def _rec3(fw: Framework, items) -> IrissResult:
    mentoring = [i.title for i in items if i.mode in {"mentoring", "coaching"}]
    peer = [i.title for i in items if i.mode in {"peer_support", "network"}]
    criteria = [
        Criterion(
            "REC3.b1",
            bool(mentoring and peer),
            f"Mentoring: {_names(mentoring) or 'none'}. Peer support: {_names(peer) or 'none'}.",
            "Define both a mentoring model and a peer-support model.",
        )
    ]
    supervision = [i for i in items if i.mode == "supervision"]
    qualified = [s for s, r in fw.roles.items() if r.stage >= 1]
    unsupervised = _covers_roles(fw, supervision, qualified)
    criteria.append(
        Criterion(
            "REC3.b2",
            bool(supervision) and not unsupervised,
            "Supportive supervision covers every qualified role, senior ones included."
            if supervision and not unsupervised
            else f"No supportive supervision for: {_names(unsupervised)}.",
            "Extend reflective supervision to every role, including senior ones.",
        )
    )
    networks = {i.scope for i in items if i.mode == "network"}
    criteria.append(
        Criterion(
            "REC3.b3",
            networks >= {"local", "national"},
            f"Networks: {', '.join(sorted(networks)) or 'none'}.",
            "Take part in national networks and run local ones.",
        )
    )
    return summarise(3, criteria)


def _rec4(fw: Framework, items) -> IrissResult:
    senior = [s for s, r in fw.roles.items() if r.positional and r.stage >= SENIOR_STAGE]
    caseload = [i for i in items if i.mode == "caseload"]
    no_caseload = _covers_roles(fw, caseload, senior)
    criteria = [
        Criterion(
            "REC4.b1",
            bool(senior) and not no_caseload,
            "Senior posts include protected caseload time."
            if not no_caseload
            else f"No protected caseload time for: {_names(no_caseload)}.",
            "Build protected caseload time into senior role profiles.",
        )
    ]
    secondments = [i for i in items if i.mode == "secondment"]
    criteria.append(
        Criterion(
            "REC4.b2",
            bool(secondments),
            f"Cross-service secondment: {_names(i.title for i in secondments)}."
            if secondments
            else "No cross-service rotation or secondment scheme.",
            "Set up secondments across service areas for emerging senior leaders.",
        )
    )
    top = [r for r in fw.roles.values() if r.stage == max(s for s, _ in fw.stages)]
    checklist = [i for i in items if i.mode == "checklist"]
    ok = bool(top) and all(r.duties for r in top) and bool(checklist)
    criteria.append(
        Criterion(
            "REC4.b3",
            ok,
            "The CSWO role has a duty checklist and a preparation item."
            if ok
            else "The CSWO role lacks a duty checklist or a preparation item.",
            "List the CSWO's statutory duties and add a familiarisation item.",
        )
    )
    positional = [s for s, r in fw.roles.items() if r.positional and r.stage >= 4]
    inductions = [i for i in items if i.mode == "induction"]
    no_induction = _covers_roles(fw, inductions, positional)
    criteria.append(
        Criterion(
            "REC4.b4",
            not no_induction,
            "Induction plans cover every management and senior post."
            if not no_induction
            else f"No induction plan for: {_names(no_induction)}.",
            "Define a structured induction (one year for senior posts).",
        )
    )
    return summarise(4, criteria)


def _rec5(fw: Framework, items) -> IrissResult:
    reflection = [i for i in items if i.mode == "reflection_time"]
    qualified = [s for s, r in fw.roles.items() if r.stage >= 1]
    no_time = _covers_roles(fw, reflection, qualified)
    criteria = [
        Criterion(
            "REC5.b4",
            bool(reflection) and not no_time,
            "Protected reflection time covers every qualified role."
            if reflection and not no_time
            else f"No protected reflection time for: {_names(no_time)}.",
            "Adopt a protected reflection time policy for all staff.",
        ),
        Criterion(
            "REC5.b1",
            None,
            "Seats on governance structures, budget involvement and access to the chief "
            "executive are not recorded in a framework, so Pathways cannot check them.",
        ),
    ]
    return summarise(5, criteria)


def _rec6(fw: Framework, items) -> IrissResult:
    national = [i for i in items if i.scope == "national"]
    share = len(national) / len(items) if items else 0.0
    criteria = [
        Criterion(
            "REC6.b2",
            share >= NATIONAL_SHARE,
            f"{len(national)} of {len(items)} items are part of a national offer.",
            "Link local training to national bodies and programmes.",
        )
    ]
    research_roles = [
        r.title
        for r in fw.roles.values()
        if not r.positional and r.required.get("research_evidence", 0) >= 4
    ]
    evidence = [i.title for i in items if "research_evidence" in i.capabilities]
    criteria.append(
        Criterion(
            "REC6.b5",
            bool(research_roles and evidence),
            f"Research roles: {_names(research_roles) or 'none'}; evidence items: "
            f"{_names(evidence) or 'none'}.",
            "Create research-practitioner posts and evidence-use training.",
        )
    )
    criteria.append(
        Criterion(
            "REC6.b1",
            None,
            "Whether a dedicated social work L&D function exists is not recorded in a "
            "framework (57% of CSWOs reported none in 2021).",
        )
    )
    return summarise(6, criteria)


def _rec7(fw: Framework, items) -> IrissResult:
    recognised = [
        r.title
        for r in fw.roles.values()
        if not r.positional and r.stage >= 3 and r.track in {"expert", "specialist", "education"}
    ]
    criteria = [
        Criterion(
            "REC7.b3",
            bool(recognised),
            f"Recognised non-positional roles: {_names(recognised)}."
            if recognised
            else "No recognised non-positional or specialist roles.",
            "Recognise specialisms and non-positional leadership in the framework.",
        )
    ]
    leadership = {s for s, c in fw.capabilities.items() if c.group == "leadership"}
    without = [r.title for r in fw.roles.values() if not leadership & set(r.required)]
    criteria.append(
        Criterion(
            "REC7.b4",
            not without,
            "Leadership capabilities are required at every level."
            if not without
            else f"No leadership capability required for: {_names(without)}.",
            "Apply the SSSC leadership capabilities at every level.",
        )
    )
    early = [
        i
        for i in items
        if set(i.roles) & {s for s, r in fw.roles.items() if r.stage <= 1}
        and "self_leadership" in i.capabilities
    ]
    criteria.append(
        Criterion(
            "REC7.b2",
            bool(early),
            "Student and first-year items cover leadership: "
            + (_names(i.title for i in early) or "none")
            + ".",
            "Cover professional leadership and the CSWO role in placements and induction.",
        )
    )
    return summarise(7, criteria)


def audit_framework(
    framework: Framework, catalogue: Iterable[TrainingItem] | None = None
) -> list[IrissResult]:
    """The seven Iriss checks on a framework and a catalogue (the framework's own by default).

    >>> from pathways.loader import default_framework
    >>> [r.status for r in audit_framework(default_framework())][1]
    'partial'
    """
    items = list(catalogue) if catalogue is not None else list(framework.training.values())
    return [check(framework, items) for check in (_rec1, _rec2, _rec3, _rec4, _rec5, _rec6, _rec7)]
