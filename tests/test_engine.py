"""Unit tests for routes, gaps, prerequisites and training recommendation.

The first tests use TINY, a six-role framework written out below whose routes, years, gaps,
prerequisites and training were worked out by hand; the rest use the Scottish framework.
"""

from __future__ import annotations

import dataclasses

import networkx as nx
import pytest

from pathways.errors import NoRoute, UnknownRole
from pathways.gaps import Gap, role_gaps, unmet_prerequisites
from pathways.graph import build_graph
from pathways.loader import parse_framework
from pathways.model import Prerequisite
from pathways.person import Person, PlanItem
from pathways.routes import alternative_routes, find_routes, options, route_from_roles
from pathways.training import recommend_training


def person(role="social_worker", **kw):
    return Person(role, **kw)


# Six roles; the management roles are team_manager and cswo. Moves, with typical years:
#
#   student -1-> social_worker -3-> senior_practitioner -4-> consultant -3-> cswo
#                social_worker -2-> team_manager -5-> cswo
#                                   senior_practitioner -1-> team_manager
#
# social_worker -> team_manager needs 4 years qualified; consultant -> cswo needs the
# leadership award. Requirements (practice, leadership): senior_practitioner 3, 1;
# consultant 4, 2; team_manager 3, 3; cswo 4, 5.
TINY_YAML = """\
framework: {id: tiny, title: Tiny framework, version: "1"}
documents: {}
scale:
  name: Levels
  why: Hand-made for tests.
  sources: [{cite: tests}]
  levels:
    - {level: 0, label: None, descriptor: Not yet.}
    - {level: 1, label: Aware, descriptor: Aware.}
    - {level: 2, label: Learning, descriptor: Learning.}
    - {level: 3, label: Competent, descriptor: Competent.}
    - {level: 4, label: Proficient, descriptor: Proficient.}
    - {level: 5, label: Expert, descriptor: Expert.}
tracks:
  - {slug: practice, title: Practice}
  - {slug: expert, title: Expert}
  - {slug: management, title: Management}
stages:
  - {stage: 0, title: Qualifying}
  - {stage: 2, title: Practitioner}
  - {stage: 3, title: Senior}
  - {stage: 4, title: First-line}
  - {stage: 5, title: Expert}
  - {stage: 7, title: Chief}
service_areas: []
capabilities:
  - {slug: practice, title: Practice, group: practice, sources: [{cite: tests}]}
  - {slug: leadership, title: Leadership, group: leadership, sources: [{cite: tests}]}
roles:
  - {slug: student, title: Student, description: Studies., track: practice, stage: 0,
     positional: false, typical_years: 3, responsibilities: [], requirements: {practice: 1},
     sources: [{cite: tests}]}
  - {slug: social_worker, title: Social worker, description: Practises., track: practice,
     stage: 2, positional: false, typical_years: 3, responsibilities: [],
     requirements: {practice: 2}, sources: [{cite: tests}]}
  - {slug: senior_practitioner, title: Senior practitioner, description: Leads practice.,
     track: expert, stage: 3, positional: false, typical_years: 3, responsibilities: [],
     requirements: {practice: 3, leadership: 1}, sources: [{cite: tests}]}
  - {slug: consultant, title: Consultant, description: Advises., track: expert, stage: 5,
     positional: false, typical_years: 3, responsibilities: [],
     requirements: {practice: 4, leadership: 2}, sources: [{cite: tests}]}
  - {slug: team_manager, title: Team manager, description: Manages a team.,
     track: management, stage: 4, positional: true, typical_years: 3, responsibilities: [],
     requirements: {practice: 3, leadership: 3}, sources: [{cite: tests}]}
  - {slug: cswo, title: Chief officer, description: Leads the service., track: management,
     stage: 7, positional: true, typical_years: 3, responsibilities: [],
     requirements: {practice: 4, leadership: 5}, sources: [{cite: tests}]}
transitions:
  - {from: student, to: social_worker, typical_years: 1, supports: [], sources: [{cite: tests}]}
  - {from: social_worker, to: senior_practitioner, typical_years: 3, supports: [],
     sources: [{cite: tests}]}
  - {from: social_worker, to: team_manager, typical_years: 2, supports: [coaching],
     prerequisites: [{type: years_qualified, min: 4}], sources: [{cite: tests}]}
  - {from: senior_practitioner, to: team_manager, typical_years: 1, supports: [],
     sources: [{cite: tests}]}
  - {from: senior_practitioner, to: consultant, typical_years: 4, supports: [],
     sources: [{cite: tests}]}
  - {from: team_manager, to: cswo, typical_years: 5, supports: [], sources: [{cite: tests}]}
  - {from: consultant, to: cswo, typical_years: 3, supports: [],
     prerequisites: [{type: qualification, item: leadership_award}], sources: [{cite: tests}]}
training:
  - {id: coaching, title: Coaching, kind: developmental, mode: coaching,
     capabilities: [leadership], roles: [senior_practitioner, team_manager],
     sw_specific: false, scope: national, status: optional, embedded: false,
     duration: 6 sessions, sources: [{cite: tests}]}
  - {id: leadership_award, title: Leadership award, kind: academic, mode: qualification,
     capabilities: [leadership], roles: [consultant, cswo], sw_specific: true,
     scope: national, status: optional, embedded: false, duration: 1 year,
     sources: [{cite: tests}]}
  - {id: practice_course, title: Practice course, kind: training, mode: course,
     capabilities: [practice], roles: [senior_practitioner], sw_specific: true,
     scope: local, status: optional, embedded: true, duration: 2 days,
     sources: [{cite: tests}]}
  - {id: manager_induction, title: Manager induction, kind: training, mode: induction,
     capabilities: [practice, leadership], roles: [team_manager], sw_specific: false,
     scope: local, status: mandatory, embedded: true, duration: 1 week,
     sources: [{cite: tests}]}
"""
TINY = parse_framework(TINY_YAML, "tiny.yaml")
# A social worker qualified a year, at practice 4 and leadership 2: short of leadership for
# team_manager (3) and cswo (5), nothing else.
PAT = Person("social_worker", years_qualified=1, ratings=(("leadership", 2), ("practice", 4)))
VIA_MANAGER = ("social_worker", "team_manager", "cswo")  # 2 + 5 = 7 years, gaps 1 + 1
VIA_SENIOR_MANAGER = ("social_worker", "senior_practitioner", "team_manager", "cswo")  # 9, 0+1+1
VIA_CONSULTANT = ("social_worker", "senior_practitioner", "consultant", "cswo")  # 10, 0+0+1


def test_graph_is_built_once_per_framework():
    assert TINY.graph is TINY.graph
    assert TINY.graph.number_of_nodes() == 6 and TINY.graph.number_of_edges() == 7
    assert nx.is_directed_acyclic_graph(build_graph(TINY))


def test_quickest_routes_come_best_first_with_their_years():
    routes = find_routes(TINY, "social_worker", "cswo", PAT, k=3)
    # one capability to develop on each (leadership, up to 5 at cswo): distinct capabilities,
    # never a sum over the steps (which would read 2, 2 and 1)
    assert [(r.roles, r.years, r.gap_count, r.levels_to_gain) for r in routes] == [
        (VIA_MANAGER, 7, 1, 3),
        (VIA_SENIOR_MANAGER, 9, 1, 3),
        (VIA_CONSULTANT, 10, 1, 3),
    ]
    assert [g.capability for g in routes[0].to_develop] == ["leadership"]
    assert routes[0].to_develop[0].required == 5
    assert [s.years for s in routes[2].steps] == [3, 4, 3]


def test_fewest_gaps_puts_the_route_with_fewest_gaps_first():
    # Pat is short of practice only for the consultant (practice 4... held 4: no) and of
    # leadership for team manager (3) and cswo (5): every route has the one capability, so
    # years decide; a person short of practice at 3 has it on every route too.
    routes = find_routes(TINY, "social_worker", "cswo", PAT, k=3, objective="fewest_gaps")
    assert [r.roles for r in routes] == [VIA_MANAGER, VIA_SENIOR_MANAGER, VIA_CONSULTANT]
    # leadership held at 5: only the consultant route asks for nothing more
    sam = Person("social_worker", ratings=(("leadership", 5), ("practice", 3)))
    routes = find_routes(TINY, "social_worker", "consultant", sam, k=3, objective="fewest_gaps")
    assert routes[0].gap_count == 1  # practice 4 at the consultant


def test_k_limits_the_number_of_routes():
    assert len(find_routes(TINY, "social_worker", "cswo", k=1)) == 1
    assert len(find_routes(TINY, "social_worker", "cswo", k=2)) == 2
    assert len(find_routes(TINY, "social_worker", "cswo", k=10)) == 3  # all there are
    with pytest.raises(ValueError):
        find_routes(TINY, "social_worker", "cswo", k=0)


def test_steps_carry_hand_worked_gaps_prerequisites_and_training():
    [route] = find_routes(TINY, "social_worker", "cswo", PAT, k=1)
    first, second = route.steps
    assert (first.source, first.target, first.years) == ("social_worker", "team_manager", 2)
    assert first.gaps == (Gap("leadership", 3, 2),)
    # 1 year qualified + 2 years on the step = 3, short of 4
    assert [(u.description, u.detail) for u in first.unmet] == [
        ("At least 4 years qualified", "about 3 by this step")
    ]
    # coaching (national) beats manager_induction (local, embedded): both develop leadership
    assert [(r.item.id, r.covers) for r in first.training] == [("coaching", ("leadership",))]
    assert first.supports == ("coaching",) and first.catalogue_gaps == ()
    assert second.gaps == (Gap("leadership", 5, 2),) and second.unmet == ()
    assert [(r.item.id, r.covers) for r in second.training] == [
        ("leadership_award", ("leadership",))
    ]
    consultant_route = find_routes(TINY, "social_worker", "cswo", PAT, k=3)[2]
    last = consultant_route.steps[-1]
    assert [(u.description, u.detail) for u in last.unmet] == [
        ("Hold the Leadership award", "not yet completed")
    ]
    # a year later, by the step into team_manager Pat has 4 years: met
    later = dataclasses.replace(PAT, years_qualified=2)
    assert find_routes(TINY, "social_worker", "cswo", later, k=1)[0].steps[0].unmet == ()


def test_training_covers_most_gaps_first_and_names_catalogue_gaps():
    newcomer = Person("social_worker", years_qualified=5, ratings=(("practice", 2),))
    [route] = find_routes(TINY, "social_worker", "cswo", newcomer, k=1)
    into_manager, into_chief = route.steps
    assert into_manager.gaps == (Gap("leadership", 3, 0), Gap("practice", 3, 2))
    # manager_induction develops both gaps, so one item is enough
    assert [(r.item.id, r.covers) for r in into_manager.training] == [
        ("manager_induction", ("leadership", "practice"))
    ]
    assert into_chief.gaps == (Gap("leadership", 5, 0), Gap("practice", 4, 2))
    assert [r.item.id for r in into_chief.training] == ["leadership_award"]
    assert into_chief.catalogue_gaps == ("practice",)  # nothing for cswo develops practice
    holder = dataclasses.replace(newcomer, completed_training=frozenset({"leadership_award"}))
    chief = find_routes(TINY, "social_worker", "cswo", holder, k=1)[0].steps[1]
    assert chief.training == () and chief.catalogue_gaps == ("leadership", "practice")


def test_avoiding_management_on_the_tiny_framework():
    routes = find_routes(TINY, "social_worker", "consultant", PAT, k=5, avoid_positional=True)
    assert [(r.roles, r.years) for r in routes] == [
        (("social_worker", "senior_practitioner", "consultant"), 7)
    ]
    with pytest.raises(NoRoute, match="management role"):
        find_routes(TINY, "social_worker", "cswo", avoid_positional=True)
    with pytest.raises(
        NoRoute,
        match="no route from 'consultant' to 'team_manager'; roles "
        "reachable from 'consultant': cswo",
    ):
        find_routes(TINY, "consultant", "team_manager")


def test_options_list_every_reachable_role_with_years_gaps_and_route():
    assert [(o.role, o.years, o.gap_count, o.via) for o in options(TINY, "social_worker", PAT)] == [
        ("team_manager", 2, 1, ("social_worker", "team_manager")),
        ("senior_practitioner", 3, 0, ("social_worker", "senior_practitioner")),
        # 7 years each: the earlier stage first
        ("consultant", 7, 0, ("social_worker", "senior_practitioner", "consultant")),
        ("cswo", 7, 1, ("social_worker", "team_manager", "cswo")),
    ]
    assert [o.role for o in options(TINY, "social_worker", PAT, avoid_positional=True)] == [
        "senior_practitioner",
        "consultant",
    ]


def test_alternative_routes_label_each_route_once():
    labelled = alternative_routes(TINY, "social_worker", "cswo", PAT)
    # one route is both quickest and has fewest capabilities to develop: the list is filled
    # with the next-best distinct routes rather than collapsed to one, and cswo is a
    # management role, so no route is "without line management"
    assert [(a.labels, a.route.roles, a.via) for a in labelled] == [
        (("quickest", "fewest_gaps"), VIA_MANAGER, ()),  # all its roles are on route 2
        (("other",), VIA_SENIOR_MANAGER, ("senior_practitioner",)),
        (("other",), VIA_CONSULTANT, ("senior_practitioner", "consultant")),
    ]
    one = alternative_routes(TINY, "social_worker", "consultant", PAT)
    assert [a.labels for a in one] == [("quickest", "fewest_gaps", "no_line_management")]


def test_scottish_quickest_routes_come_best_first(framework):
    routes = find_routes(framework, "social_worker", "cswo", k=3)
    assert len(routes) == 3
    assert [r.years for r in routes] == sorted(r.years for r in routes)
    for route in routes:
        assert route.roles[0] == "social_worker" and route.roles[-1] == "cswo"


def test_scottish_k_limits_the_number_of_routes(framework):
    assert len(find_routes(framework, "social_worker", "consultant_social_worker", k=1)) == 1
    assert len(find_routes(framework, "social_worker", "consultant_social_worker", k=10)) > 3


def test_avoiding_management_keeps_to_non_positional_roles(framework):
    routes = find_routes(
        framework, "social_worker", "consultant_social_worker", avoid_positional=True, k=5
    )
    assert routes
    for route in routes:
        assert not any(framework.roles[r].positional for r in route.roles)
    # The unconstrained quickest list does include routes no different; but to a management
    # target there is no such route at all.
    with pytest.raises(NoRoute, match="management role"):
        find_routes(framework, "social_worker", "cswo", avoid_positional=True)


def test_fewest_gaps_prefers_roles_the_person_is_ready_for(framework):
    ready = dict.fromkeys(framework.capabilities, 5)
    ready["research_evidence"] = 4  # the consultant asks for 4, the research practitioner 5
    p = person(ratings=tuple(ready.items()))
    quickest = find_routes(framework, "social_worker", "consultant_social_worker", p, k=1)[0]
    assert "research_practitioner" in quickest.roles and quickest.gap_count == 1
    fewest = find_routes(
        framework, "social_worker", "consultant_social_worker", p, k=1, objective="fewest_gaps"
    )[0]
    assert "research_practitioner" not in fewest.roles and fewest.gap_count == 0
    everything = find_routes(framework, "social_worker", "consultant_social_worker", p, k=30)
    assert fewest.gap_count == min(r.gap_count for r in everything) < quickest.gap_count


def test_unknown_objective(framework):
    with pytest.raises(ValueError, match="unknown objective"):
        find_routes(framework, "social_worker", "cswo", objective="cheapest")


def test_unknown_role_suggests_the_nearest(framework):
    with pytest.raises(UnknownRole, match="did you mean 'social_worker'"):
        find_routes(framework, "social_wroker", "cswo")


def test_no_route_backwards_or_to_self(framework):
    with pytest.raises(NoRoute, match="no route from 'cswo' to 'student'"):
        find_routes(framework, "cswo", "student")
    with pytest.raises(NoRoute, match="already at"):
        find_routes(framework, "cswo", "cswo")


def test_route_from_roles_rejects_non_edges(framework):
    with pytest.raises(NoRoute, match="no transition"):
        route_from_roles(framework, ["student", "cswo"])


def test_gaps_report_both_levels(framework):
    p = person(ratings=(("statutory_duties", 2), ("vision", 5)))
    gaps = {g.capability: g for g in role_gaps(framework, "senior_practitioner", p)}
    assert gaps["statutory_duties"] == Gap("statutory_duties", 4, 2)
    assert "vision" not in gaps  # 5 >= 3
    assert gaps["research_evidence"].held == 0


def test_person_meeting_every_requirement_has_no_gaps(framework):
    p = person(ratings=tuple((c, 5) for c in framework.capabilities))
    assert all(not role_gaps(framework, slug, p) for slug in framework.roles)


def test_unmet_prerequisites_qualification_years_and_breadth(framework):
    mho = framework.transition("social_worker", "mental_health_officer")
    newcomer = person(years_qualified=0.5)
    unmet = {u.prerequisite.type: u for u in unmet_prerequisites(framework, mho, newcomer)}
    assert set(unmet) == {"qualification", "years_qualified"}
    assert "Mental Health Officer Award" in unmet["qualification"].description
    # years are projected along the route
    assert not [
        u
        for u in unmet_prerequisites(framework, mho, newcomer, years_ahead=2)
        if u.prerequisite.type == "years_qualified"
    ]
    qualified = person(years_qualified=3, completed_training=frozenset({"mho_award"}))
    assert unmet_prerequisites(framework, mho, qualified) == ()
    # a planned secondment counts towards breadth across service areas (the shipped framework
    # makes breadth an Iriss recommendation, not an entry rule, so the rule is added here)
    breadth = Prerequisite("service_areas", min=2, strength="recommended")
    step = dataclasses.replace(
        framework.transition("team_manager", "service_manager"), prerequisites=(breadth,)
    )
    one_area = person(service_areas=(("children_families", 4),))
    assert len(unmet_prerequisites(framework, step, one_area)) == 1
    seconded = person(
        service_areas=(("children_families", 4),),
        plan_items=(PlanItem("secondment", "team_manager", service_area="justice"),),
    )
    assert unmet_prerequisites(framework, step, seconded) == ()


def test_route_steps_list_gaps_prerequisites_and_training(framework):
    route = find_routes(
        framework, "social_worker", "mental_health_officer", person(years_qualified=1), k=1
    )[0]
    [step] = route.steps
    assert step.gaps and step.unmet and step.training
    covered = {c for r in step.training for c in r.covers} | set(step.catalogue_gaps)
    assert covered == {g.capability for g in step.gaps}


def test_training_prefers_social_work_specific_national_embedded_items(framework):
    gaps = [Gap("statutory_duties", 4, 1)]
    mho = framework.training["mho_award"]
    generic = dataclasses.replace(mho, id="aaa_generic", sw_specific=False)
    local = dataclasses.replace(mho, id="aab_local", scope="local")
    detached = dataclasses.replace(mho, id="aac_detached", embedded=False)
    rec = recommend_training(
        framework, ["mental_health_officer"], gaps, catalogue=[generic, local, detached, mho]
    )
    assert [r.item.id for r in rec.items] == ["mho_award"]
    rec = recommend_training(
        framework, ["mental_health_officer"], gaps, catalogue=[generic, detached]
    )
    assert [r.item.id for r in rec.items] == ["aac_detached"]  # sw-specific beats practice-embedded


def test_training_skips_what_the_person_holds_and_reports_catalogue_gaps(framework):
    gaps = [Gap("statutory_duties", 4, 1)]
    holder = person(completed_training=frozenset({"mho_award"}))
    rec = recommend_training(framework, ["mental_health_officer"], gaps, holder)
    assert "mho_award" not in [r.item.id for r in rec.items]
    rec = recommend_training(framework, ["student"], [Gap("service_breadth", 3, 0)])
    assert rec.items == () and rec.catalogue_gaps == ("service_breadth",)


def test_training_set_is_small(framework):
    gaps = role_gaps(framework, "cswo", None)
    rec = recommend_training(framework, ["cswo"], gaps)
    assert len(rec.items) <= len(gaps)
    assert len({r.item.id for r in rec.items}) == len(rec.items)


def test_scottish_options_are_every_role_above_a_social_worker(framework):
    opts = options(framework, "social_worker", person())
    assert {o.role for o in opts} == set(framework.roles) - {"student", "nqsw", "social_worker"}
    first = opts[0]
    assert first.years == min(o.years for o in opts) and first.gap_count > 0
    non_mgmt = options(framework, "social_worker", avoid_positional=True)
    assert all(not framework.roles[o.role].positional for o in non_mgmt)
