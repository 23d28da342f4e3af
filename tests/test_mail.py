"""Email against a real SMTP server (aiosmtpd) started by the tests: invitations, password
reset, sharing and conversation notices, reminders (sent once, and never to someone who
turned them off) and calendar invites for the next conversation."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from planner.extensions import db
from planner.models import PlanItem, User
from tests.conftest import PASSWORD, fill_user_data, save_notes


class Inbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["X-Envelope-To"]]

    @staticmethod
    def parts(message) -> tuple[str, str]:
        text = message.get_body(preferencelist=("plain",)).get_content()
        html = message.get_body(preferencelist=("html",)).get_content()
        return text, html


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox(app):
    """A real SMTP server on a local port, and the app sending to it."""
    from planner.mail import mail

    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        MAIL_USE_TLS=False,
        MAIL_DEFAULT_SENDER="pathways@zenith.gov.uk",
    )
    mail.init_app(app)
    yield handler
    controller.stop()


@pytest.fixture
def people(app, make_org, make_user):
    org = make_org("Zenith council", "East")
    boss = make_user(
        "boss@zenith.gov.uk", name="Bea Boss", roles=["manager", "admin"], organisation_id=org
    )
    prac = make_user(
        "prac@zenith.gov.uk", name="Pat Prac", organisation_id=org, line_manager_id=boss
    )
    return {"org": org, "boss": boss, "prac": prac}


def test_an_invitation_is_emailed_with_a_link_that_works(app, client, inbox, people, login):
    login("boss@zenith.gov.uk")
    page = client.post(
        "/admin/users",
        data={
            "name": "Nia New",
            "email": "nia@zenith.gov.uk",
            "roles": ["practitioner"],
            "team": "",
            "line_manager": "",
        },
    ).get_data(as_text=True)
    assert "We have emailed them the link below" in page
    (message,) = inbox.to("nia@zenith.gov.uk")
    assert message["Subject"] == "You are invited to Pathways"
    assert message["From"] == "pathways@zenith.gov.uk"
    text, html = Inbox.parts(message)
    assert "Bea Boss has invited you to Pathways at Zenith council" in text
    assert "because Bea Boss invited you to Pathways" in text  # not "you have an account"
    link = re.search(r"http://localhost(/invitations/\S+)", text).group(1)
    assert link in html
    fresh = app.test_client()
    assert fresh.post(link, data={"password": PASSWORD, "confirm": PASSWORD}).status_code == 302


def test_an_invitation_still_works_when_email_cannot_be_sent(app, client, people, login):
    from planner.mail import mail

    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())
    mail.init_app(app)  # nothing listens on that port
    login("boss@zenith.gov.uk")
    page = client.post(
        "/admin/users",
        data={
            "name": "Nia New",
            "email": "nia@zenith.gov.uk",
            "roles": ["practitioner"],
            "team": "",
            "line_manager": "",
        },
    ).get_data(as_text=True)
    assert "The email could not be sent: send them the link below yourself" in page
    assert re.search(r'<code id="invite-link">[^<]*/invitations/', page)


def test_password_reset_says_the_same_for_any_address_and_emails_only_real_accounts(
    app, client, inbox, people, make_user
):
    make_user("sso@zenith.gov.uk", organisation_id=people["org"])
    with app.app_context():  # signs in only through single sign-on: no password to reset
        sso = db.session.scalar(sa.select(User).filter_by(email="sso@zenith.gov.uk"))
        sso.password_hash, sso.sso_issuer, sso.sso_subject = None, "https://idp", "s-1"
        db.session.commit()
    pages = {
        address: client.post("/forgot-password", data={"email": address}).get_data(as_text=True)
        for address in ("PRAC@zenith.gov.uk", "nobody@zenith.gov.uk", "sso@zenith.gov.uk")
    }
    for address, page in pages.items():
        assert "Check your email" in page
        assert re.sub(re.escape(address.lower()), "X", page) == re.sub(
            "prac@zenith.gov.uk", "X", pages["PRAC@zenith.gov.uk"]
        )  # word for word the same, whatever the address
    assert [m["X-Envelope-To"] for m in inbox.messages] == ["prac@zenith.gov.uk"]
    text, _html = Inbox.parts(inbox.messages[0])
    link = re.search(r"http://localhost(/set-password/\S+)", text).group(1)
    new = "a fresh passphrase for the reset"
    assert client.post(link, data={"password": new, "confirm": new}).status_code == 302
    assert client.get(link).status_code == 404  # used once
    client.post("/logout")
    assert (
        client.post("/login", data={"email": "prac@zenith.gov.uk", "password": new}).status_code
        == 302
    )


def test_a_reset_link_lasts_two_hours(app, client, inbox, people, monkeypatch):
    from planner.auth import tokens

    client.post("/forgot-password", data={"email": "prac@zenith.gov.uk"})
    text, _html = Inbox.parts(inbox.messages[0])
    link = re.search(r"http://localhost(/set-password/\S+)", text).group(1)
    assert client.get(link).status_code == 200
    monkeypatch.setattr(tokens, "RESET_MAX_AGE", -1)  # as if two hours had passed
    assert client.get(link).status_code == 404


def test_sharing_and_recording_email_the_other_person_without_plan_content(
    app, client, inbox, people, login
):
    login("prac@zenith.gov.uk")
    plan = fill_user_data(client)
    save_notes(client, plan, "My secret worry")
    client.post(plan + "/share", data={"share": "1"})
    client.post("/logout")
    (shared,) = inbox.to("boss@zenith.gov.uk")
    assert shared["Subject"] == "Pathways: Pat Prac shared a career plan with you"
    text, html = Inbox.parts(shared)
    assert 'Pat Prac has shared a career plan with you: "Plan to become Senior practitioner"' in (
        text
    )
    team_link = plan.replace("/plans/", "/team/plans/")
    assert f"http://localhost{team_link}" in text and f"http://localhost{team_link}" in html
    login("boss@zenith.gov.uk")
    client.post(
        team_link + "/conversations",
        data={
            "held_on": ["1", "11", "2026"],
            "next_on": ["1", "2", "2027"],
            "notes": "We talked about supervision",
            "actions-0-title": "Shadow a senior practitioner",
            "actions-0-owner": "practitioner",
        },
    )
    (recorded,) = inbox.to("prac@zenith.gov.uk")
    text, html = Inbox.parts(recorded)
    assert "Bea Boss has recorded your career conversation of 1 November 2026" in text
    assert "Your next conversation is planned for 1 February 2027" in text
    for message in (shared, recorded):
        for part in Inbox.parts(message):
            for private in ("My secret worry", "supervision", "Shadow a senior", "Mentoring"):
                assert private not in part, private


def _due_soon(app, owner_email: str, days: int = 3) -> int:
    with app.app_context():
        item = db.session.scalar(
            sa.select(PlanItem).join(PlanItem.plan).join(User).where(User.email == owner_email)
        )
        item.due = date.today() + timedelta(days=days)
        db.session.commit()
        return item.id


def test_reminders_are_sent_once_and_only_to_people_who_want_them(
    app, client, inbox, people, login, runner
):
    login("prac@zenith.gov.uk")
    plan = fill_user_data(client)
    client.post(plan + "/share", data={"share": "1"})
    client.post("/logout")
    login("boss@zenith.gov.uk")
    soon = date.today() + timedelta(days=5)
    client.post(
        plan.replace("/plans/", "/team/plans/") + "/conversations",
        data={
            "held_on": ["1", "11", "2026"],
            "next_on": [str(soon.day), str(soon.month), str(soon.year)],
            "notes": "ok",
        },
    )
    client.post("/logout")
    item_id = _due_soon(app, "prac@zenith.gov.uk")
    before = len(inbox.messages)
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Sent 2 reminder email(s)" in result.output  # the practitioner and the manager
    (mine,) = inbox.to("prac@zenith.gov.uk")[-1:]
    text, html = Inbox.parts(mine)
    assert mine["Subject"] == "Pathways: 2 things fall due soon"
    assert "an action due" in text and f"#item-{item_id}" in text
    assert "Your next career conversation with Bea Boss" in text
    assert "Mentoring" not in text  # the action itself stays behind the sign-in
    (boss,) = inbox.to("boss@zenith.gov.uk")[-1:]
    assert "Your next career conversation with Pat Prac" in Inbox.parts(boss)[0]
    # again: nothing new
    again = runner.invoke(args=["send-reminders"])
    assert "Sent 0 reminder email(s)" in again.output
    assert len(inbox.messages) == before + 2
    # a new due date is reminded again, unless the person turned reminders off
    _due_soon(app, "prac@zenith.gov.uk", days=4)
    login("prac@zenith.gov.uk")
    client.post("/account/reminders", data={"reminders": "off"})
    assert "You will get no more email reminders" in client.get("/account").get_data(as_text=True)
    assert "Sent 0 reminder email(s)" in runner.invoke(args=["send-reminders"]).output
    client.post("/account/reminders", data={"reminders": "on"})
    assert "Sent 1 reminder email(s)" in runner.invoke(args=["send-reminders"]).output


def test_a_failed_reminder_is_tried_again_next_time(app, client, people, login, runner):
    from planner.mail import mail

    login("prac@zenith.gov.uk")
    fill_user_data(client)
    _due_soon(app, "prac@zenith.gov.uk")
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())
    mail.init_app(app)
    failed = runner.invoke(args=["send-reminders"])
    assert failed.exit_code != 0 and "1 reminder email(s) could not be sent" in failed.output
    app.config["MAIL_BACKEND"] = "locmem"
    mail.init_app(app)
    assert "Sent 1 reminder email(s)" in runner.invoke(args=["send-reminders"]).output


def test_the_next_conversation_downloads_as_a_calendar_invite(app, client, people, login):
    from icalendar import Calendar

    login("prac@zenith.gov.uk")
    plan = fill_user_data(client)
    client.post(plan + "/share", data={"share": "1"})
    client.post("/logout")
    login("boss@zenith.gov.uk")
    team_plan = plan.replace("/plans/", "/team/plans/")
    early = client.post(
        team_plan + "/conversations",
        data={"held_on": ["1", "11", "2026"], "next_on": ["1", "10", "2026"], "notes": "ok"},
    )
    assert "The next conversation must be after this one" in early.get_data(as_text=True)
    record = client.post(
        team_plan + "/conversations",
        data={"held_on": ["1", "11", "2026"], "next_on": ["3", "2", "2027"], "notes": "ok"},
    ).headers["Location"]
    page = client.get(record).get_data(as_text=True)
    assert "03 February 2027" in page and "add to your calendar" in page
    for url, other in ((record + ".ics", "Pat Prac"),):
        invite = client.get(url)
        assert invite.status_code == 200 and invite.mimetype == "text/calendar"
        (event,) = Calendar.from_ical(invite.data).walk("VEVENT")
        assert event.decoded("dtstart") == date(2027, 2, 3)
        assert str(event["summary"]) == f"Career conversation with {other}"
    client.post("/logout")
    login("prac@zenith.gov.uk")
    mine = record.replace("/team/plans/", "/plans/") + ".ics"
    (event,) = Calendar.from_ical(client.get(mine).data).walk("VEVENT")
    assert str(event["summary"]) == "Career conversation with Bea Boss"


def test_asking_for_verification_emails_the_line_manager_a_link_not_the_learning(
    app, client, inbox, people, login
):
    login("prac@zenith.gov.uk")
    client.post(
        "/profile/learning",
        data={
            "title": "Shadowed the duty senior",
            "learned_on": ["2", "11", "2026"],
            "kind": "shadowing",
            "reflection": "What I took from the duty desk",
        },
    )
    with app.app_context():
        entry_id = db.session.scalar(sa.text("SELECT max(id) FROM learning_entry"))
    client.post(f"/profile/learning/{entry_id}/verification", data={"ask": "1"})
    again = client.post(
        f"/profile/learning/{entry_id}/verification", data={"ask": "1"}, follow_redirects=True
    )
    assert "You have already asked Bea Boss to verify this entry." in again.get_data(as_text=True)
    [message] = inbox.to("boss@zenith.gov.uk")  # one email, however often the button is pressed
    assert message["Subject"] == "Pathways: Pat Prac asks you to verify their learning"
    text, html_body = Inbox.parts(message)
    assert "http://localhost/team/learning" in text and "/team/learning" in html_body
    # the email says who asks, never what they learned or what they wrote
    for part in (text, html_body):
        assert "Shadowed the duty senior" not in part and "duty desk" not in part
