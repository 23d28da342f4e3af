"""Turn engine results into what the planner templates draw (no domain logic here)."""

from __future__ import annotations

from itertools import pairwise

from pathways.errors import PathwaysError
from pathways.iriss import check_route
from pathways.layout import layout_map
from pathways.model import Framework
from pathways.person import Person
from pathways.routes import Alternative, Route, route_from_roles
from planner.catalogue.profile import answers_for_user
from planner.charts import capability_chart
from planner.frameworks import current_version, framework_or_503
from planner.models import Plan
from planner.people import person_for


def plan_view_framework(owner=None) -> Framework:
    """The framework plans are shown against: the current version, with the local training
    of the owner's organisation (so a manager sees what the practitioner sees)."""
    if owner is None:
        return framework_or_503()
    from planner.catalogue.operations import framework_for_user

    return framework_for_user(owner)


def _plan_changes(plan: Plan):
    """What changed for this plan's route between its version and the current one."""
    from pathways.diff import route_changes
    from planner.frameworks import parsed_version

    try:
        old = parsed_version(plan.framework_version)
    except PathwaysError:  # an old version the current code cannot read: say nothing wrong
        return []
    return route_changes(old, framework_or_503(), plan.route)


def plan_view(plan: Plan, *, for_manager: bool = False) -> dict:
    """A plan as its owner sees it (and a manager, once shared): the route on the current
    framework, per-step gaps and training, the Iriss cards. Never the private notes. For the
    manager, the Iriss text names the owner where it would say "you"."""
    framework = plan_view_framework(plan.user)
    version = current_version()
    person = person_for(plan.user, framework, plan)
    route = error = None
    try:
        route = route_from_roles(framework, plan.route, person)
    except PathwaysError as exc:
        error = (
            f"This route is no longer in the current framework ({exc}). "
            "Make a new plan from the planner."
        )
    changed = plan.framework_version_id != version.id
    answers = answers_for_user(plan.user, framework)
    return {
        "answers": answers,
        "plan": plan,
        "framework": framework,
        "person": person,
        "plan_changes": _plan_changes(plan) if changed else [],
        "route": route,
        "route_error": error,
        "checks": check_route(
            framework, route, person, answers, about=plan.user.name if for_manager else None
        )
        if route is not None
        else [],
        "changed": changed,
        "current_version": version,
        "layout": layout_map(framework),
        "overlay": route_overlay(route, [], person.current_role if person else None)
        if route
        else None,
    }


def route_overlay(
    route: Route, alternatives: list[Alternative], current: str | None = None
) -> dict:
    """Which nodes and edges of the role map to highlight, the gap badge of each step, where
    the person is now (``current``) and the roles of the route already behind them."""

    def edges(roles):
        return {f"{a}>{b}" for a, b in pairwise(roles)}

    others = [alt.route for alt in alternatives if alt.route.roles != route.roles]
    done = set(route.roles[: route.roles.index(current)]) if current in route.roles else set()
    return {
        "current": current,
        "done": done,
        "nodes": set(route.roles),
        "edges": edges(route.roles),
        "alt_nodes": {r for other in others for r in other.roles},
        "alt_edges": set().union(*(edges(o.roles) for o in others)) - edges(route.roles)
        if others
        else set(),
        "badges": {step.target: len(step.gaps) for step in route.steps},
    }


def target_chart(framework: Framework, person: Person, target: str):
    """My ratings against the target role's requirements, one bar per capability."""
    required = framework.roles[target].required
    rows = [
        (cap.title, person.level(slug), required.get(slug))
        for slug, cap in framework.capabilities.items()
    ]
    return capability_chart(rows, framework.max_level)
