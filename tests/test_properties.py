"""Property-based tests of the engine on generated frameworks, and fuzzing of the parsers.

The strategies build valid cases by construction (a source with somewhere to go, a target it
can reach, a capability the role asks for held below its level), so nearly every example
reaches its property. The expectations come from the framework document itself, through the
plain helpers below (a breadth-first search over its transitions, its years, requirements and
training lists), never from the engine's networkx graph or model lookups. Each engine
property counts the examples that reach its assertions, by outcome, and fails unless most do.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter, deque
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pathways.errors import FrameworkError, NoRoute, ProfileError
from pathways.gaps import role_gaps
from pathways.loader import default_framework_path, framework_from_data, parse_framework
from pathways.model import Framework
from pathways.person import Person, parse_profile
from pathways.routes import OBJECTIVES, POOL, alternative_routes, find_routes
from pathways.synthetic import synthetic_document
from pathways.training import recommend_training

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@lru_cache(maxsize=64)
def synthetic(size: int, seed: int, cycles: bool = False) -> tuple[dict, Framework]:
    """A generated framework document (not to be changed) and the framework loaded from it;
    with ``cycles``, it has sideways and return moves as well."""
    document = synthetic_document(size, seed, cycles=cycles)
    return document, framework_from_data(json.loads(json.dumps(document)), f"synthetic-{seed}")


# Plain answers from the document, independent of the engine.


_MOVES: dict[int, dict] = {}  # by document: generated documents are cached, never changed


def moves(document: dict) -> dict[tuple[str, str], float]:
    """(from, to) -> typical years, for every transition in the document."""
    key = id(document)
    if key not in _MOVES:
        _MOVES[key] = {(t["from"], t["to"]): t["typical_years"] for t in document["transitions"]}
    return _MOVES[key]


def successors(document: dict) -> dict[str, list[str]]:
    """Role -> the roles its moves lead to, in document order."""
    key = -id(document)
    if key not in _MOVES:
        following: dict[str, list[str]] = {}
        for a, b in moves(document):
            following.setdefault(a, []).append(b)
        _MOVES[key] = following
    return _MOVES[key]


def reachable(document: dict, source: str, avoid_positional: bool = False) -> dict[str, int]:
    """Roles reachable from ``source`` by the document's transitions, each with the fewest
    moves it takes (a breadth-first search), entering no management (positional) role when
    ``avoid_positional``."""
    positional = {r["slug"] for r in document["roles"] if r["positional"]}
    found, queue = {source: 0}, deque([source])
    while queue:
        role = queue.popleft()
        for b in successors(document).get(role, ()):
            if b not in found and not (avoid_positional and b in positional):
                found[b] = found[role] + 1
                queue.append(b)
    del found[source]
    return found


def fewest_years(document: dict, source: str, target: str) -> float:
    """The least typical years from ``source`` to ``target`` (Dijkstra over the document)."""
    best, queue = {source: 0}, [(0, source)]
    while queue:
        years, role = heapq.heappop(queue)
        if role == target:
            return years
        for b in successors(document).get(role, ()):
            step = moves(document)[role, b]
            if years + step < best.get(b, float("inf")):
                best[b] = years + step
                heapq.heappush(queue, (years + step, b))
    raise AssertionError(f"{target} is not reachable from {source}")


def count_paths(document: dict, source: str, target: str, limit: int) -> int:
    """How many simple paths lead from ``source`` to ``target``, counting no further than
    ``limit``."""
    found = 0

    following = successors(document)

    def walk(role, seen):
        nonlocal found
        for b in following.get(role, ()):
            if found >= limit:
                return
            if b not in seen:
                if b == target:
                    found += 1
                else:
                    walk(b, seen | {b})

    walk(source, {source})
    return found


def requirements(document: dict, role: str) -> dict[str, int]:
    return next(r["requirements"] for r in document["roles"] if r["slug"] == role)


def gap_capabilities(document: dict, role: str, levels: dict[str, int]) -> set[str]:
    return {c for c, need in requirements(document, role).items() if levels.get(c, 0) < need}


def to_develop(document: dict, roles, levels: dict[str, int]) -> set[str]:
    """The distinct capabilities short anywhere on a route after its start."""
    return set().union(*(gap_capabilities(document, role, levels) for role in roles[1:]))


def has_cycles(document: dict) -> bool:
    """Some move goes sideways or back (to a role at the same or an earlier stage)."""
    stage = {r["slug"]: r["stage"] for r in document["roles"]}
    return any(stage[b] <= stage[a] for a, b in moves(document))


def all_paths(document: dict, source: str, target: str) -> list[tuple[str, ...]]:
    """Every simple path from ``source`` to ``target`` (a depth-first walk)."""
    found = []

    following = successors(document)

    def walk(path):
        for b in following.get(path[-1], ()):
            if b not in path:
                if b == target:
                    found.append((*path, b))
                else:
                    walk((*path, b))

    walk((source,))
    return found


def training_for(document: dict, role: str) -> list[dict]:
    return [t for t in document["training"] if role in t["roles"]]


@dataclass
class Reached:
    """Counts a property's examples, and the outcomes of those that reach its assertions;
    ``assert_most`` fails when a strategy lets most examples slip past the property. (The
    properties run as an inner @given function so this count can be checked after them.)"""

    examples: int = 0
    outcomes: Counter = field(default_factory=Counter)

    def example(self) -> None:
        self.examples += 1

    def check(self, outcome: str) -> None:
        self.outcomes[outcome] += 1

    def assert_most(self, share: float = 0.9) -> None:
        checked = sum(self.outcomes.values())
        assert self.examples >= 20, f"only {self.examples} examples ran"
        assert checked >= share * self.examples, (
            f"{checked} of {self.examples} examples reached the property: {dict(self.outcomes)}"
        )


@dataclass(frozen=True)
class Case:
    document: dict
    framework: Framework
    source: str
    target: str
    person: Person


@st.composite
def frameworks(draw) -> tuple[dict, Framework]:
    """Generated frameworks, half of them with cycles (sideways and return moves)."""
    return synthetic(draw(st.integers(10, 40)), draw(st.integers(0, 10_000)), draw(st.booleans()))


@st.composite
def people(draw, framework: Framework, role: str) -> Person:
    levels = st.integers(0, framework.max_level)
    ratings = draw(st.dictionaries(st.sampled_from(sorted(framework.capabilities)), levels))
    return Person(role, ratings=tuple(sorted(ratings.items())))


def far_first(found: dict[str, int]) -> list[str]:
    """Roles farthest first: hypothesis prefers (and shrinks towards) the start of a list, so
    its examples lean towards long routes rather than one-step ones."""
    return sorted(found, key=lambda role: (-found[role], role))


def paths_to(document: dict, source: str) -> dict[str, int]:
    """How many simple paths lead from ``source`` to each role it reaches, counting to 2."""
    return {role: count_paths(document, source, role, 2) for role in reachable(document, source)}


@st.composite
def scenario(draw, avoid_positional: bool = False, alternatives: bool = False) -> Case:
    """A generated framework, a source role with somewhere to go, a target it can reach
    (without entering a management role, if asked; with ``alternatives``, by more than one
    route) and a person at the source."""
    document, framework = draw(frameworks())
    options = {role: reachable(document, role, avoid_positional) for role in framework.roles}
    if alternatives:  # only targets with several routes to them (if the framework has any)
        several = {}
        for role, found in options.items():
            paths = paths_to(document, role)
            several[role] = {target: hops for target, hops in found.items() if paths[target] > 1}
        options = several if any(several.values()) else options
    sources = {role: len(found) for role, found in options.items() if found}
    source = draw(st.sampled_from(far_first(sources)))  # most options first
    target = draw(st.sampled_from(far_first(options[source])))
    return Case(document, framework, source, target, draw(people(framework, source)))


def test_every_route_is_a_simple_path_of_the_document():
    reached = Reached()

    @SETTINGS
    @given(scenario(alternatives=True), st.sampled_from((3, 4, 2, 1)), st.sampled_from(OBJECTIVES))
    def check(case, k, objective):
        reached.example()
        document, source, target = case.document, case.source, case.target
        routes = find_routes(case.framework, source, target, case.person, k=k, objective=objective)
        # as many routes as there are paths, up to k, each a different simple path
        assert len(routes) == count_paths(document, source, target, k)
        assert len({r.roles for r in routes}) == len(routes)
        years = moves(document)
        for route in routes:
            assert route.roles[0] == source and route.roles[-1] == target
            assert len(set(route.roles)) == len(route.roles)
            pairs = list(pairwise(route.roles))
            assert all(pair in years for pair in pairs)
            assert route.years == sum(years[pair] for pair in pairs)
            # capabilities to develop are distinct: a capability short on three steps is one
            assert route.gap_count == len(to_develop(document, route.roles, case.person.levels))
        if objective == "quickest":
            assert routes[0].years == fewest_years(document, source, target)
            assert [r.years for r in routes] == sorted(r.years for r in routes)
        else:
            assert [r.gap_count for r in routes] == sorted(r.gap_count for r in routes)
            if count_paths(document, source, target, POOL + 1) <= POOL:  # the pool is all
                every = all_paths(document, source, target)
                best = min(len(to_develop(document, p, case.person.levels)) for p in every)
                assert routes[0].gap_count == best
        cyclic = "cycles" if has_cycles(document) else "acyclic"
        reached.check(f"{len(routes)} of k={k} routes, {objective}, {cyclic}")

    check()
    reached.assert_most()
    assert any(o.endswith(", cycles") for o in reached.outcomes), "no example had cycles"


def test_routes_avoiding_management_contain_no_positional_role():
    reached = Reached()

    @SETTINGS
    @given(scenario(avoid_positional=True))
    def check(case):
        reached.example()
        routes = find_routes(
            case.framework, case.source, case.target, case.person, k=3, avoid_positional=True
        )
        positional = {r["slug"] for r in case.document["roles"] if r["positional"]}
        for route in routes:
            assert route.roles[0] == case.source and route.roles[-1] == case.target
            assert not positional & set(route.roles[1:])
            assert all(pair in moves(case.document) for pair in pairwise(route.roles))
        reached.check(f"{len(routes[0].roles) - 1}-step route")

    check()
    reached.assert_most()


@st.composite
def any_target(draw) -> tuple[dict, Framework, str, str, bool]:
    """A framework, a source, any other role as target (half the time one the source can
    reach, so both answers come up) and whether to avoid management."""
    document, framework = draw(frameworks())
    avoid = draw(st.booleans())
    source = draw(st.sampled_from(sorted(framework.roles)))
    others = sorted(set(framework.roles) - {source})
    found = far_first(reachable(document, source, avoid))
    target = draw(
        st.one_of(st.sampled_from(found), st.sampled_from(others))
        if found
        else st.sampled_from(others)
    )
    return document, framework, source, target, avoid


def test_no_route_exactly_when_the_document_has_no_path():
    reached = Reached()

    @SETTINGS
    @given(any_target())
    def check(case):
        reached.example()
        document, framework, source, target, avoid = case
        expected = target in reachable(document, source, avoid)
        try:
            find_routes(framework, source, target, k=1, avoid_positional=avoid)
        except NoRoute:
            found = False
        else:
            found = True
        assert found == expected, (source, target, avoid)
        reached.check(
            ("route" if found else "no route") + (" avoiding management" if avoid else "")
        )

    check()
    reached.assert_most()


def test_a_person_meeting_every_requirement_has_no_gaps():
    reached = Reached()

    @SETTINGS
    @given(scenario())
    def check(case):
        reached.example()
        framework = case.framework
        top = max(lv["level"] for lv in case.document["scale"]["levels"])
        expert = Person(case.source, ratings=tuple((c, top) for c in framework.capabilities))
        assert all(role_gaps(framework, slug, expert) == () for slug in framework.roles)
        routes = find_routes(framework, case.source, case.target, expert)
        assert routes and all(r.gap_count == 0 for r in routes)
        assert all(step.gaps == () for r in routes for step in r.steps)
        reached.check("checked")

    check()
    reached.assert_most()


@st.composite
def role_with_a_gap(draw) -> tuple[dict, Framework, str, str, Person]:
    """A framework, a role, one capability it requires and a person below that level."""
    document, framework = draw(frameworks())
    role = draw(st.sampled_from(sorted(framework.roles)))
    capability, needed = draw(st.sampled_from(sorted(requirements(document, role).items())))
    person = draw(people(framework, role))
    levels = {**person.levels, capability: draw(st.integers(0, needed - 1))}
    return (
        document,
        framework,
        role,
        capability,
        Person(role, ratings=tuple(sorted(levels.items()))),
    )


def test_raising_a_rating_never_adds_a_gap():
    reached = Reached()

    @SETTINGS
    @given(role_with_a_gap(), st.integers(0, 5))
    def check(case, steps_up):
        reached.example()
        document, framework, role, capability, person = case
        needed = requirements(document, role)[capability]
        raised_to = min(person.level(capability) + steps_up, framework.max_level)
        raised = Person(
            role, ratings=tuple(sorted({**person.levels, capability: raised_to}.items()))
        )
        before = {g.capability for g in role_gaps(framework, role, person)}
        after = {g.capability for g in role_gaps(framework, role, raised)}
        assert before == gap_capabilities(document, role, person.levels)
        assert capability in before
        # only the raised capability can change, and it closes exactly when it reaches the level
        assert after == before - ({capability} if raised_to >= needed else set())
        reached.check("gap closed" if raised_to >= needed else "gap still open")

    check()
    reached.assert_most()


def test_recommended_training_covers_every_gap_it_claims():
    reached = Reached()

    @SETTINGS
    @given(role_with_a_gap())
    def check(case):
        reached.example()
        document, framework, role, _, person = case
        gaps = role_gaps(framework, role, person)
        gap_caps = gap_capabilities(document, role, person.levels)
        assert {g.capability for g in gaps} == gap_caps
        rec = recommend_training(framework, [role], gaps, person)
        catalogue = {t["id"]: t for t in training_for(document, role)}
        claimed = [c for r in rec.items for c in r.covers]
        assert len(claimed) == len(set(claimed))  # no gap claimed twice
        for r in rec.items:
            assert r.item.id in catalogue  # an item for this role, from the document
            assert (
                r.covers and set(r.covers) <= set(catalogue[r.item.id]["capabilities"]) & gap_caps
            )
        assert set(claimed) | set(rec.catalogue_gaps) == gap_caps
        assert not set(claimed) & set(rec.catalogue_gaps)
        # a catalogue gap really is one: no item for this role develops it; every other gap is
        # developed by some item for this role
        developed = {c for t in catalogue.values() for c in t["capabilities"]}
        assert set(rec.catalogue_gaps) == gap_caps - developed
        reached.check("training recommended" if rec.items else "only catalogue gaps")

    check()
    reached.assert_most()


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 100)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=15), children, max_size=5)
    ),
    max_leaves=20,
)
profile_like = st.fixed_dictionaries(
    {"current_role": st.sampled_from(["social_worker", "nqsw", "nope", 3])},
    optional={
        "years_qualified": json_values,
        "ratings": st.dictionaries(st.sampled_from(["vision", "empowering", "x"]), json_values),
        "service_areas": json_values,
        "completed_training": json_values,
        "preferences": json_values,
        "plan_items": st.lists(
            st.dictionaries(st.sampled_from(["item", "role", "status", "due"]), json_values)
        ),
    },
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(json_values, profile_like))
def test_profile_parser_accepts_or_names_the_problem(data):
    from pathways.loader import default_framework

    try:
        person = parse_profile(data, default_framework())
    except ProfileError as exc:
        event("rejected")
        assert str(exc).startswith("profile")
    else:  # accepted as written
        event("accepted")
        assert person.current_role == data["current_role"]
        assert person.levels == data.get("ratings", {})
        assert person.years_qualified == data.get("years_qualified", 0)
        assert person.completed_training == frozenset(data.get("completed_training", ()))


def assert_loaded_as_written(framework: Framework, document: dict) -> None:
    """An accepted document is the framework: the same roles (title, track, stage, management
    or not, years, requirements), transitions (with years), capabilities and training."""
    assert {
        slug: (r.title, r.track, r.stage, r.positional, r.typical_years, r.required)
        for slug, r in framework.roles.items()
    } == {
        r["slug"]: (
            r["title"],
            r["track"],
            r["stage"],
            r["positional"],
            r["typical_years"],
            r["requirements"],
        )
        for r in document["roles"]
    }
    assert sorted((t.source, t.target, t.typical_years) for t in framework.transitions) == sorted(
        (t["from"], t["to"], t["typical_years"]) for t in document["transitions"]
    )
    assert [(c.slug, c.title) for c in framework.capabilities.values()] == [
        (c["slug"], c["title"]) for c in document["capabilities"]
    ]
    assert {
        i: (t.title, list(t.capabilities), list(t.roles)) for i, t in framework.training.items()
    } == {t["id"]: (t["title"], t["capabilities"], t["roles"]) for t in document["training"]}


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_framework_parser_never_crashes_on_arbitrary_text(text):
    try:
        framework = parse_framework(text, "fuzz.yaml")
    except FrameworkError as exc:
        assert exc.problems and all(p.file == "fuzz.yaml" for p in exc.problems)
    else:
        assert_loaded_as_written(framework, yaml.safe_load(text))


GOOD = yaml.safe_load(default_framework_path().read_text())


def like(value) -> st.SearchStrategy:
    """Values of the same kind as ``value`` (another title, a subset of a list, other levels),
    which a document may well accept, unlike most arbitrary JSON."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int | float):
        return st.integers(0, 8) | st.sampled_from([0.5, 1.5, 2.5])
    if isinstance(value, str):
        return st.text(" abcxyz ABC-123", min_size=1, max_size=20)
    if isinstance(value, list) and value:
        return st.lists(st.sampled_from(value), min_size=1, max_size=len(value), unique_by=repr)
    if isinstance(value, dict) and value:
        return st.dictionaries(st.sampled_from(sorted(value)), st.integers(0, 5), min_size=1)
    return json_values


def test_the_real_framework_is_loaded_as_written(framework):
    assert_loaded_as_written(framework, GOOD)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_mutated_framework_documents_are_rejected_cleanly_or_loaded_as_written(data):
    doc = json.loads(json.dumps(GOOD))
    changed = []
    for _ in range(data.draw(st.integers(1, 2))):
        section = data.draw(st.sampled_from(["roles", "transitions", "training", "capabilities"]))
        entry = data.draw(st.sampled_from(doc[section]))
        key = data.draw(st.sampled_from(sorted(entry)))
        plausible = data.draw(st.integers(0, 3)) > 0  # three times in four, a value of its kind
        entry[key] = data.draw(like(entry[key]) if plausible else json_values)
        changed.append(f"{section} {key}")
    try:
        framework = framework_from_data(json.loads(json.dumps(doc)))
    except FrameworkError as exc:
        event("rejected")
        assert exc.problems and all(p.message for p in exc.problems)
    else:
        event("accepted")
        for change in changed:
            event(f"accepted: {change}")
        assert_loaded_as_written(framework, doc)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_documents_differing_in_wording_and_years_are_loaded_as_written(data):
    doc = json.loads(json.dumps(GOOD))
    text = st.text(min_size=1, max_size=30)
    years = st.floats(0, 12, allow_nan=False) | st.integers(0, 12)
    for section, key, values in (
        ("roles", "title", text),
        ("roles", "typical_years", years),
        ("transitions", "typical_years", years),
        ("capabilities", "title", text),
        ("training", "title", text),
    ):
        entry = data.draw(st.sampled_from(doc[section]))
        entry[key] = data.draw(values)
    assert_loaded_as_written(framework_from_data(json.loads(json.dumps(doc))), doc)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_profiles_round_trip_through_json(data):
    from pathways.loader import default_framework
    from pathways.person import person_to_json

    fw = default_framework()
    raw = {
        "current_role": data.draw(st.sampled_from(sorted(fw.roles))),
        "years_qualified": data.draw(st.integers(0, 40)),
        "service_areas": data.draw(
            st.dictionaries(st.sampled_from(sorted(fw.service_areas)), st.integers(0, 30))
        ),
        "ratings": data.draw(
            st.dictionaries(st.sampled_from(sorted(fw.capabilities)), st.integers(0, 5))
        ),
        "completed_training": data.draw(
            st.lists(st.sampled_from(sorted(fw.training)), unique=True)
        ),
        "preferences": {"line_management": data.draw(st.booleans())},
        "plan_items": data.draw(
            st.lists(
                st.fixed_dictionaries(
                    {"item": st.sampled_from(sorted(fw.training))},
                    optional={
                        "role": st.sampled_from(sorted(fw.roles)),
                        "status": st.sampled_from(["planned", "done"]),
                        "due": st.dates().map(str),
                    },
                ),
                max_size=4,
            )
        ),
    }
    person = parse_profile(raw, fw)
    again = parse_profile(json.loads(json.dumps(person_to_json(person))), fw)
    assert again == person


def test_alternatives_are_distinct_routes_labelled_by_what_they_win():
    reached = Reached()

    @SETTINGS
    @given(scenario(alternatives=True))
    def check(case):
        reached.example()
        document, source, target = case.document, case.source, case.target
        alternatives = alternative_routes(case.framework, source, target, case.person, k=3)
        routes = [a.route for a in alternatives]
        # three distinct simple routes whenever the document has three
        assert len(alternatives) == count_paths(document, source, target, 3)
        assert len({r.roles for r in routes}) == len(routes)
        for alternative in alternatives:
            roles = alternative.route.roles
            assert roles[0] == source and roles[-1] == target and len(set(roles)) == len(roles)
            assert all(pair in moves(document) for pair in pairwise(roles))
            assert set(alternative.via) <= set(roles[1:-1])
        labelled = {label: a.route for a in alternatives for label in a.labels}
        assert sum("quickest" in a.labels for a in alternatives) == 1
        assert sum("fewest_gaps" in a.labels for a in alternatives) == 1
        assert labelled["quickest"].years == fewest_years(document, source, target)
        assert labelled["fewest_gaps"].gap_count == min(r.gap_count for r in routes)
        positional = {r["slug"] for r in document["roles"] if r["positional"]}
        open_route = target not in positional and target in reachable(document, source, True)
        assert ("no_line_management" in labelled) == open_route
        if open_route:
            assert not positional & set(labelled["no_line_management"].roles[1:])
        cyclic = "cycles" if has_cycles(document) else "acyclic"
        reached.check(f"{len(alternatives)} routes, {cyclic}")

    check()
    reached.assert_most()
    assert any(o.endswith(", cycles") for o in reached.outcomes), "no example had cycles"
