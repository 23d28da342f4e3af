"""The audit log: changes to frameworks, plans, ratings and accounts, with who and when."""

from __future__ import annotations

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
    client.post(plan + "/ratings", data={"vision": "4"})
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
    page = client.get("/admin/audit?area=plan").get_data(as_text=True)
    assert "plan.create" in page and "rating.self" not in page
    assert "rating.self" in client.get("/admin/audit").get_data(as_text=True)
