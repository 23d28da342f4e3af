"""The shipped Scottish framework: complete, sourced and faithful to the seeds."""

from __future__ import annotations

import yaml

from pathways.loader import default_framework_path
from tests.seeds import normalise, seed_texts

REQUIRED_ROLES = {
    "student",
    "nqsw",
    "social_worker",
    "senior_social_worker",
    "senior_practitioner",
    "practice_educator",
    "mental_health_officer",
    "advanced_practitioner",
    "consultant_social_worker",
    "research_practitioner",
    "team_manager",
    "service_manager",
    "head_of_service",
    "cswo",
}

SSSC = {  # SSSC (2017) Leadership Capabilities, as in Iriss Table 2
    "Vision": [
        "Seeing how best to make a difference",
        "Communicating and promoting ownership of the vision",
        "Promoting a public service ethos",
        "Thinking and planning strategically",
    ],
    "Creativity and Innovation": [
        "Seeing opportunities to do things differently",
        "Promoting creativity and innovation",
        "Leading and managing change",
    ],
    "Self Leadership": [
        "Demonstrating and adapting leadership",
        "Improving own leadership",
        "Enabling intelligent risk-taking",
        "Demonstrating and promoting resilience",
        "Challenging discrimination and oppression",
    ],
    "Collaborating and Influencing": [
        "Leading partnership working",
        "Influencing people",
        "Understanding and valuing the perspectives of others",
    ],
    "Motivating and Inspiring": [
        "Inspiring people by personal example",
        "Recognising and valuing the contribution of others",
        "Driving the creation of a learning and performance culture",
    ],
    "Empowering": [
        "Enabling leadership at all levels",
        "Driving a knowledge management culture",
        "Promoting professional autonomy",
        "Involving people in development and improvement",
    ],
}

# Every Scottish programme and qualification the seeds name (REFERENCE.md 5.1 and 5.2).
SCOTTISH_PROGRAMMES = [
    "Leading to Change",
    "Leading for the Future",
    "Step into Leadership",
    "PGDip CSWO",
    "MBA",
    "MSc Applied Professional Studies",
    "MPhil",
    "CMI SCQF level 11 Award in Strategic Management and Leadership",
    "CMI SCQF level 11 Certificate in Strategic Management and Leadership",
    "CMI SCQF level 11 Diploma in Strategic Management and Leadership",
    "CMI SCQF level 11 Extended Diploma in Strategic Management and Leadership",
    "MSc Business and Management",
    "Profession Masters Programme",
    "Project Lift",
    "Leadership for Integration",
    "Scottish Improvement Leaders Programme",
]
DEVELOPMENT_MODES = {
    "coaching_conversations": "course",
    "mentoring_senior_leaders": "mentoring",
    "secondment": "secondment",
    "reflective_supervision": "supervision",
    "therapeutic_supervision": "supervision",
    "communities_of_practice": "network",
    "peer_support_networks": "network",
    "svq_work_based_award": "work_based_learning",
    "induction_plan": "induction",
    "protected_reflection_time": "reflection_time",
}


def test_required_roles_and_service_areas(framework):
    assert set(framework.roles) >= REQUIRED_ROLES
    assert set(framework.service_areas) == {
        "children_families",
        "adult_services",
        "justice",
        "mental_health",
        "learning_disabilities",
    }


def test_sssc_capabilities_verbatim(framework):
    leadership = {
        c.title: list(c.sub_capabilities)
        for c in framework.capabilities.values()
        if c.group == "leadership"
    }
    assert leadership == SSSC
    assert sum(len(v) for v in leadership.values()) == 22


def test_practice_capabilities_for_iriss_checks(framework):
    practice = {c.slug for c in framework.capabilities.values() if c.group == "practice"}
    assert {
        "statutory_duties",
        "supervision_education",
        "research_evidence",
        "service_breadth",
    } <= practice


def test_scale_has_a_descriptor_for_every_level(framework):
    assert [lv.level for lv in framework.levels] == list(range(6))
    assert all(lv.descriptor and lv.label for lv in framework.levels)
    assert "Dreyfus" in framework.scale_name and framework.scale_why


def test_every_role_states_levels_on_the_scale(framework):
    for role in framework.roles.values():
        assert role.requirements, role.slug
        assert all(0 < level <= framework.max_level for _, level in role.requirements)


def test_senior_roles_levels_exceed_entry_levels(framework):
    assert (
        framework.roles["cswo"].required["statutory_duties"]
        > framework.roles["nqsw"].required["statutory_duties"]
    )


def test_cswo_has_a_cited_duty_checklist_including_secure_orders(framework):
    duties = framework.roles["cswo"].duties
    assert len(duties) >= 5
    assert all(d.sources and all(s.cite or s.quote for s in d.sources) for d in duties)
    assert any("secure" in d.duty for d in duties)


def test_senior_social_worker_gap_is_reported_not_filled(framework):
    role = framework.roles["senior_social_worker"]
    assert role.training_gap and role.training_gap_sources
    specific_courses = [
        i
        for i in framework.training_for_role("senior_social_worker")
        if i.sw_specific and i.kind in ("training", "academic")
    ]
    assert specific_courses == []


def test_every_scottish_programme_named_in_the_seeds_is_present(framework):
    titles = [item.title for item in framework.training.values()]
    for name in SCOTTISH_PROGRAMMES:
        assert any(name in title for title in titles), name


def test_development_modes_are_present_with_their_mode(framework):
    for item_id, mode in DEVELOPMENT_MODES.items():
        assert framework.training[item_id].mode == mode


def test_transitions_carry_prerequisites_named_in_the_issue(framework):
    prereqs = {(t.target, p.item) for t in framework.transitions for p in t.prerequisites if p.item}
    assert ("mental_health_officer", "mho_award") in prereqs
    assert ("practice_educator", "practice_learning_qualification") in prereqs
    assert ("cswo", "pgdip_cswo") in prereqs
    assert all(t.typical_years > 0 for t in framework.transitions)


def _walk(node, found):
    if isinstance(node, dict):
        if "doc" in node and "quote" in node:
            found.append((node["doc"], node["quote"]))
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list):
        for value in node:
            _walk(value, found)
    return found


def test_every_quote_is_verbatim_in_its_seed():
    seeds = seed_texts()
    quotes = _walk(yaml.safe_load(default_framework_path().read_text()), [])
    assert len(quotes) > 50
    missing = [(doc, quote) for doc, quote in quotes if normalise(quote) not in seeds[doc]]
    assert missing == []


def test_everything_carries_sources():
    data = yaml.safe_load(default_framework_path().read_text())
    for section in ("roles", "transitions", "capabilities", "training", "service_areas"):
        for entry in data[section]:
            assert entry["sources"], (section, entry)


def test_every_item_states_its_evidence_and_explains_what_is_not_in_place():
    """Evidence is read by the checks, so the shipped framework states it on every item
    rather than leaving the loader to assume; anything not in place says why."""
    document = yaml.safe_load(default_framework_path().read_text())
    for item in document["training"]:
        assert item.get("evidence") in ("in_place", "recommended", "suggested", "inference"), item[
            "id"
        ]
        if item["evidence"] != "in_place":
            assert item.get("status_basis"), item["id"]
            assert item["status"] != "entitlement", item["id"]  # nobody is entitled to it yet


def test_required_means_required_by_law_or_registration(framework):
    """A prerequisite is "required" only with a citation of the law or regulation that makes
    it so; breadth across service areas is an Iriss recommendation, never an entry rule."""
    for t in framework.transitions:
        for p in t.prerequisites:
            if p.required:
                assert any(s.cite for s in p.sources), (t.source, t.target, p.type)
            assert p.type != "service_areas" or not p.required, (t.source, t.target)
    cswo = framework.transition("head_of_service", "cswo")
    pgdip = next(p for p in cswo.prerequisites if p.item == "pgdip_cswo")
    assert pgdip.wording == "often held"


def test_estimates_are_read_from_the_document(framework):
    assert framework.roles["social_worker"].years_estimate
    assert not framework.roles["nqsw"].years_estimate  # the first year is a year
    assert framework.transition("social_worker", "senior_social_worker").years_estimate
    assert not framework.transition("nqsw", "social_worker").years_estimate
    assert framework.roles["senior_social_worker"].positional_basis.startswith("inference")
    caseload = framework.training["protected_caseload"]
    assert caseload.evidence == "recommended" and not caseload.in_place
    supported_year = framework.training["nqsw_supported_year"]
    assert supported_year.in_place_nationally
    assert supported_year.has_mode("supervision") and supported_year.has_mode("peer_support")
