"""The learning record (continuous professional learning): any learning, a reflection, the
capabilities it develops, exports for the SSSC declaration, and leadership without a post
counted by the Iriss route check."""

from __future__ import annotations

import html
import io
from datetime import date, timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from planner.extensions import db
from planner.models import LearningEntry

ENTRY = {
    "title": "Trauma-informed practice webinar",
    "learned_on": ["14", "10", "2026"],
    "kind": "online",
    "minutes": "90",
    "capabilities": ["self_leadership", "statutory_duties"],
    "reflection": "I now open reviews by asking what feels safe.",
    "evidence_link": "https://example.org/certificate",
}


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(LearningEntry.id)))


def test_an_entry_is_recorded_with_its_reflection_and_capabilities(app, client, make_user, login):
    make_user()
    login()
    page = client.get("/profile/learning").get_data(as_text=True)
    assert "Nothing recorded yet" in page and "core learning elements" in page
    response = client.post("/profile/learning", data=ENTRY)
    assert response.status_code == 302
    page = html.unescape(client.get("/profile/learning").get_data(as_text=True))
    assert "Added to your learning record: Trauma-informed practice webinar." in page
    assert '<h2 class="govuk-heading-l" id="year-2026">2026</h2>' in page
    assert "1 entry, 1.5 hours recorded" in page
    assert (
        "Online module or webinar · 90 minutes · develops Self Leadership, Legal and statutory duties"
        in page
    )
    assert "I now open reviews by asking what feels safe." in page
    assert 'href="https://example.org/certificate" rel="noopener noreferrer"' in page
    # beside the capability when rating: evidence to rate by, never a rating by itself
    ratings = html.unescape(client.get("/profile/ratings").get_data(as_text=True))
    assert (
        "Your learning record has 1 entry for this, the latest “Trauma-informed practice "
        "webinar” (14 October 2026)." in ratings
    )
    assert "Not rated yet" in ratings.split('id="rating-self_leadership"')[1][:600]


def test_bad_entries_name_the_field_and_nothing_is_written(app, client, make_user, login):
    make_user()
    login()
    tomorrow = date.today() + timedelta(days=1)
    cases = [
        ({"title": ""}, "Enter what you learned from"),
        (
            {"learned_on": [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)]},
            "The date must be today or in the past",
        ),
        ({"learned_on": ["31", "2", "2026"]}, "Enter the date"),
        ({"kind": "telepathy"}, "Not a valid choice"),
        ({"minutes": "0"}, "Enter minutes as a whole number from 1"),
        ({"minutes": "an hour"}, "Not a valid integer value"),
        ({"evidence_link": "javascript:alert(1)"}, "Enter a web address starting https://"),
        ({"capabilities": ["telepathy"]}, "Capabilities it develops: choose from the list"),
    ]
    for change, message in cases:
        response = client.post("/profile/learning", data={**ENTRY, **change})
        body = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 400, change
        assert "govuk-error-summary" in body and message in body, (change, message)
    assert _count(app) == 0


def test_entries_are_changed_and_deleted_after_a_confirmation(app, client, make_user, login):
    make_user()
    make_user("other@example.org")
    login()
    client.post("/profile/learning", data=ENTRY)
    with app.app_context():
        entry_id = db.session.scalar(sa.select(LearningEntry.id))
    form = client.get(f"/profile/learning/{entry_id}").get_data(as_text=True)
    assert (
        'value="Trauma-informed practice webinar"' in form
        and 'value="self_leadership" checked' in form
    )
    changed = client.post(
        f"/profile/learning/{entry_id}", data={**ENTRY, "minutes": "", "kind": "reading"}
    )
    assert changed.status_code == 302
    with app.app_context():
        entry = db.session.get(LearningEntry, entry_id)
        assert entry.minutes is None and entry.kind == "reading"
    asked = client.get(f"/profile/learning/{entry_id}/delete").get_data(as_text=True)
    assert "This cannot be undone" in asked and "Yes, delete it" in asked
    assert client.post(f"/profile/learning/{entry_id}/delete").status_code == 200  # asks again
    assert _count(app) == 1
    client.post("/logout")
    login("other@example.org")  # someone else's entry does not exist for them
    assert client.get(f"/profile/learning/{entry_id}").status_code == 404
    assert (
        client.post(f"/profile/learning/{entry_id}/delete", data={"confirm": "yes"}).status_code
        == 404
    )
    assert _count(app) == 1
    client.post("/logout")
    login()
    done = client.post(f"/profile/learning/{entry_id}/delete", data={"confirm": "yes"})
    assert done.status_code == 302 and _count(app) == 0


def test_a_years_record_downloads_for_the_declaration(app, client, make_user, login):
    make_user()
    login()
    client.post("/profile/learning", data=ENTRY)
    client.post(
        "/profile/learning",
        data={**ENTRY, "title": "=HYPERLINK(1)", "learned_on": ["5", "6", "2025"], "minutes": ""},
    )
    text = client.get("/profile/learning.csv?year=2026").get_data(as_text=True)
    lines = text.strip().split("\r\n")
    assert lines[0] == (
        "date,learning,kind,minutes,capabilities,sssc topics,what changed,evidence,"
        "verified by,verified on"
    )
    assert len(lines) == 2 and lines[1].startswith("2026-10-14,Trauma-informed practice webinar,")
    book = load_workbook(io.BytesIO(client.get("/profile/learning.xlsx").data), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert len(rows) == 3 and rows[1][3] == 90  # minutes stay a number
    assert rows[2][1] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet


def test_leadership_without_a_post_in_the_record_counts_in_the_route_check(
    client, make_user, login
):
    make_user()
    login()
    location = client.post(
        "/plans",
        data={"target": "senior_practitioner", "route": "social_worker,senior_practitioner"},
    ).headers["Location"]
    before = html.unescape(client.get(location).get_data(as_text=True))
    assert "Neither your plan nor your learning record shows leadership without a post." in before
    client.post(
        "/profile/learning",
        data={**ENTRY, "title": "Led the team's practice forum", "kind": "leadership"},
    )
    after = html.unescape(client.get(location).get_data(as_text=True))
    assert (
        "Leadership shown without a post, in your learning record: Led the team's practice forum."
        in after
    )
