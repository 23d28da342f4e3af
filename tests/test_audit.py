"""The audit log: changes to frameworks, plans, ratings and accounts, with who and when."""

from __future__ import annotations

import html
import re

import sqlalchemy as sa

from planner.extensions import db
from planner.models import AuditEvent
from tests.conftest import PASSWORD, fill_user_data, save_notes


def _events(app):
    with app.app_context():
        return [
            (e.action, e.actor_name, e.object_type, e.summary)
            for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))
        ]


def test_changes_are_logged_with_who_and_what(app, client, make_user, login):
    boss = make_user("boss@example.org", roles=("manager",), name="Bea Boss")
    make_user(line_manager_id=boss, name="Pat Prac")
    login()
    location = fill_user_data(client)
    save_notes(client, location, "my secret thoughts")
    client.post(location + "/share", data={"share": "1"})
    client.post("/logout")
    login("boss@example.org")
    plan = location.replace("/plans/", "/team/plans/")
    client.post(plan + "/ratings", data={"rating_vision": "4"})
    client.post(plan + "/conversations", data={"held_on": ["1", "11", "2026"], "notes": "n"})
    events = _events(app)
    actions = [e[0] for e in events]
    for action in (
        "framework.save",
        "account.create",
        "profile.update",
        "rating.self",
        "training.record",
        "plan.create",
        "plan.item_add",
        "plan.notes",
        "plan.share",
        "rating.manager",
        "conversation.record",
    ):
        assert action in actions, action
    by_action = {e[0]: e for e in events}
    assert by_action["plan.share"][1] == "Pat Prac"
    assert by_action["rating.manager"][1] == "Bea Boss"
    assert by_action["framework.save"][1] == "system (command line)"
    assert not any("my secret thoughts" in e[3] for e in events)


def test_a_failed_change_leaves_no_event(app, client, make_user, login):
    make_user()
    login()
    before = len(_events(app))
    client.post("/plans", data={"target": "cswo", "route": "social_worker,cswo"})  # no such move
    assert len(_events(app)) == before


def test_deleting_an_account_keeps_its_events_without_the_name(app, client, make_user, login):
    make_user(name="Pat Prac")
    login()
    fill_user_data(client)
    client.post("/account/delete", data={"password": PASSWORD})
    events = _events(app)
    assert not any("Pat Prac" in e[1] or "Pat Prac" in e[3] for e in events)
    assert events[-1][0] == "account.delete" and events[-1][1] == "Deleted account"
    assert sum(1 for e in events if e[1] == "Deleted account") > 3


def test_only_admins_read_the_log_and_it_filters(app, client, make_user, make_org, login):
    org = make_org()
    make_user("admin@example.org", roles=("admin",), organisation_id=org)
    make_user(organisation_id=org)
    login()
    fill_user_data(client)
    assert client.get("/admin/audit").status_code == 403
    client.post("/logout")
    login("admin@example.org")
    page = _events_table(client.get("/admin/audit?area=plan"))
    assert "made a plan" in page and "rated their own capabilities" not in page
    assert "rated their own capabilities" in _events_table(client.get("/admin/audit"))
    # plain sentences, not codes: "plan.create" is only the filter's value, never the text
    assert "plan.create" not in page and "rating.self" not in page


def _events_table(response) -> str:
    return response.get_data(as_text=True).split("<tbody", 1)[-1]


def test_the_log_filters_by_person_action_and_date_and_records_who_read_a_plan(
    app, client, make_user, make_org, login
):
    from datetime import date, timedelta

    org = make_org()
    make_user("admin@example.org", roles=("admin",), organisation_id=org)
    boss = make_user("boss@example.org", roles=("manager",), organisation_id=org)
    make_user(organisation_id=org, line_manager_id=boss)
    make_user("other@example.org", organisation_id=org)
    login()
    plan = fill_user_data(client)
    client.post(plan + "/share", data={"share": "1"})
    client.post("/logout")
    login("other@example.org")
    fill_user_data(client)
    client.post("/logout")
    login("boss@example.org")
    assert client.get(plan.replace("/plans/", "/team/plans/")).status_code == 200
    client.post("/logout")
    login("admin@example.org")
    mine = html.unescape(_events_table(client.get("/admin/audit?person=PRAC@example.org")))
    assert "Shared plan and ratings viewed by the line manager" in mine
    assert re.search(r">Prac</a> shared <a [^>]+>Prac</a>’s plan with their line manager", mine)
    assert "Signed in with a password" in mine and ">Prac</a> signed in" in mine
    assert mine.count("made a plan") == 1  # not the other person's plan
    views = html.unescape(_events_table(client.get("/admin/audit?action=plan.view")))
    assert re.search(r">Boss</a> read <a [^>]+>Prac</a>’s plan", views)
    assert "made a plan" not in views
    # the people named link to their page in the administrator's organisation
    assert f'href="/admin/users/{boss}"' in views
    page = client.get("/admin/audit").get_data(as_text=True)
    assert '<option value="plan.view">Plan viewed by a manager</option>' in page
    today = date.today()
    assert " read " in _events_table(client.get(f"/admin/audit?since={today.isoformat()}"))
    past = (today - timedelta(days=3)).isoformat()
    assert "No events match these filters" in client.get(f"/admin/audit?until={past}").get_data(
        as_text=True
    )
    unknown = client.get("/admin/audit?person=nobody@example.org").get_data(as_text=True)
    assert "No one in your organisation has the email address nobody@example.org" in unknown


def test_every_action_the_code_records_reads_as_a_sentence():
    """A new audit action without a sentence in planner/audit_text.py fails here."""
    from pathlib import Path

    from planner.audit_text import ACTIONS

    root = Path(__file__).resolve().parents[1] / "planner"
    source = "\n".join(p.read_text() for p in root.rglob("*.py"))
    literal = set(re.findall(r'record\(\s*"([a-z_]+\.[a-z_]+)"', source))
    literal |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', source))
    assert len(literal) > 30  # the scan finds the calls
    made = {"plan.item_done", "plan.item_undone", "rating.self", "rating.manager"}  # f-strings
    assert sorted((literal | made) - set(ACTIONS)) == []
    assert all(text.startswith(("{who}", "A ")) for _label, text in ACTIONS.values())
