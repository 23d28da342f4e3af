"""Turn engine results into what the planner templates draw (no domain logic here)."""

from __future__ import annotations

from itertools import pairwise

from pathways.model import Framework
from pathways.person import Person
from pathways.routes import Alternative, Route
from planner.charts import capability_chart


def route_overlay(route: Route, alternatives: list[Alternative]) -> dict:
    """Which nodes and edges of the role map to highlight, and the gap badge of each step."""

    def edges(roles):
        return {f"{a}>{b}" for a, b in pairwise(roles)}

    others = [alt.route for alt in alternatives if alt.route.roles != route.roles]
    return {
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
