"""The seven Iriss checks, on routes with plans and on whole frameworks."""

from __future__ import annotations

import dataclasses
import re

from pathways.iriss import audit_framework, check_route, summarise
from pathways.iriss.base import Criterion
from pathways.organisation import OrganisationAnswers
from pathways.person import Person, PlanItem
from pathways.routes import find_routes, route_from_roles

STATUSES = {"met", "partial", "missing", "not_met", "not_assessed", "not_applicable"}


def by_id(results):
    return {r.id: r for r in results}


def test_seven_results_with_status_findings_and_actions(framework):
    route = find_routes(framework, "social_worker", "cswo")[0]
    results = check_route(framework, route)
    assert [r.id for r in results] == list(range(1, 8))
    for r in results:
        assert r.status in STATUSES and r.title and r.findings
        if r.status in ("partial", "missing", "not_met"):
            assert r.actions


def test_management_route_fails_for_someone_who_will_not_line_manage(framework):
    route = route_from_roles(framework, ["social_worker", "senior_social_worker", "team_manager"])
    no_mgmt = Person("social_worker", line_management=False)
    rec1 = by_id(check_route(framework, route, no_mgmt))[1]
    assert rec1.status in ("partial", "missing")
    assert any("Team manager" in f and "prefer not to line-manage" in f for f in rec1.findings)
    open_route = find_routes(
        framework, "social_worker", "consultant_social_worker", avoid_positional=True
    )[0]
    rec1 = by_id(check_route(framework, open_route, no_mgmt))[1]
    assert any("avoids line management" in f for f in rec1.findings)


def test_the_checks_speak_to_the_owner_and_of_them_to_anyone_else(framework):
    """Read by the plan's owner the text says "you"; read by their line manager it names
    the owner, and no finding or action says "you" or "your plan" to the manager."""
    route = route_from_roles(framework, ["social_worker", "senior_social_worker", "team_manager"])
    person = Person(
        "social_worker",
        line_management=False,
        extra_hours_per_week=5,
        plan_items=(PlanItem("mba", None, "planned", None, None),),
    )
    own = check_route(framework, route, person)
    theirs = check_route(framework, route, person, about="Priya Practitioner")
    own_text = [t for r in own for t in (*r.findings, *r.actions)]
    their_text = [t for r in theirs for t in (*r.findings, *r.actions)]
    assert any("You prefer not to line-manage" in t for t in own_text)
    assert any("Priya Practitioner prefers not to line-manage" in t for t in their_text)
    assert any("Priya Practitioner already works about 5 extra hours" in t for t in their_text)
    second_person = re.compile(r"\b(you|your plan|your first year|you prefer)\b", re.IGNORECASE)
    titles = sorted((i.title for i in framework.training.values()), key=len, reverse=True)

    def without_titles(text: str) -> str:  # "You as a Collaborative Leader" is a course
        for title in titles:
            text = text.replace(title, "")
        return text

    assert [t for t in their_text if second_person.search(without_titles(t))] == []
    assert [r.status for r in own] == [r.status for r in theirs]  # only the words differ


def test_senior_social_worker_step_reports_the_catalogue_gap(framework):
    route = route_from_roles(framework, ["social_worker", "senior_social_worker"])
    rec2 = by_id(check_route(framework, route))[2]
    assert rec2.status != "met"
    assert any("Catalogue gap" in f and "Senior social worker" in f for f in rec2.findings)


def test_plan_items_count_mentoring_satisfies_rec3(framework):
    route = route_from_roles(framework, ["social_worker", "senior_social_worker"])
    before = by_id(check_route(framework, route, Person("social_worker")))[3]
    assert any(c.code == "REC3.a1" and c.passed is False for c in before.criteria)
    assert any("Senior social worker" in f for f in before.findings)
    plan = (
        PlanItem("mentoring_senior_leaders", "senior_social_worker"),
        PlanItem("peer_support_networks", "senior_social_worker"),
    )
    planned = Person("social_worker", plan_items=plan)
    after = by_id(check_route(framework, route, planned))[3]
    assert all(c.passed is not False for c in after.criteria if c.code in ("REC3.a1", "REC3.a4"))
    # the transition lists reflective supervision, but the framework only recommends it: it
    # does not count until the organisation says it offers it
    assert {c.code: c.passed for c in after.criteria}["REC3.a2"] is False
    offers = OrganisationAnswers({"reflective_supervision": True})
    after = by_id(check_route(framework, route, planned, offers))[3]
    assert after.status == "met"


def test_cswo_preparation_and_breadth(framework):
    route = find_routes(framework, "head_of_service", "cswo")[0]
    one_area = Person("head_of_service", service_areas=(("children_families", 10),))
    rec4 = by_id(check_route(framework, route, one_area))[4]
    codes = {c.code: c.passed for c in rec4.criteria}
    # the duties checklist was suggested by a participant and induction is recommended: neither
    # is in place until the organisation offers it (or it is on the person's plan)
    assert codes["REC4.a1"] is False and codes["REC4.a4"] is False
    offers = OrganisationAnswers({"cswo_duties_familiarisation": True, "induction_plan": True})
    rec4 = by_id(check_route(framework, route, one_area, offers))[4]
    assert {c.code: c.passed for c in rec4.criteria}["REC4.a4"] is True
    broad = Person("head_of_service", service_areas=(("children_families", 10), ("justice", 2)))
    codes = {c.code: c.passed for c in by_id(check_route(framework, route, broad))[4].criteria}
    assert codes["REC4.a1"] is True


def test_rec4_not_applicable_without_management(framework):
    route = route_from_roles(framework, ["social_worker", "senior_practitioner"])
    assert by_id(check_route(framework, route))[4].status == "not_applicable"


def test_extra_hours_warn_when_development_is_planned(framework):
    route = route_from_roles(framework, ["social_worker", "senior_practitioner"])
    busy = Person(
        "social_worker",
        extra_hours_per_week=10,
        plan_items=(PlanItem("protected_reflection_time", "senior_practitioner"),),
    )
    rec5 = by_id(check_route(framework, route, busy))[5]
    assert any(c.code == "REC5.a4" and c.passed is False for c in rec5.criteria)
    assert any("10 extra hours" in f for f in rec5.findings)


def test_audit_names_the_senior_social_worker_gap(framework):
    results = by_id(audit_framework(framework))
    assert set(results) == set(range(1, 8))
    rec2 = results[2]
    assert rec2.status == "not_met"  # failures so far; REC2.b4 waits for answers
    assert any("Senior social worker" in f for f in rec2.findings)
    # everything the framework itself shows holds; whether the pathway is published is the
    # organisation's to say
    rec1 = {c.code: c.state for c in results[1].criteria}
    assert rec1 == {
        "REC1.b1": "pass",
        "REC1.b2": "pass",
        "REC1.b3": "pass",
        "REC1.b4": "pass",
        "REC1.b5": "not_assessed",
    }
    assert results[1].status == "partial"


def test_audit_detects_missing_caseload_and_supervision(framework):
    catalogue = [
        i for i in framework.training.values() if i.mode not in ("caseload", "supervision")
    ]
    every_offer = OrganisationAnswers({i.id: True for i in catalogue})
    results = by_id(audit_framework(framework, catalogue, every_offer))
    assert results[4].status != "met"
    assert any("No protected caseload time for: Service manager" in f for f in results[4].findings)
    assert any(
        "No supervision that covers support for: Social worker" in f for f in results[3].findings
    )


def test_audit_all_generic_catalogue_is_missing_rec2(framework):
    generic = [dataclasses.replace(i, sw_specific=False) for i in framework.training.values()]
    rec2 = by_id(audit_framework(framework, generic))[2]
    assert {c.code: c.passed for c in rec2.criteria}["REC2.b2"] is False
    assert any("0 of" in f for f in rec2.findings)


def test_summarise_statuses():
    assert summarise(1, [Criterion("x", True, "a")]).status == "met"
    assert summarise(1, [Criterion("x", False, "a", "do")]).status == "missing"
    assert summarise(
        1, [Criterion("x", False, "a", "do"), Criterion("y", None, "n/a")]
    ).actions == ("do",)
