"""Unit tests for routes, gaps, prerequisites and training recommendation."""

from __future__ import annotations

import dataclasses
from itertools import pairwise

import networkx as nx
import pytest

from pathways.errors import NoRoute, UnknownRole
from pathways.gaps import Gap, role_gaps, unmet_prerequisites
from pathways.graph import build_graph
from pathways.person import Person, PlanItem
from pathways.routes import find_routes, options, route_from_roles
from pathways.training import recommend_training


def person(role="social_worker", **kw):
    return Person(role, **kw)


def test_graph_is_built_once_per_framework(framework):
    assert framework.graph is framework.graph
    assert framework.graph.number_of_nodes() == len(framework.roles)
    assert framework.graph.number_of_edges() == len(framework.transitions)
    assert nx.is_directed_acyclic_graph(build_graph(framework))


def test_quickest_routes_come_best_first_with_their_years(framework):
    routes = find_routes(framework, "social_worker", "cswo", k=3)
    assert len(routes) == 3
    assert [r.years for r in routes] == sorted(r.years for r in routes)
    for route in routes:
        assert route.roles[0] == "social_worker" and route.roles[-1] == "cswo"
        assert route.years == sum(
            framework.transition(a, b).typical_years for a, b in pairwise(route.roles)
        )


def test_k_limits_the_number_of_routes(framework):
    assert len(find_routes(framework, "social_worker", "consultant_social_worker", k=1)) == 1
    assert len(find_routes(framework, "social_worker", "consultant_social_worker", k=10)) > 3
    with pytest.raises(ValueError):
        find_routes(framework, "social_worker", "cswo", k=0)


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
    ready["service_breadth"] = (
        0  # senior social worker asks for breadth, senior practitioner does not
    )
    p = person(ratings=tuple(ready.items()))
    fewest = find_routes(
        framework, "social_worker", "team_manager", p, k=1, objective="fewest_gaps"
    )[0]
    assert fewest.roles == ("social_worker", "senior_practitioner", "team_manager")
    everything = find_routes(framework, "social_worker", "team_manager", p, k=20)
    assert (
        fewest.gap_count
        == min(r.gap_count for r in everything)
        < max(r.gap_count for r in everything)
    )


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
    # a planned secondment counts towards breadth across service areas
    step = framework.transition("team_manager", "service_manager")
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


def test_options_lists_every_reachable_role_with_years_and_gaps(framework):
    opts = options(framework, "social_worker", person())
    reachable = nx.descendants(framework.graph, "social_worker")
    assert {o.role for o in opts} == reachable
    first = opts[0]
    assert first.years == min(o.years for o in opts) and first.gap_count > 0
    non_mgmt = options(framework, "social_worker", avoid_positional=True)
    assert all(not framework.roles[o.role].positional for o in non_mgmt)
