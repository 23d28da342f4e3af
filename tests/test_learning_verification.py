"""Line manager verification of learning record entries (the employer verification step of
the SSSC's CPL sampling): the owner asks, their line manager verifies or returns it with a
note; who verified and when are kept; nobody else sees or touches it."""

from __future__ import annotations

import html
import re

import sqlalchemy as sa

from planner.extensions import db
from planner.models import LearningEntry
from tests.pdf import pdf_text

ENTRY = {
    "title": "Adult support and protection refresher",
    "learned_on": ["2", "11", "2026"],
    "kind": "course",
    "topics": ["adult_protection"],
    "reflection": "I now check capacity before the case conference.",
}


def _team(make_org, make_user, org_name="Verify council"):
    org = make_org(org_name)
    boss = make_user(
        f"boss@{org}.example.org", name="Bea Boss", roles=("manager",), organisation_id=org
    )
    prac = make_user(
        f"prac@{org}.example.org", name="Pat Prac", organisation_id=org, line_manager_id=boss
    )
    return org, boss, prac


def _add(client, **fields) -> int:
    response = client.post("/profile/learning", data={**ENTRY, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)[-600:]
    return int(response.headers["Location"].rsplit("#entry-", 1)[1])


def _entry(app, entry_id):
    with app.app_context():
        return db.session.get(LearningEntry, entry_id)


def _page(client, url) -> str:
    """The page's text as read: tags dropped, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", client.get(url).get_data(as_text=True))
    return " ".join(html.unescape(text).split())


def test_the_line_manager_verifies_an_entry_and_who_and_when_are_kept(
    app, client, make_org, make_user, login
):
    org, boss, prac = _team(make_org, make_user)
    login(f"prac@{org}.example.org")
    asked = _add(client)
    private = _add(client, title="Reading I keep to myself", reflection="my own worries")
    page = _page(client, "/profile/learning")
    assert "Ask Bea Boss to verify" in page
    response = client.post(f"/profile/learning/{asked}/verification", data={"ask": "1"})
    assert response.status_code == 302
    page = _page(client, "/profile/learning")
    assert "Bea Boss has been asked to verify: Adult support and protection refresher." in page
    assert "Waiting for verification" in page and "Withdraw the request" in page

    client.post("/logout")
    login(f"boss@{org}.example.org")
    assert "1 learning record entry waiting for you to verify" in _page(client, "/team")
    waiting = _page(client, "/team/learning")
    assert "Pat Prac: Adult support and protection refresher" in waiting
    assert "I now check capacity before the case conference." in waiting
    assert "Adult support and protection" in waiting  # the SSSC topic it covers
    # only what the owner asked for: the rest of the record stays theirs
    assert "Reading I keep to myself" not in waiting and "my own worries" not in waiting
    assert (
        client.post(
            f"/team/learning/{private}", data={f"entry{private}-decision": "verify"}
        ).status_code
        == 404
    )
    response = client.post(f"/team/learning/{asked}", data={f"entry{asked}-decision": "verify"})
    assert response.status_code == 302
    page = _page(client, "/team/learning")
    assert "Verified Pat Prac's entry: Adult support and protection refresher." in page
    assert "Nothing is waiting for you." in page
    assert "Verified by you lately" in page
    entry = _entry(app, asked)
    assert entry.verified_by_id == boss and entry.verified_at is not None
    assert _entry(app, private).verified_at is None

    client.post("/logout")
    login(f"prac@{org}.example.org")
    page = _page(client, "/profile/learning")
    day = entry.verified_at.strftime("%-d %B %Y")
    assert f"Verified by Bea Boss on {day}" in page
    csv_text = client.get("/profile/learning.csv").get_data(as_text=True)
    line = next(r for r in csv_text.splitlines() if "refresher" in r)
    assert line.endswith(f"Bea Boss,{entry.verified_at.date().isoformat()}")
    assert "Reading I keep to myself" in csv_text
    pdf = pdf_text(client.get("/profile/learning.pdf?year=2026").data)
    assert "Verified by Bea Boss" in " ".join(pdf.split())
    assert "Not verified." in pdf  # the other entry, said plainly


def test_returning_needs_a_note_which_the_owner_reads_and_can_ask_again(
    app, client, make_org, make_user, login
):
    org, boss, prac = _team(make_org, make_user)
    login(f"prac@{org}.example.org")
    entry_id = _add(client)
    client.post(f"/profile/learning/{entry_id}/verification", data={"ask": "1"})
    client.post("/logout")
    login(f"boss@{org}.example.org")
    response = client.post(
        f"/team/learning/{entry_id}", data={f"entry{entry_id}-decision": "return"}
    )
    assert response.status_code == 400
    body = html.unescape(response.get_data(as_text=True))
    assert "There is a problem" in body and "Write a note saying what is missing" in body
    assert f'href="#entry{entry_id}-note"' in body
    assert _entry(app, entry_id).verification_requested_at is not None  # nothing changed
    response = client.post(
        f"/team/learning/{entry_id}",
        data={
            f"entry{entry_id}-decision": "return",
            f"entry{entry_id}-note": "Please add the certificate link",
        },
    )
    assert response.status_code == 302
    client.post("/logout")
    login(f"prac@{org}.example.org")
    page = _page(client, "/profile/learning")
    assert "Returned unverified" in page and "“Please add the certificate link”" in page
    assert "Ask Bea Boss to verify" in page
    client.post(f"/profile/learning/{entry_id}/verification", data={"ask": "1"})
    entry = _entry(app, entry_id)
    assert entry.verification_requested_at is not None and entry.verification_note == ""


def test_changing_a_verified_entry_removes_the_verification(
    app, client, make_org, make_user, login
):
    org, boss, prac = _team(make_org, make_user)
    login(f"prac@{org}.example.org")
    entry_id = _add(client)
    client.post(f"/profile/learning/{entry_id}/verification", data={"ask": "1"})
    client.post("/logout")
    login(f"boss@{org}.example.org")
    client.post(f"/team/learning/{entry_id}", data={f"entry{entry_id}-decision": "verify"})
    client.post("/logout")
    login(f"prac@{org}.example.org")
    form_page = _page(client, f"/profile/learning/{entry_id}")
    assert "Changing it removes the verification" in form_page
    # saved as it is: still verified
    client.post(f"/profile/learning/{entry_id}", data=ENTRY)
    assert _entry(app, entry_id).verified_by_id == boss
    # changed: what was verified is no longer there
    client.post(f"/profile/learning/{entry_id}", data={**ENTRY, "reflection": "Rewritten"})
    entry = _entry(app, entry_id)
    assert entry.verified_at is None and entry.verified_by_id is None
    assert "Ask Bea Boss to verify" in _page(client, "/profile/learning")
    client.post("/logout")
    login(f"boss@{org}.example.org")  # not put back in front of the manager unasked
    assert "Nothing is waiting for you." in _page(client, "/team/learning")


def test_withdrawn_requests_and_other_managers_see_and_touch_nothing(
    app, client, make_org, make_user, login
):
    org, boss, prac = _team(make_org, make_user)
    other_boss = make_user(
        "other.boss@example.org", name="Otto Other", roles=("manager",), organisation_id=org
    )
    other_org = make_org("Second council")
    stranger = make_user(
        "stranger@example.org", name="Sam Stranger", roles=("manager",), organisation_id=other_org
    )
    assert other_boss and stranger
    login(f"prac@{org}.example.org")
    entry_id = _add(client)
    client.post(f"/profile/learning/{entry_id}/verification", data={"ask": "1"})
    client.post("/logout")
    for email in ("other.boss@example.org", "stranger@example.org"):
        login(email)
        assert "refresher" not in _page(client, "/team/learning")
        assert "waiting for you to verify" not in _page(client, "/team")
        response = client.post(
            f"/team/learning/{entry_id}", data={f"entry{entry_id}-decision": "verify"}
        )
        assert response.status_code == 404, email
        client.post("/logout")
    assert _entry(app, entry_id).verified_at is None
    # withdrawn: gone from the line manager too
    login(f"prac@{org}.example.org")
    client.post(f"/profile/learning/{entry_id}/verification", data={"ask": "0"})
    client.post("/logout")
    login(f"boss@{org}.example.org")
    assert "refresher" not in _page(client, "/team/learning")
    assert (
        client.post(
            f"/team/learning/{entry_id}", data={f"entry{entry_id}-decision": "verify"}
        ).status_code
        == 404
    )


def test_without_a_line_manager_in_the_organisation_no_one_is_asked(
    app, client, make_org, make_user, login
):
    org = make_org("Lonely council")
    elsewhere = make_org("Elsewhere council")
    foreign_boss = make_user("foreign@example.org", roles=("manager",), organisation_id=elsewhere)
    make_user("alone@example.org", organisation_id=org)
    make_user("crossed@example.org", organisation_id=org, line_manager_id=foreign_boss)
    for email in ("alone@example.org", "crossed@example.org"):
        login(email)
        entry_id = _add(client)
        page = _page(client, "/profile/learning")
        assert "to verify" not in page.split("Nothing recorded")[0].split("2026")[-1]
        assert "no line manager in Pathways who can verify" in page
        response = client.post(
            f"/profile/learning/{entry_id}/verification", data={"ask": "1"}, follow_redirects=True
        )
        assert "Ask your administrator to record your line manager" in html.unescape(
            response.get_data(as_text=True)
        )
        assert _entry(app, entry_id).verification_requested_at is None
        client.post("/logout")


def test_a_verification_outlives_the_verifiers_account(app, client, make_org, make_user, login):
    from planner.account.operations import delete_account
    from planner.models import User

    org, boss, prac = _team(make_org, make_user)
    login(f"prac@{org}.example.org")
    entry_id = _add(client)
    client.post(f"/profile/learning/{entry_id}/verification", data={"ask": "1"})
    client.post("/logout")
    login(f"boss@{org}.example.org")
    client.post(f"/team/learning/{entry_id}", data={f"entry{entry_id}-decision": "verify"})
    client.post("/logout")
    with app.app_context():
        delete_account(db.session.get(User, boss))
        db.session.commit()
    entry = _entry(app, entry_id)
    assert entry.verified_at is not None and entry.verified_by_id is None
    login(f"prac@{org}.example.org")
    page = _page(client, "/profile/learning")
    assert "Verified by a line manager whose account has since been deleted" in page
    with app.app_context():
        assert not db.session.scalar(
            sa.select(sa.func.count())
            .select_from(LearningEntry)
            .where(LearningEntry.verification_note.contains("Bea"))
        )
