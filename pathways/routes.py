"""Routes between roles: up to k alternatives under an objective, each with its steps' gaps,
unmet prerequisites and recommended training."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice, pairwise

import networkx as nx

from pathways.errors import NoRoute, UnknownRole
from pathways.gaps import Gap, UnmetPrerequisite, role_gaps, unmet_prerequisites
from pathways.model import Framework
from pathways.person import Person
from pathways.training import Recommended, recommend_training

__all__ = [
    "next_step",
    "Step",
    "Route",
    "Option",
    "Alternative",
    "OBJECTIVES",
    "ALTERNATIVE_LABELS",
    "find_routes",
    "route_from_roles",
    "options",
    "alternative_routes",
]

OBJECTIVES = ("quickest", "fewest_gaps")


@dataclass(frozen=True)
class Step:
    source: str
    target: str
    years: float
    gaps: tuple[Gap, ...]
    unmet: tuple[UnmetPrerequisite, ...]
    training: tuple[Recommended, ...]
    catalogue_gaps: tuple[str, ...]
    supports: tuple[str, ...]


@dataclass(frozen=True)
class Route:
    roles: tuple[str, ...]
    years: float
    steps: tuple[Step, ...]

    @property
    def gap_count(self) -> int:
        return sum(len(step.gaps) for step in self.steps)


def _check_roles(framework: Framework, *slugs: str) -> None:
    for slug in slugs:
        if slug not in framework.roles:
            raise UnknownRole(slug, framework.roles)


def _weight(framework: Framework, objective: str, person: Person | None, avoid_positional: bool):
    roles = framework.roles
    if objective == "quickest":

        def cost(v):
            return 0.0
    elif objective == "fewest_gaps":
        gap_counts = {slug: len(role_gaps(framework, slug, person)) for slug in roles}

        def cost(v):
            return float(gap_counts[v]) * 1000
    else:
        raise ValueError(f"unknown objective '{objective}'; choose one of {', '.join(OBJECTIVES)}")

    def weight(u, v, data):
        if avoid_positional and roles[v].positional:
            return None  # hides the edge
        # years keep ties in order (and are the whole cost for "quickest")
        return cost(v) + data["years"]

    return weight


def route_from_roles(
    framework: Framework, roles: tuple[str, ...] | list[str], person: Person | None = None
) -> Route:
    """Build a Route (gaps, prerequisites, training per step) along a given path of roles."""
    graph = framework.graph
    steps = []
    elapsed = 0.0
    for source, target in pairwise(roles):
        if not graph.has_edge(source, target):
            raise NoRoute(f"there is no transition from '{source}' to '{target}'")
        transition = graph.edges[source, target]["transition"]
        elapsed += transition.typical_years
        gaps = role_gaps(framework, target, person)
        rec = recommend_training(framework, (target,), gaps, person)
        steps.append(
            Step(
                source=source,
                target=target,
                years=transition.typical_years,
                gaps=gaps,
                unmet=unmet_prerequisites(framework, transition, person, years_ahead=elapsed),
                training=rec.items,
                catalogue_gaps=rec.catalogue_gaps,
                supports=transition.supports,
            )
        )
    return Route(tuple(roles), sum(s.years for s in steps), tuple(steps))


def find_routes(
    framework: Framework,
    source: str,
    target: str,
    person: Person | None = None,
    k: int = 3,
    objective: str = "quickest",
    avoid_positional: bool = False,
) -> list[Route]:
    """Up to ``k`` routes from ``source`` to ``target``, best first under ``objective``.

    ``quickest`` minimises typical years; ``fewest_gaps`` minimises the person's capability
    gaps over the roles on the way (years break ties). ``avoid_positional`` keeps to roles
    without line management (the starting role is allowed whatever it is).

    >>> from pathways.loader import default_framework
    >>> fw = default_framework()
    >>> [r.roles for r in find_routes(fw, "social_worker", "consultant_social_worker", k=1)]
    [('social_worker', 'research_practitioner', 'consultant_social_worker')]
    """
    _check_roles(framework, source, target)
    if k < 1:
        raise ValueError("k must be at least 1")
    if source == target:
        raise NoRoute(f"you are already at '{target}'; choose a different target role")
    if avoid_positional and framework.roles[target].positional:
        raise NoRoute(
            f"'{target}' ({framework.roles[target].title}) is a management role, so no route "
            "to it avoids management; drop the avoid-management option or choose a "
            "non-management target"
        )
    weight = _weight(framework, objective, person, avoid_positional)
    try:
        paths = list(
            islice(nx.shortest_simple_paths(framework.graph, source, target, weight=weight), k)
        )
    except nx.NetworkXNoPath:
        paths = []
    if not paths:
        reason = " without passing through a management role" if avoid_positional else ""
        reachable = sorted(nx.descendants(framework.graph, source))
        hint = (
            f"roles reachable from '{source}': {', '.join(reachable)}"
            if reachable
            else f"no role can be reached from '{source}'"
        )
        raise NoRoute(f"no route from '{source}' to '{target}'{reason}; {hint}")
    return [route_from_roles(framework, path, person) for path in paths]


@dataclass(frozen=True)
class Option:
    role: str
    years: float
    gap_count: int
    via: tuple[str, ...]


def options(
    framework: Framework, source: str, person: Person | None = None, avoid_positional: bool = False
) -> list[Option]:
    """Every role reachable from ``source``: quickest typical years, and the person's gaps there.

    >>> from pathways.loader import default_framework
    >>> [o.role for o in options(default_framework(), "nqsw")][:1]
    ['social_worker']
    """
    _check_roles(framework, source)
    weight = _weight(framework, "quickest", person, avoid_positional)
    years, paths = nx.single_source_dijkstra(framework.graph, source, weight=weight)
    result = [
        Option(slug, years[slug], len(role_gaps(framework, slug, person)), tuple(paths[slug]))
        for slug in years
        if slug != source
    ]
    return sorted(result, key=lambda o: (o.years, framework.roles[o.role].stage, o.role))


@dataclass(frozen=True)
class Alternative:
    labels: tuple[str, ...]  # e.g. ("quickest", "fewest_gaps")
    route: Route


ALTERNATIVE_LABELS = {
    "quickest": "Quickest",
    "fewest_gaps": "Fewest gaps",
    "no_line_management": "Without line management",
}


def alternative_routes(
    framework: Framework, source: str, target: str, person: Person | None = None
) -> list[Alternative]:
    """Up to three labelled routes: quickest, fewest gaps for this person, and without line
    management (when the target allows one). A route that wins on several counts appears once
    with all its labels. The person's preference decides which comes first.

    >>> from pathways.loader import default_framework
    >>> [a.labels for a in alternative_routes(default_framework(), "social_worker", "consultant_social_worker")]
    [('quickest', 'fewest_gaps', 'no_line_management')]
    """
    found: dict[tuple[str, ...], list[str]] = {}
    routes: dict[tuple[str, ...], Route] = {}
    asks = [("quickest", {"objective": "quickest"}), ("fewest_gaps", {"objective": "fewest_gaps"})]
    if not framework.roles[target].positional:
        asks.append(("no_line_management", {"avoid_positional": True}))
    for label, kwargs in asks:
        try:
            [route] = find_routes(framework, source, target, person, k=1, **kwargs)
        except NoRoute:
            continue
        found.setdefault(route.roles, []).append(label)
        routes[route.roles] = route
    result = [Alternative(tuple(labels), routes[roles]) for roles, labels in found.items()]
    if person is not None and not person.line_management:
        result.sort(key=lambda a: "no_line_management" not in a.labels)
    if not result:
        raise NoRoute(f"no route from '{source}' to '{target}'")
    return result


def next_step(route: Sequence[str], current_role: str | None) -> str | None:
    """The role after ``current_role`` on a route (a list of role slugs); if the person is
    no longer on it, the route's first step.

    >>> next_step(["social_worker", "senior_practitioner", "team_manager"], "senior_practitioner")
    'team_manager'
    >>> next_step(["social_worker", "senior_practitioner"], "nqsw")
    'senior_practitioner'
    """
    route = list(route)
    if current_role in route:
        index = route.index(current_role)
        return route[index + 1] if index + 1 < len(route) else None
    return route[1] if len(route) > 1 else None
