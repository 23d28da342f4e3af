"""Hostile YAML is refused before anything is built from it: alias bombs, anchors, merge keys,
deep nesting, too many values, too many bytes, several documents. Through the loader and
through the framework import, which answers with the problem on the file field and stores
nothing. Also: framework ids and versions safe for file names and headers.

None of these tests is timed: each hostile input would take seconds, gigabytes or the
recursion limit without the guard, so a refusal with the guard's message is the evidence.
bench/bench_yaml_guard.py measures how fast the refusals are.
"""

from __future__ import annotations

import html
import io
import re

import pytest
import sqlalchemy as sa
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.editing import dump_data, load_data, set_role, validate_data
from pathways.errors import FrameworkError
from pathways.loader import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_NODES,
    Document,
    default_framework_path,
    parse_framework,
    read_document,
)
from planner.extensions import db
from planner.models import FrameworkVersion

SHIPPED = default_framework_path().read_text(encoding="utf-8")

# The classic "billion laughs": nine lists of nine aliases of the list before, 9^9 strings.
BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
NO_ALIASES = "write the value out in full; anchors and aliases are not accepted"
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"


def nested_lists(levels: int) -> str:
    return "[" * levels + "]" * levels


def nested_mappings(levels: int, indent: str = "  ") -> str:
    """Block mappings, one level per line: level n is on line n + 1."""
    return "".join(f"{indent * n}k{n}:\n" for n in range(levels)) + indent * levels + "end\n"


def refusal(text: str, **kwargs) -> list:
    with pytest.raises(FrameworkError) as caught:
        read_document(text, "hostile.yaml", **kwargs)
    problems = caught.value.problems
    assert problems and all(p.file == "hostile.yaml" for p in problems)
    return problems


# --- the loader ----------------------------------------------------------------------


def test_the_billion_laughs_bomb_is_refused_at_its_first_anchor():
    problems = refusal(BOMB)
    assert (problems[0].line, problems[0].item) == (1, "document")
    assert problems[0].message.startswith("'&a' is an anchor") and NO_ALIASES in problems[0].message
    assert (problems[1].line, problems[1].message[:5]) == (2, "'&b' ")
    assert "'*a' is an alias" in problems[2].message
    # 9 anchors and 72 aliases: twenty listed, then the rest in one line
    assert len(problems) == 21 and problems[-1].message.startswith("and 61 more anchors")


def test_a_single_anchor_and_alias_are_refused_with_their_lines():
    problems = refusal("title: &name Social work\nsubtitle: *name\n")
    assert [(p.line, p.message) for p in problems] == [
        (1, f"'&name' is an anchor (it names a value to repeat elsewhere); {NO_ALIASES}"),
        (2, f"'*name' is an alias (it repeats a value written elsewhere); {NO_ALIASES}"),
    ]


def test_merge_keys_are_refused_but_a_quoted_key_is_text():
    problems = refusal("roles:\n  - slug: a\n    <<: {title: A}\n")
    assert [(p.line, p.message) for p in problems] == [
        (
            3,
            "'<<' is a merge key (it copies another mapping's keys in here); write the keys "
            "out in full; merge keys are not accepted",
        )
    ]
    assert "merge key" in refusal("x:\n  !!merge a: {b: 1}\n")[0].message
    assert read_document('x:\n  "<<": 1\n').data == {"x": {"<<": 1}}


@pytest.mark.parametrize(
    "text, line",
    [
        (nested_lists(990), 1),
        ("{a: " * 990 + "1" + "}" * 990, 1),
        (nested_mappings(990), MAX_DEPTH + 1),
        ("".join(f"{'  ' * n}- \n" for n in range(990)) + "  " * 990 + "x\n", MAX_DEPTH + 1),
    ],
    ids=["flow lists", "flow mappings", "block mappings", "block lists"],
)
def test_990_levels_of_nesting_are_refused_where_they_pass_the_limit(text, line):
    problems = refusal(text)
    assert len(problems) == 1 and problems[0].line == line
    assert TOO_DEEP in problems[0].message and "check the indentation" in problems[0].message


def test_nesting_up_to_the_limit_is_read_with_every_line():
    doc = read_document(nested_mappings(MAX_DEPTH))
    deepest = tuple(f"k{n}" for n in range(MAX_DEPTH))
    assert doc.line(deepest) == MAX_DEPTH
    refusal(nested_mappings(MAX_DEPTH + 1))
    assert isinstance(read_document(nested_lists(MAX_DEPTH)), Document)
    refusal(nested_lists(MAX_DEPTH + 1))


def test_an_oversized_document_is_refused_before_it_is_parsed():
    # ends in an unclosed quote: parsing it at all would report that instead
    text = "notes: '" + "a" * MAX_DOCUMENT_BYTES
    problems = refusal(text)
    assert len(problems) == 1 and problems[0].line is None
    assert "larger than 1,000,000 bytes (1 MB)" in problems[0].message
    # bytes, not characters: 'é' is two bytes in UTF-8
    refusal("x: " + "é" * (MAX_DOCUMENT_BYTES // 2))


def test_too_many_values_are_refused():
    text = "[" + ",".join(["0"] * MAX_NODES) + "]"  # the list and its values: one too many
    problems = refusal(text)
    assert len(problems) == 1 and problems[0].line == 1
    assert "more than 100,000 values" in problems[0].message
    assert len(read_document("[" + ",".join(["0"] * (MAX_NODES - 1)) + "]").data) == MAX_NODES - 1


def test_a_second_document_is_refused_at_its_line():
    problems = refusal("framework: {id: a}\n---\nframework: {id: b}\n")
    assert len(problems) == 1 and problems[0].line == 2
    assert "a second YAML document starts here" in problems[0].message


def test_values_yaml_cannot_build_are_problems_on_their_line():
    for text, words in [
        ("a: 1\nstart: 2024-02-30\n", "'2024-02-30' cannot be read as a date"),
        ("a: 1\nyears: " + "9" * 5000 + "\n", "cannot be read as a whole number (too many"),
        ("a: 1\nflag: !!bool maybe\n", "'maybe' cannot be read as yes or no"),
        ("a: 1\nyears: !!int\n", "'' cannot be read as a whole number"),
    ]:
        (problem,) = refusal(text)
        assert problem.line == 2 and words in problem.message, problem


def test_the_shipped_framework_passes_the_guard():
    assert parse_framework(SHIPPED, "scotland.yaml").id == "scotland"
    assert len(SHIPPED.encode()) < MAX_DOCUMENT_BYTES / 10


def _with_aliases(text: str) -> str:
    """The shipped framework as versions stored before anchors were refused: with aliases."""
    data = yaml.safe_load(text)
    capabilities = data["capabilities"]
    for capability in capabilities[1:6]:
        capability["sources"] = capabilities[0]["sources"]
    aliased = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    assert "&id001" in aliased and "*id001" in aliased
    return aliased


def test_stored_versions_with_aliases_still_load_but_bombs_do_not():
    aliased = _with_aliases(SHIPPED)
    refusal(aliased)
    framework = parse_framework(aliased, "stored", allow_aliases=True)
    assert framework.capabilities["vision"].sources == framework.capabilities["empowering"].sources
    problems = refusal(BOMB, allow_aliases=True)
    assert len(problems) == 1 and "more than 100,000 values" in problems[0].message
    (problem,) = refusal("a: &a [1, *a]\n", allow_aliases=True)
    assert "refers to a value that contains it" in problem.message
    # the document, then 38 levels: 39 deep; its alias two lists further in: 41 deep
    deep = "a: &a " + nested_lists(38) + "\nb: [[*a]]\n"
    (problem,) = refusal(deep, allow_aliases=True)
    assert problem.line == 2 and TOO_DEEP in problem.message
    assert read_document(deep.replace("[[*a]]", "[*a]"), allow_aliases=True).line(("b",)) == 2


def test_edits_are_written_without_anchors():
    # a training gap without a source of its own borrows the role's first source: the same
    # object twice, which PyYAML would write as an anchor and an alias
    data = load_data(SHIPPED)
    edited = set_role(data, "senior_practitioner", {"training_gap": "No course found"})
    text = dump_data(edited)
    assert not re.search(r"(^|\s)[&*]id\d+", text)
    _framework, saved = validate_data(edited)
    assert read_document(saved).data["roles"] == edited["roles"]


def test_load_data_goes_through_the_guard():
    with pytest.raises(FrameworkError, match="anchors and aliases are not accepted"):
        load_data(BOMB)
    with pytest.raises(FrameworkError, match=TOO_DEEP):
        load_data(nested_lists(990))


# --- versions and ids safe for headers ----------------------------------------------


@pytest.mark.parametrize("version", ["2026.1\r\nX-Evil: 1", "2026.é", "2026.1\n", "v" * 65, ""])
def test_unsafe_versions_are_refused_naming_the_field(version):
    text = SHIPPED.replace('version: "2026.1"', f"version: {version!r}".replace("'", '"'), 1)
    assert text != SHIPPED
    with pytest.raises(FrameworkError) as caught:
        parse_framework(text, "f.yaml")
    (problem,) = caught.value.problems
    assert (problem.item, problem.line) == ("framework.version", 10)
    assert "use only the letters A-Z and a-z, the digits 0-9 and . _ + -" in problem.message


def test_framework_ids_are_refused_with_a_line_break_or_too_long():
    for bad, words in [("scotland\\n", "must start with a lower-case letter"), ("a" * 65, "is 65")]:
        text = SHIPPED.replace("  id: scotland", f'  id: "{bad}"', 1)
        with pytest.raises(FrameworkError) as caught:
            parse_framework(text, "f.yaml")
        (problem,) = caught.value.problems
        assert problem.item == "framework.id" and words in problem.message


# --- properties ----------------------------------------------------------------------

PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
)
NESTED = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=30,
)


def _read(text: str):
    try:
        return read_document(text, "fuzz.yaml")
    except FrameworkError as exc:
        assert exc.problems and all(p.file == "fuzz.yaml" for p in exc.problems)
        return exc


@PROPERTIES
@given(st.text(max_size=300))
def test_arbitrary_text_is_a_document_or_a_framework_error(text):
    assert isinstance(_read(text), Document | FrameworkError)


@PROPERTIES
@given(NESTED, st.integers(0, 3))
def test_nested_yaml_is_read_and_shared_values_are_refused(value, shared):
    if shared == 0 and isinstance(value, list | dict) and value:
        value = {"first": value, "again": value}  # safe_dump writes an anchor and an alias
        result = _read(yaml.safe_dump(value))
        assert isinstance(result, FrameworkError) and "anchor" in str(result)
    else:
        assert isinstance(_read(yaml.safe_dump(value)), Document | FrameworkError)


# --- through the web -----------------------------------------------------------------


@pytest.fixture
def editor(app, make_user, login, client):
    make_user("editor@example.org", roles=("national_editor",), current_role=None)
    login("editor@example.org")
    return client


def _versions(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(FrameworkVersion.id)))


def _import(app, client, text: str, filename: str = "hostile.yaml"):
    with app.app_context():
        base = db.session.scalar(sa.select(FrameworkVersion.id).filter_by(is_current=True))
    return client.post(
        "/framework/import",
        data={
            "base": str(base),
            "note": "test",
            "file": (io.BytesIO(text.encode()), filename),
        },
        content_type="multipart/form-data",
    )


def _file_error(body: str) -> str:
    found = re.search(r'<p id="file-error" class="govuk-error-message">(.*?)</p>', body, re.S)
    assert found, body[-2000:]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


@pytest.mark.parametrize(
    "text, words",
    [
        (BOMB, f"line 1: '&a' is an anchor (it names a value to repeat elsewhere); {NO_ALIASES}"),
        (nested_lists(990), f"line 1: lists and mappings are {TOO_DEEP} here"),
        ("{a: " * 990 + "1" + "}" * 990, f"line 1: lists and mappings are {TOO_DEEP} here"),
        # one space a level keeps the upload under the test client's 500 KB in memory
        (nested_mappings(990, " "), f"line {MAX_DEPTH + 1}: lists and mappings are {TOO_DEEP}"),
    ],
    ids=["alias bomb", "990 nested lists", "990 nested flow mappings", "990 nested mappings"],
)
def test_hostile_imports_are_refused_on_the_file_field_and_store_nothing(app, editor, text, words):
    before = _versions(app)
    response = _import(app, editor, text)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    error = _file_error(body)
    assert error.startswith("Error: hostile.yaml was not imported:") and words in error, error
    assert error.endswith("Nothing has been changed.")
    assert _versions(app) == before


def test_an_unsafe_version_is_refused_on_import_and_downloads_stay_safe(app, editor):
    before = _versions(app)
    text = SHIPPED.replace('version: "2026.1"', 'version: "2026.2\\r\\nX-Evil: 1"', 1)
    response = _import(app, editor, text, "evil.yaml")
    assert response.status_code == 400
    assert "line 10:" in _file_error(response.get_data(as_text=True))
    assert _versions(app) == before
    download = editor.get("/framework.yaml")
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=\"scotland-2026.1.yaml\"; filename*=UTF-8''scotland-2026.1.yaml"
    )


def _edit_team_manager(client) -> None:
    page = client.get("/framework/roles/team_manager/edit").get_data(as_text=True)
    base = re.search(r'name="base" type="hidden" value="(\d+)"', page).group(1)
    response = client.post(
        "/framework/roles/team_manager/edit",
        data={
            "base": base,
            "title": "Team manager",
            "description": "Manages a team.",
            "track": "management",
            "stage": "4",
            "positional": "yes",
            "typical_years": "4",
            "responsibilities": "Supervision",
            "training_gap": "",
            "note": "Shorter description",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]


def test_edits_of_a_version_of_64_characters_keep_the_label_within_64(app, editor):
    longest = "2026.1-" + "x" * 57
    text = SHIPPED.replace('version: "2026.1"', f'version: "{longest}"', 1)
    assert _import(app, editor, text, "long.yaml").status_code == 302
    _edit_team_manager(editor)
    with app.app_context():
        saved = db.session.scalar(sa.select(FrameworkVersion).filter_by(is_current=True))
    assert saved.version == "2026.1-" + "x" * 54 + "-r3" and len(saved.version) == 64
    assert editor.get("/framework.yaml").headers["Content-Disposition"] == (
        f'attachment; filename="scotland-{saved.version}.yaml"; '
        f"filename*=UTF-8''scotland-{saved.version}.yaml"
    )


def test_a_version_stored_with_aliases_still_serves_and_edits_write_it_out(app, editor):
    # as a database that held the shipped framework before its anchors were written out
    with app.app_context():
        db.session.execute(sa.update(FrameworkVersion).values(is_current=False))
        db.session.add(
            FrameworkVersion(
                framework_id="scotland",
                version="2025.9",
                title="Social work in Scotland, student to CSWO",
                document=_with_aliases(SHIPPED),
                checksum="legacy",
                is_current=True,
            )
        )
        db.session.commit()
    assert editor.get("/framework").status_code == 200
    assert editor.get("/roles/team_manager").status_code == 200
    _edit_team_manager(editor)
    with app.app_context():
        saved = db.session.scalar(sa.select(FrameworkVersion).filter_by(is_current=True))
        assert saved.version == "2025.9-r3" and "&id001" not in saved.document
        read_document(saved.document)  # passes the guard as it stands
