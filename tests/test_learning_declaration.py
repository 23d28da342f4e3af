"""The SSSC declaration on the learning record: the date the person enters, the twelve months
it covers, the mandatory topics counted in them as tagged, and the year's record as a PDF."""

from __future__ import annotations

import calendar
import html
import re
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from pathways.cpl import declaration_year, requirements, topics_covered
from planner.extensions import db
from planner.models import Profile
from tests.pdf import pdf_text


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def _entry(client, title, day: date, topics=()):
    response = client.post(
        "/profile/learning",
        data={
            "title": title,
            "learned_on": [str(day.day), str(day.month), str(day.year)],
            "kind": "course",
            "topics": list(topics),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-600:]


def _due(client, day: date):
    return client.post(
        "/profile/learning/declaration",
        data={"due_on": [str(day.day), str(day.month), str(day.year)]},
    )


def test_the_declaration_year_counts_the_mandatory_topics_tagged_in_it(
    app, client, make_user, login
):
    make_user()
    login()
    today = date.today()
    page = _text(client.get("/profile/learning"))
    assert "Pathways does not know when your declaration is due" in page
    _entry(
        client, "Trauma-informed practice webinar", today - timedelta(days=20), ["trauma_informed"]
    )
    _entry(client, "Child protection update", today - timedelta(days=500), ["child_protection"])
    due = today + timedelta(days=10)
    response = _due(client, due)
    assert response.status_code == 302 and response.headers["Location"].endswith("#declaration")
    page = _text(client.get("/profile/learning"))
    assert f"Your next SSSC declaration is due on {due:%-d %B %Y}." in page
    assert f"Next declaration due: {due:%-d %B %Y} (in 10 days)" in page
    start = date(due.year - 1, due.month, due.day) + timedelta(days=1)
    assert f"Since {start:%-d %B %Y}: 1 entry, 0 verified by your line manager." in page
    coverage = page.split("SSSC mandatory topics in this declaration year")[1][:300]
    # the entry 500 days ago is outside the declaration year, so child protection is not yet
    assert "Trauma-informed practice 1 entry tagged" in coverage
    assert "Child protection None yet" in coverage
    assert "Adult support and protection None yet" in coverage
    assert "does not judge whether the learning meets the SSSC's requirement" in page
    pdf = " ".join(pdf_text(client.get("/profile/learning.pdf?declaration=1").data).split())
    assert "Trauma-informed practice webinar" in pdf and "Child protection update" not in pdf
    assert f"Next SSSC declaration due {due:%-d %B %Y}" in pdf
    # a past declaration date rolls on to the next one
    _due(client, due - timedelta(days=365 * 2))
    assert f"Next declaration due: {due:%-d %B %Y}" in _text(client.get("/profile/learning"))


def test_a_bad_declaration_date_names_the_field_and_keeps_the_old_one(
    app, client, make_user, login
):
    user = make_user()
    login()
    _due(client, date(2027, 3, 31))
    for bad in (["31", "2", "2027"], ["", "", ""], ["1", "1", "1900"]):
        response = client.post("/profile/learning/declaration", data={"due_on": bad})
        assert response.status_code == 400
        body = _text(response)
        assert "There is a problem" in body and "When is your next SSSC declaration due?" in body
    with app.app_context():
        assert db.session.get(Profile, user).declaration_due_on == date(2027, 3, 31)
    response = client.post("/profile/learning/declaration", data={"clear": "Remove the date"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Profile, user).declaration_due_on is None


def test_a_years_pdf_holds_that_years_entries_and_says_what_is_not_checked(
    app, client, make_user, login
):
    make_user(name="Pat Prac")
    login()
    _entry(client, "Adult support and protection refresher", date(2025, 5, 1), ["adult_protection"])
    _entry(client, "An earlier year's course", date(2024, 5, 1))
    response = client.get("/profile/learning.pdf?year=2025")
    assert response.mimetype == "application/pdf"
    assert "learning-record-2025.pdf" in response.headers["Content-Disposition"]
    text = " ".join(pdf_text(response.data).split())
    assert "Pat Prac: 2025" in text
    assert "Adult support and protection refresher" in text
    assert "An earlier year's course" not in text
    assert "Not verified." in text
    assert "The SSSC's eight core learning elements are not in Pathways yet" in text


def test_a_year_out_of_range_is_not_found_not_a_crash(client, make_user, login):
    make_user()
    login()
    for url in ("/profile/learning.pdf?year=0", "/profile/learning.csv?year=10000"):
        response = client.get(url)
        assert response.status_code == 404 and "Choose a year from 1950 to 2100" in _text(response)


def test_every_mandatory_topic_quotes_its_sssc_source():
    cpl = requirements()
    assert [t.title for t in cpl.mandatory_topics] == [
        "Trauma-informed practice",
        "Child protection",
        "Adult support and protection",
    ]
    for topic in cpl.mandatory_topics:
        assert topic.url.startswith("https://news.sssc.uk.com/") and len(topic.quote) > 40
    assert (
        "trauma informed practice and adult and child protection"
        in cpl.sources["mandatory"]["quote"]
    )


@given(
    due=st.dates(min_value=date(2000, 3, 1), max_value=date(2100, 1, 1)),
    today=st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 1, 1)),
)
def test_the_declaration_year_holds_today_and_is_a_year_long(due, today):
    start, end = declaration_year(due, today)
    assert start <= today <= end
    assert 365 <= (end - start).days + 1 <= 366
    if (due.month, due.day) == (2, 29):  # the 28th in other years, the 29th in leap years
        assert end.month == 2 and end.day == (29 if calendar.isleap(end.year) else 28)
    else:
        assert (end.month, end.day) == (due.month, due.day)


@given(st.lists(st.lists(st.sampled_from(["trauma_informed", "child_protection", "x"]))))
def test_topic_counts_are_entries_not_mentions(entries):
    counts = {t.id: n for t, n in topics_covered(entries, requirements().mandatory_topics)}
    for topic in ("trauma_informed", "child_protection"):
        assert counts[topic] == sum(1 for e in entries if topic in e)
    assert counts["adult_protection"] == 0
