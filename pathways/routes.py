"""Routes between roles: up to k alternatives under an objective, each with its steps' gaps,
unmet prerequisites and recommended training."""

from __future__ import annotations

import dataclasses
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
    "POOL",
    "ALTERNATIVE_LABELS",
    "find_routes",
    "route_from_roles",
    "options",
    "alternative_routes",
    "ORDERS",
]

OBJECTIVES = ("quickest", "fewest_gaps")
POOL = 12  # simple paths ranked for "fewest_gaps" (at least 4 x k): every path when fewer


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
    management: tuple[str, ...] = ()  # roles after the start that line-manage (positional)
    tracks: tuple[str, ...] = ()  # tracks of the roles after the start, in route order

    @property
    def to_develop(self) -> tuple[Gap, ...]:
        """The distinct capabilities to develop on the way, each at the highest level any
        step asks for (a capability short on three steps counts once)."""
        highest: dict[str, Gap] = {}
        for step in self.steps:
            for gap in step.gaps:
                if gap.capability not in highest or gap.required > highest[gap.capability].required:
                    highest[gap.capability] = gap
        return tuple(sorted(highest.values(), key=lambda g: g.capability))

    @property
    def gap_count(self) -> int:
        """How many distinct capabilities the person must develop (never a sum over steps)."""
        return len(self.to_develop)

    @property
    def levels_to_gain(self) -> int:
        """Levels to climb over all the capabilities to develop."""
        return sum(g.required - g.held for g in self.to_develop)

    @property
    def training_ids(self) -> tuple[str, ...]:
        """Distinct training items recommended anywhere on the route, in route order."""
        return tuple(dict.fromkeys(r.item.id for step in self.steps for r in step.training))

    @property
    def unmet_count(self) -> int:
        return sum(len(step.unmet) for step in self.steps)


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
        unmet = unmet_prerequisites(framework, transition, person, years_ahead=elapsed)
        steps.append(
            Step(
                source=source,
                target=target,
                years=transition.typical_years,
                gaps=gaps,
                unmet=unmet,
                training=_with_prerequisites(framework, unmet, rec.items),
                catalogue_gaps=rec.catalogue_gaps,
                supports=transition.supports,
            )
        )
    after = [framework.roles[r] for r in roles[1:]]
    return Route(
        tuple(roles),
        sum(s.years for s in steps),
        tuple(steps),
        management=tuple(r.slug for r in after if r.positional),
        tracks=tuple(dict.fromkeys(r.track for r in after)),
    )


def _with_prerequisites(framework, unmet, chosen) -> tuple[Recommended, ...]:
    """The step's training, answering its unmet qualification prerequisites too (the MHO
    award, the Practice Learning Qualification): an item already chosen for the gaps says
    what it meets, and one that is not is added."""
    meets = {
        u.prerequisite.item: u.description
        for u in unmet
        if u.prerequisite.type == "qualification" and u.prerequisite.item in framework.training
    }
    items = [dataclasses.replace(r, meets=meets.pop(r.item.id, "")) for r in chosen]
    items += [Recommended(framework.training[item], (), meets=text) for item, text in meets.items()]
    return tuple(items)


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

    ``quickest`` minimises typical years; ``fewest_gaps`` minimises the distinct capabilities
    the person must develop on the way, then the levels to gain, then years (ranked over the
    dozen or so quickest simple routes and the best under a per-role gap weight). ``avoid_positional`` keeps to roles
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
    if objective == "fewest_gaps":
        # distinct capabilities are not a sum over edges: rank a pool of good simple paths
        levels = person.levels if person else {}
        pool = _candidate_paths(
            framework, source, target, person, max(POOL, 4 * k), avoid_positional
        )
        scored = sorted((_score(framework, p, levels) for p in pool), key=_ORDER_KEYS[objective])
        paths = [list(c.path) for c in scored[:k]]
    else:
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
    labels: tuple[str, ...]  # what this route is best at, e.g. ("quickest", "fewest_gaps")
    route: Route
    via: tuple[str, ...] = ()  # roles that set it apart from the first route offered


ALTERNATIVE_LABELS = {
    "quickest": "Quickest",
    "fewest_gaps": "Fewest capabilities to develop",
    "no_line_management": "Without line management",
    "other": "Another way",
}

ORDERS = ("quickest", "fewest_gaps")


@dataclass(frozen=True)
class _Candidate:
    path: tuple[str, ...]
    years: float
    count: int  # distinct capabilities to develop
    levels: int  # levels to gain over them
    management: bool


def _candidate_paths(framework, source, target, person, limit, avoid_positional=False):
    """Simple paths (no role twice, so cycles are harmless), the quickest first, then the
    best under the gap objective and without line management, deduplicated."""
    paths: dict[tuple[str, ...], None] = {}

    def take(weight, n):
        try:
            for path in islice(
                nx.shortest_simple_paths(framework.graph, source, target, weight), n
            ):
                paths.setdefault(tuple(path))
        except nx.NetworkXNoPath:
            pass

    take(_weight(framework, "quickest", person, avoid_positional), limit)
    take(_weight(framework, "fewest_gaps", person, avoid_positional), 2)
    if not avoid_positional and not framework.roles[target].positional:
        take(_weight(framework, "quickest", person, True), 2)
    return list(paths)


def _score(framework, path, levels) -> _Candidate:
    graph = framework.graph
    highest: dict[str, int] = {}
    for slug in path[1:]:
        for cap, required in framework.roles[slug].requirements:
            if required > levels.get(cap, 0) and required > highest.get(cap, 0):
                highest[cap] = required
    return _Candidate(
        path,
        sum(graph.edges[a, b]["years"] for a, b in pairwise(path)),
        len(highest),
        sum(required - levels.get(cap, 0) for cap, required in highest.items()),
        any(framework.roles[slug].positional for slug in path[1:]),
    )


_ORDER_KEYS = {
    "quickest": lambda c: (c.years, c.levels, len(c.path), c.path),
    "fewest_gaps": lambda c: (c.count, c.levels, c.years, len(c.path), c.path),
}


def alternative_routes(
    framework: Framework,
    source: str,
    target: str,
    person: Person | None = None,
    k: int = 3,
    order: str = "quickest",
    candidates: int = 8,
) -> list[Alternative]:
    """Up to ``k`` distinct routes, each labelled by what it is best at.

    The quickest route, the one with fewest capabilities to develop and the best one without
    line management (when the target allows one) are always offered; a route that wins on
    several counts is offered once with all its labels, and the list is filled with the
    next-best distinct routes under ``order`` ("quickest" or "fewest_gaps") so the person
    always sees real alternatives when the graph has them. Routes are drawn from the
    ``candidates`` quickest simple paths (plus the best under each other count). A person who
    would rather not line-manage sees routes without line management first.

    >>> from pathways.loader import default_framework
    >>> alts = alternative_routes(default_framework(), "social_worker", "consultant_social_worker")
    >>> len(alts), len({a.route.roles for a in alts})
    (3, 3)
    """
    _check_roles(framework, source, target)
    if order not in _ORDER_KEYS:
        raise ValueError(f"unknown order '{order}'; choose one of {', '.join(ORDERS)}")
    if source == target:
        raise NoRoute(f"you are already at '{target}'; choose a different target role")
    levels = person.levels if person else {}
    pool = [
        _score(framework, path, levels)
        for path in _candidate_paths(framework, source, target, person, max(candidates, k))
    ]
    if not pool:
        raise NoRoute(f"no route from '{source}' to '{target}'")
    primary = _ORDER_KEYS[order]
    wins = [
        ("quickest", min(pool, key=_ORDER_KEYS["quickest"])),
        ("fewest_gaps", min(pool, key=_ORDER_KEYS["fewest_gaps"])),
    ]
    open_routes = [c for c in pool if not c.management]
    if open_routes and not framework.roles[target].positional:
        wins.append(("no_line_management", min(open_routes, key=primary)))
    chosen: dict[tuple[str, ...], list[str]] = {}
    for label, candidate in wins:
        chosen.setdefault(candidate.path, []).append(label)
    for candidate in sorted(pool, key=primary):
        if len(chosen) >= k:
            break
        chosen.setdefault(candidate.path, ["other"])
    by_path = {c.path: c for c in pool}
    paths = sorted(chosen, key=lambda p: primary(by_path[p]))[: max(k, len(wins))]
    if person is not None and not person.line_management:
        paths.sort(key=lambda p: by_path[p].management)  # stable: keeps the order within
    result = []
    for n, path in enumerate(paths):
        # what sets a route apart: its roles the first route does not visit (for the first,
        # those the second does not)
        other = set(paths[1 if n == 0 else 0]) if len(paths) > 1 else set(path)
        via = tuple(r for r in path[1:-1] if r not in other)
        labels = tuple(label for label in ALTERNATIVE_LABELS if label in chosen[path])
        result.append(Alternative(labels, route_from_roles(framework, path, person), via))
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
