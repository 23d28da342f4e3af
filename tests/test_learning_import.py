"""Bringing in an earlier learning record from CSV: the download's own format read back,
every problem named by line and column with nothing added, duplicates skipped, and the parser
tried on any text (hypothesis)."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.catalogue import CatalogueError
from pathways.cpl import requirements
from pathways.learning_record import COLUMNS, parse_learning_csv
from planner.extensions import db
from planner.models import LEARNING_KINDS, LearningEntry
from tests.conftest import decide_on_learning

TODAY = date(2026, 12, 3)


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def _upload(client, text: str | bytes, name="record.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        "/profile/learning/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _entries(app, user_id):
    with app.app_context():
        return [
            (
                e.title,
                e.learned_on,
                e.kind,
                e.minutes,
                e.capabilities,
                e.topics,
                e.reflection,
                e.evidence_link,
                e.verified_at,
            )
            for e in db.session.scalars(
                sa.select(LearningEntry).filter_by(user_id=user_id).order_by(LearningEntry.title)
            )
        ]


def test_a_downloaded_record_imports_into_another_account_unchanged_and_unverified(
    app, client, make_user, make_org, login
):
    org = make_org("Import council")
    boss = make_user("boss@example.org", roles=("manager",), organisation_id=org)
    first = make_user(organisation_id=org, line_manager_id=boss)
    second = make_user("second@example.org")
    login()
    for title, kind, extra in (
        ("=HYPERLINK(1) course", "course", {"minutes": "90", "topics": ["child_protection"]}),
        ("Shadowed the duty senior", "shadowing", {"capabilities": ["self_leadership"]}),
        ("Chaired the practice forum", "leadership", {"evidence_link": "https://example.org/n"}),
    ):
        client.post(
            "/profile/learning",
            data={
                "title": title,
                "learned_on": ["4", "5", "2026"],
                "kind": kind,
                "reflection": 'Line one,\nline two; with "quotes"',
                **extra,
            },
        )
    with app.app_context():
        verified_id = db.session.scalar(
            sa.select(LearningEntry.id).filter_by(title="Shadowed the duty senior")
        )
    client.post(f"/profile/learning/{verified_id}/verification", data={"ask": "1"})
    client.post("/logout")
    login("boss@example.org")
    decide_on_learning(client, verified_id)
    client.post("/logout")
    login()
    exported = client.get("/profile/learning.csv").data
    client.post("/logout")
    login("second@example.org")
    response = _upload(client, exported)
    assert response.status_code == 302, _text(response)[-800:]
    page = _text(client.get("/profile/learning"))
    assert "Imported record.csv: 3 entries added." in page
    mine, theirs = _entries(app, first), _entries(app, second)
    # the same entries, but the verification stays with the record it was made on
    assert [row[:-1] for row in theirs] == [row[:-1] for row in mine]
    assert any(row[-1] for row in mine) and not any(row[-1] for row in theirs)
    # importing the same file again adds nothing twice
    _upload(client, exported)
    assert "0 entries added, 3 already in your record skipped" in _text(
        client.get("/profile/learning")
    )
    assert len(_entries(app, second)) == 3


def test_every_problem_is_named_by_line_and_column_and_nothing_is_added(
    app, client, make_user, login
):
    user = make_user()
    login()
    text = (
        "Date,Title,Kind,Minutes,Capabilities,Topics,Reflection,Link\n"
        "14/10/2026,Webinar,Online module or webinar,60,Self Leadership,Trauma-informed practice,ok,\n"
        "31/02/2026,Bad date,reading,,,,,\n"
        "2026-01-05,,podcast,-5,Visoin,trauma,,ftp://x\n"
        "2099-01-01,Future,course,,,,,\n"
    )
    response = _upload(client, text)
    assert response.status_code == 400
    body = _text(response)
    assert "record.csv was not imported: 8 problems found. Nothing has been added." in body
    for line, column, message in (
        ("3", "date", "'31/02/2026' is not a date"),
        ("4", "learning", "is empty"),
        ("4", "kind", "'podcast' is not a kind of learning"),
        ("4", "minutes", "write a whole number of minutes from 1"),
        (
            "4",
            "capabilities",
            "'Visoin' is not a capability in the framework (did you mean 'vision'?)",
        ),
        ("4", "sssc topics", "'trauma' is not an SSSC mandatory topic"),
        ("4", "evidence", "write a web address starting https://"),
        ("5", "date", "1 January 2099 is in the future"),
    ):
        assert re.search(rf"{line} \S.*? {re.escape(column)} {re.escape(message)}", body), (
            line,
            column,
        )
    assert _entries(app, user) == []


def test_repeats_within_the_file_are_counted_apart(app, client, make_user, login):
    user = make_user()
    login()
    text = "date,learning,kind\n2026-01-05,Webinar,online\n2026-01-05,webinar ,online\n"
    assert _upload(client, text).status_code == 302
    page = _text(client.get("/profile/learning"))
    assert "Imported record.csv: 1 entry added, 1 repeated in the file skipped." in page
    assert len(_entries(app, user)) == 1


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ('2026-01-05,Webinar,online,"1,5",', "minutes", "'1,5' is not a number of minutes"),
        ("2026-01-05,Webinar,online,,lost", "row", "has a value under a column with no name"),
        ("14/10/26,Webinar,online,,", "date", "'14/10/26' is not a date; write it like 2026-10-14"),
        ("0026-10-14,Webinar,online,,", "date", "write the year in four digits, like 2026"),
    ],
)
def test_odd_cells_are_named_not_guessed(app, client, make_user, login, cells, column, message):
    user = make_user()
    login()
    response = _upload(client, f"date,learning,kind,minutes,\n{cells}\n")
    assert response.status_code == 400
    assert re.search(rf"2 Webinar {column} .*{re.escape(message)}", _text(response))
    assert _entries(app, user) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty; add a header row"),
        ("learning,kind\nA,reading\n", "date this column is missing"),
        ("date,learning,kind,colour\n", "colour is not a learning record column"),
        ("date,learning,kind\n", "has a header but no entries; nothing to import"),
        (b"date,learning,kind\n2026-01-01,Caf\xe9 talk,reading\n", None),  # Windows code page
    ],
)
def test_files_that_are_not_a_record_say_why(app, client, make_user, login, text, message):
    user = make_user()
    login()
    response = _upload(client, text)
    if message is None:
        assert response.status_code == 302
        assert _entries(app, user)[0][0] == "Café talk"
        return
    assert response.status_code == 400
    assert message in _text(response)
    assert _entries(app, user) == []


def test_the_import_page_lists_the_columns_kinds_and_capabilities(client, make_user, login):
    make_user()
    login()
    page = _text(client.get("/profile/learning/import"))
    for column in COLUMNS:
        assert column in page
    assert "“Shadowing”" in page and "“Leadership shown without a post”" in page
    assert "Legal and statutory duties statutory_duties" in page
    assert "a verification made elsewhere is not copied in" in page


CAPABILITIES = {"vision": type("C", (), {"title": "Vision"})()}


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400) | st.binary(max_size=400))
def test_any_file_is_read_or_refused_with_problems_never_a_crash(data):
    try:
        rows = parse_learning_csv(
            data, LEARNING_KINDS, CAPABILITIES, TODAY, requirements().topic_titles
        )
    except CatalogueError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
    else:
        assert all(r.title and r.learned_on <= TODAY and r.kind in LEARNING_KINDS for r in rows)


cells = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=40
)


@given(
    st.lists(
        st.tuples(
            st.dates(min_value=date(1950, 1, 1), max_value=TODAY),
            cells.filter(lambda t: " ".join(t.split())),
            st.sampled_from(sorted(LEARNING_KINDS)),
            st.none() | st.integers(1, 100000),
            st.booleans(),
            st.lists(st.sampled_from(["trauma_informed", "adult_protection"]), unique=True),
            cells,
        ),
        max_size=8,
    )
)
def test_what_the_download_writes_the_import_reads_back(rows):
    from pathways.catalogue import spreadsheet_safe

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    topics = requirements().topic_titles
    for day, title, kind, minutes, vision, covered, reflection in rows:
        writer.writerow(
            spreadsheet_safe(str(c))
            for c in (
                day.isoformat(),
                title,
                LEARNING_KINDS[kind],
                "" if minutes is None else minutes,
                "Vision" if vision else "",
                "; ".join(topics[t] for t in covered),
                reflection,
                "",
            )
        )
    parsed = parse_learning_csv(out.getvalue(), LEARNING_KINDS, CAPABILITIES, TODAY, topics)
    assert [
        (r.learned_on, r.title, r.kind, r.minutes, r.capabilities, r.topics, r.reflection)
        for r in parsed
    ] == [
        (
            day,
            " ".join(title.split()),
            kind,
            minutes,
            ("vision",) if vision else (),
            tuple(covered),
            reflection.strip(),
        )
        for day, title, kind, minutes, vision, covered, reflection in rows
    ]
