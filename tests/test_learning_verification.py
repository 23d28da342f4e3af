"""Line manager verification of learning record entries (the employer verification step of
the SSSC's CPL sampling): the owner asks, their line manager verifies or returns it with a
note; who verified and when are kept; nobody else sees or touches it."""

from __future__ import annotations

import html
import io
import re

import sqlalchemy as sa

from planner.extensions import db
from planner.models import LearningEntry
from tests.conftest import decide_on_learning
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


def _verified(client, login, org, entry_id, note=""):
    """As the signed-in owner: ask Bea to verify the entry; Bea verifies it; the owner is
    signed in again."""
    client.post(f"/profile/learning/{entry_id}/verification", data={"ask": "1"})
    client.post("/logout")
    login(f"boss@{org}.example.org")
    assert decide_on_learning(client, entry_id, note=note).status_code == 302
    client.post("/logout")
    login(f"prac@{org}.example.org")


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
    assert decide_on_learning(client, private).status_code == 404
    response = decide_on_learning(client, asked)
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
    response = decide_on_learning(client, entry_id, "return", "Please add the certificate link")
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
    _verified(client, login, org, entry_id)
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
        response = decide_on_learning(client, entry_id)
        assert response.status_code == 404, email
        client.post("/logout")
    assert _entry(app, entry_id).verified_at is None
    # withdrawn: gone from the line manager too
    login(f"prac@{org}.example.org")
    client.post(f"/profile/learning/{entry_id}/verification", data={"ask": "0"})
    client.post("/logout")
    login(f"boss@{org}.example.org")
    assert "refresher" not in _page(client, "/team/learning")
    assert decide_on_learning(client, entry_id).status_code == 404


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
    _verified(client, login, org, entry_id)
    with app.app_context():
        delete_account(db.session.get(User, boss))
        db.session.commit()
    entry = _entry(app, entry_id)
    assert entry.verified_at is not None and entry.verified_by_id is None
    page = _page(client, "/profile/learning")
    assert "Verified by a line manager whose account has since been deleted" in page
    with app.app_context():
        assert not db.session.scalar(
            sa.select(sa.func.count())
            .select_from(LearningEntry)
            .where(LearningEntry.verification_note.contains("Bea"))
        )


def _ask_and_switch(app, client, make_user, login, org, boss):
    """Pat asks Bea; then the administrator makes Nia Pat's line manager."""
    from planner.models import User

    nia = make_user(
        f"nia@{org}.example.org", name="Nia New", roles=("manager",), organisation_id=org
    )
    login(f"prac@{org}.example.org")
    entry_id = _add(client)
    client.post(f"/profile/learning/{entry_id}/verification", data={"ask": "1"})
    client.post("/logout")
    with app.app_context():
        pat = db.session.scalar(sa.select(User).filter_by(email=f"prac@{org}.example.org"))
        pat.line_manager_id = nia
        db.session.commit()
    return entry_id, nia


def test_a_new_line_manager_sees_nothing_asked_of_the_old_one(
    app, client, make_org, make_user, login
):
    org, boss, prac = _team(make_org, make_user)
    entry_id, nia = _ask_and_switch(app, client, make_user, login, org, boss)
    for email in (f"nia@{org}.example.org", f"boss@{org}.example.org"):
        login(email)  # neither the new manager (never asked) nor the old (no longer theirs)
        assert "refresher" not in _page(client, "/team/learning")
        assert decide_on_learning(client, entry_id).status_code == 404
        client.post("/logout")
    login(f"prac@{org}.example.org")
    page = _page(client, "/profile/learning")
    assert "Not waiting You asked Bea Boss, who is no longer your line manager: ask again." in page
    client.post(f"/profile/learning/{entry_id}/verification", data={"ask": "1"})
    client.post("/logout")
    login(f"nia@{org}.example.org")
    assert "Pat Prac: Adult support and protection refresher" in _page(client, "/team/learning")
    assert decide_on_learning(client, entry_id).status_code == 302
    assert _entry(app, entry_id).verified_by_id == nia


def test_a_decision_on_an_entry_changed_since_it_was_read_is_refused(
    app, client, make_org, make_user, login
):
    org, boss, prac = _team(make_org, make_user)
    login(f"prac@{org}.example.org")
    entry_id = _add(client)
    client.post(f"/profile/learning/{entry_id}/verification", data={"ask": "1"})
    client.post("/logout")
    login(f"boss@{org}.example.org")
    page = client.get("/team/learning").get_data(as_text=True)
    seen = re.search(rf'name="entry{entry_id}-seen" type="hidden" value="(\w+)"', page).group(1)
    client.post("/logout")
    login(f"prac@{org}.example.org")  # changes the entry while the manager reads it
    client.post(f"/profile/learning/{entry_id}", data={**ENTRY, "title": "Something else"})
    client.post("/logout")
    login(f"boss@{org}.example.org")
    response = client.post(
        f"/team/learning/{entry_id}",
        data={f"entry{entry_id}-decision": "verify", f"entry{entry_id}-seen": seen},
        follow_redirects=True,
    )
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())
    assert "Pat Prac changed “Something else” while you were reading it. Nothing is saved" in text
    assert _entry(app, entry_id).verified_at is None
    assert decide_on_learning(client, entry_id).status_code == 302  # read again, then decided


def test_saving_a_verified_entry_unchanged_keeps_it_verified_whatever_the_order_or_line_ends(
    app, client, make_org, make_user, login
):
    org, boss, prac = _team(make_org, make_user)
    login(f"prac@{org}.example.org")
    imported = client.post(
        "/profile/learning/import",
        data={
            "file": (
                io.BytesIO(
                    b"date,learning,kind,capabilities,what changed\n2026-05-01,Imported course,"
                    b'course,statutory_duties; self_leadership,"line one\nline two"\n'
                ),
                "old.csv",
            )
        },
        content_type="multipart/form-data",
    )
    assert imported.status_code == 302
    with app.app_context():
        entry_id = db.session.scalar(sa.select(sa.func.max(LearningEntry.id)))
    _verified(client, login, org, entry_id)
    # the browser sends the form back in page order, with CRLF line ends
    client.post(
        f"/profile/learning/{entry_id}",
        data={
            "title": "Imported course",
            "learned_on": ["1", "5", "2026"],
            "kind": "course",
            "capabilities": ["self_leadership", "statutory_duties"],
            "reflection": "line one\r\nline two",
        },
    )
    assert _entry(app, entry_id).verified_by_id == boss


def test_the_personal_data_download_holds_the_verification_and_declaration_date(
    app, client, make_org, make_user, login
):
    import json

    org, boss, prac = _team(make_org, make_user)
    login(f"prac@{org}.example.org")
    entry_id = _add(client)
    client.post("/profile/learning/declaration", data={"due_on": ["31", "3", "2027"]})
    _verified(client, login, org, entry_id, note="Seen the certificate")
    data = json.loads(client.get("/account/export.json").data)
    assert data["profile"]["sssc_declaration_due_on"] == "2027-03-31"
    [entry] = data["learning_record"]
    assert entry["sssc_topics"] == ["adult_protection"]
    verification = entry["verification"]
    assert verification["state"] == "verified" and verification["verified_by"] == "Bea Boss"
    assert verification["asked_of"] == "Bea Boss" and verification["note"] == "Seen the certificate"
