"""Property-based tests of the engine on generated frameworks, and fuzzing of the parsers."""

from __future__ import annotations

import json
from functools import lru_cache

import networkx as nx
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.errors import FrameworkError, NoRoute, ProfileError
from pathways.gaps import role_gaps
from pathways.loader import default_framework_path, framework_from_data, parse_framework
from pathways.person import Person, parse_profile
from pathways.routes import find_routes
from pathways.synthetic import synthetic_document
from pathways.training import recommend_training

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@lru_cache(maxsize=64)
def synthetic(size: int, seed: int):
    return framework_from_data(synthetic_document(size, seed), f"synthetic-{size}-{seed}")


@st.composite
def scenario(draw):
    """A generated framework, a reachable (source, target) pair and a person."""
    framework = synthetic(draw(st.integers(10, 40)), draw(st.integers(0, 10_000)))
    source = draw(st.sampled_from(sorted(framework.roles)))
    reachable = sorted(nx.descendants(framework.graph, source))
    target = draw(st.sampled_from(reachable)) if reachable else None
    levels = st.integers(0, framework.max_level)
    ratings = draw(st.dictionaries(st.sampled_from(sorted(framework.capabilities)), levels))
    person = Person(source, ratings=tuple(sorted(ratings.items())))
    return framework, source, target, person


@SETTINGS
@given(scenario(), st.integers(1, 4), st.sampled_from(["quickest", "fewest_gaps"]))
def test_every_route_is_a_simple_path_of_the_graph(case, k, objective):
    framework, source, target, person = case
    if target is None:
        return
    routes = find_routes(framework, source, target, person, k=k, objective=objective)
    assert 1 <= len(routes) <= k
    for route in routes:
        assert route.roles[0] == source and route.roles[-1] == target
        assert len(set(route.roles)) == len(route.roles)
        assert nx.is_simple_path(framework.graph, list(route.roles))
        assert route.years == sum(s.years for s in route.steps)
    if objective == "quickest":
        assert [r.years for r in routes] == sorted(r.years for r in routes)
    else:
        assert [r.gap_count for r in routes] == sorted(r.gap_count for r in routes)


@SETTINGS
@given(scenario())
def test_routes_avoiding_management_contain_no_positional_role(case):
    framework, source, target, person = case
    if target is None:
        return
    try:
        routes = find_routes(framework, source, target, person, k=3, avoid_positional=True)
    except NoRoute:
        return
    for route in routes:
        assert not any(framework.roles[r].positional for r in route.roles[1:])


@SETTINGS
@given(scenario())
def test_a_person_meeting_every_requirement_has_no_gaps(case):
    framework, source, target, _ = case
    expert = Person(source, ratings=tuple((c, framework.max_level) for c in framework.capabilities))
    assert all(role_gaps(framework, slug, expert) == () for slug in framework.roles)
    if target is not None:
        assert all(r.gap_count == 0 for r in find_routes(framework, source, target, expert))


@SETTINGS
@given(scenario(), st.data())
def test_raising_a_rating_never_adds_a_gap(case, data):
    framework, _, _, person = case
    role = data.draw(st.sampled_from(sorted(framework.roles)))
    capability = data.draw(st.sampled_from(sorted(framework.capabilities)))
    levels = person.levels
    raised_to = data.draw(st.integers(levels.get(capability, 0), framework.max_level))
    raised = Person(
        person.current_role, ratings=tuple(sorted({**levels, capability: raised_to}.items()))
    )
    before = {g.capability for g in role_gaps(framework, role, person)}
    after = {g.capability for g in role_gaps(framework, role, raised)}
    assert after <= before


@SETTINGS
@given(scenario(), st.data())
def test_recommended_training_covers_every_gap_it_claims(case, data):
    framework, _, _, person = case
    role = data.draw(st.sampled_from(sorted(framework.roles)))
    gaps = role_gaps(framework, role, person)
    rec = recommend_training(framework, [role], gaps, person)
    gap_caps = {g.capability for g in gaps}
    claimed = [c for r in rec.items for c in r.covers]
    assert len(claimed) == len(set(claimed))  # no gap claimed twice
    for r in rec.items:
        assert r.covers and set(r.covers) <= set(r.item.capabilities) & gap_caps
        assert role in r.item.roles
    assert set(claimed) | set(rec.catalogue_gaps) == gap_caps
    assert not set(claimed) & set(rec.catalogue_gaps)
    # a catalogue gap really is one: no item for this role develops it
    for cap in rec.catalogue_gaps:
        assert not any(cap in i.capabilities for i in framework.training_for_role(role))


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
        assert str(exc).startswith("profile")
    else:
        assert person.current_role in default_framework().roles


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_framework_parser_never_crashes_on_arbitrary_text(text):
    try:
        parse_framework(text, "fuzz.yaml")
    except FrameworkError as exc:
        assert exc.problems and all(p.file == "fuzz.yaml" for p in exc.problems)


GOOD = yaml.safe_load(default_framework_path().read_text())


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_mutated_framework_documents_are_rejected_cleanly(data):
    doc = json.loads(json.dumps(GOOD))
    section = data.draw(st.sampled_from(["roles", "transitions", "training", "capabilities"]))
    entry = data.draw(st.sampled_from(doc[section]))
    key = data.draw(st.sampled_from(sorted(entry)))
    entry[key] = data.draw(json_values)
    try:
        framework_from_data(doc)
    except FrameworkError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


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
