"""Broken framework files: every error names the file, the line and the item."""

from __future__ import annotations

import pytest

from pathways.errors import FrameworkError
from pathways.loader import default_framework_path, load_framework, parse_framework

GOOD = default_framework_path().read_text()


def problems_for(text, name="broken.yaml"):
    with pytest.raises(FrameworkError) as info:
        parse_framework(text, name)
    return info.value.problems


def line_of(text, needle, occurrence=1):
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1


def test_default_framework_is_valid():
    framework = parse_framework(GOOD, "scotland.yaml")
    assert framework.id == "scotland"


def test_mistyped_role_in_transition_names_line_item_and_suggestion():
    text = GOOD.replace(
        "  - from: senior_social_worker\n    to: team_manager",
        "  - from: senior_social_worker\n    to: team_manger",
    )
    [problem] = problems_for(text)
    assert problem.file == "broken.yaml"
    assert problem.line == line_of(text, "to: team_manger")
    assert "senior_social_worker -> team_manger" in problem.item
    assert problem.suggestion == "team_manager"
    assert "broken.yaml:" in str(problem) and "did you mean 'team_manager'" in str(problem)


def test_mistyped_capability_in_requirements_suggests_the_nearest():
    text = GOOD.replace(
        "requirements: {self_leadership: 1, collaborating_influencing: 1,",
        "requirements: {self_leadrship: 1, collaborating_influencing: 1,",
    )
    [problem] = problems_for(text)
    assert problem.suggestion == "self_leadership"
    assert "'student'" in problem.item
    assert problem.line == line_of(text, "self_leadrship")


def test_mistyped_training_support_and_prerequisite():
    text = GOOD.replace(
        "supports: [reflective_supervision, coaching_conversations]",
        "supports: [reflective_supervison, coaching_conversations]",
    )
    text = text.replace(
        "{type: qualification, item: mho_award,", "{type: qualification, item: mho_awrd,"
    )
    assert "mho_awrd" in text
    problems = problems_for(text)
    assert {p.suggestion for p in problems} == {"reflective_supervision", "mho_award"}
    assert all(p.line for p in problems)


def test_missing_required_field_is_reported_on_its_item():
    text = GOOD.replace(
        "    positional: false\n    typical_years: 1\n", "    typical_years: 1\n", 1
    )
    [problem] = problems_for(text)
    assert "'positional' is a required property" in problem.message
    assert "'nqsw'" in problem.item


def test_wrong_type_and_unknown_enum():
    text = GOOD.replace(
        "    kind: academic\n    mode: qualification\n",
        "    kind: academics\n    mode: qualification\n",
        1,
    )
    [problem] = problems_for(text)
    assert "qualifying_degree" in problem.item and "kind" in problem.item
    assert "'academics' is not one of" in problem.message


def test_unknown_field_is_named():
    text = GOOD.replace(
        "    positional: false\n", "    positional: false\n    postional: true\n", 1
    )
    [problem] = problems_for(text)
    assert "unknown field" in problem.message and "postional" in problem.message


def test_source_without_quote_or_citation():
    text = GOOD.replace(
        '      - {doc: F4, quote: "from student through to CSWO"}\n', "      - {doc: F4}\n", 1
    )
    problems = problems_for(text)
    assert any("source" in p.message for p in problems)


def test_unknown_seed_document():
    text = GOOD.replace(
        '{doc: F4, quote: "from student through to CSWO"}', '{doc: F9, quote: "x"}', 1
    )
    [problem] = problems_for(text)
    assert "unknown document 'F9'" in problem.message


def test_level_outside_the_scale():
    text = GOOD.replace(
        "{self_leadership: 1, collaborating_influencing: 1,",
        "{self_leadership: 9, collaborating_influencing: 1,",
    )
    [problem] = problems_for(text)
    assert "level 9 is not on the scale" in problem.message


def test_bad_yaml_gives_a_line():
    text = GOOD.replace("  - slug: nqsw\n", "  - slug: nqsw\n   bad: [\n", 1)
    [problem] = problems_for(text)
    assert "not valid YAML" in problem.message and problem.line is not None


def test_duplicate_key_is_caught():
    text = GOOD.replace("    stage: 1\n", "    stage: 1\n    stage: 2\n", 1)
    [problem] = problems_for(text)
    assert (
        "appears twice" in problem.message
        and problem.line == line_of(text, "    stage: 1\n    stage: 2") + 1
    )


def test_duplicate_slug():
    text = GOOD.replace("  - slug: nqsw\n", "  - slug: student\n", 1)
    problems = problems_for(text)
    assert any("used more than once" in p.message for p in problems)


def add_transition(text, source, target):
    marker = "\n# Training and development."
    extra = f"  - from: {source}\n    to: {target}\n    typical_years: 1\n    supports: []\n    sources: [{{cite: x}}]\n"
    return text.replace(marker, extra + marker, 1)


def test_transition_into_student_is_refused():
    text = add_transition(GOOD, "nqsw", "student")
    [problem] = problems_for(text)
    assert "no transition may lead into 'student'" in problem.message
    assert problem.line == line_of(text, "to: student")


def test_unreachable_role():
    text = GOOD.replace(
        "  - from: social_worker\n    to: specialist_practitioner\n",
        "  - from: mental_health_officer\n    to: mental_health_officer\n",
        1,
    )
    problems = problems_for(text)
    assert any("cannot lead from a role to itself" in p.message for p in problems)
    text = GOOD.replace(
        "  - from: social_worker\n    to: specialist_practitioner\n",
        "  - from: specialist_practitioner\n    to: mental_health_officer\n",
        1,
    )
    problems = problems_for(text)
    assert any(
        "'specialist_practitioner' cannot be reached from 'student'" in p.message for p in problems
    )
    assert all(p.line for p in problems)


def test_no_non_management_route_to_a_senior_role():
    # Make every senior non-management role positional: only management leads upwards.
    text = GOOD
    for slug in ("consultant_social_worker",):
        start = text.index(f"  - slug: {slug}\n")
        text = text[:start] + text[start:].replace(
            "    positional: false\n", "    positional: true\n", 1
        )
    problems = problems_for(text)
    assert any("without passing through a positional role" in p.message for p in problems)


def test_orphan_training_item():
    text = GOOD.replace(
        "    roles: [team_leader, team_manager, service_manager]\n    sw_specific: false\n    scope: local\n",
        "    roles: []\n    sw_specific: false\n    scope: local\n",
        1,
    )
    [problem] = problems_for(text)
    assert "orphan training item" in problem.message and "'corporate_training'" in problem.item


def test_every_problem_is_reported_at_once():
    text = GOOD.replace("to: team_manager", "to: team_manger").replace(
        "track: expert", "track: expret"
    )
    problems = problems_for(text)
    assert len(problems) >= 3
    assert {p.suggestion for p in problems} >= {"team_manager", "expert"}


def test_unreadable_file(tmp_path):
    with pytest.raises(FrameworkError, match="cannot be read"):
        load_framework(tmp_path / "missing.yaml")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(FrameworkError, match="cannot be read"):
        load_framework(binary)


@pytest.mark.parametrize("text", ["", "[]", "just a string", "framework: 3"])
def test_documents_of_the_wrong_shape(text):
    assert problems_for(text)
