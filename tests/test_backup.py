"""Backup and restore: the whole database to a file and back, exactly, on either engine."""

from __future__ import annotations

import io
import json

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from planner.backup import BackupError, backup, restore
from planner.extensions import db
from tests.conftest import fill_user_data, local_item_form, save_notes


def _populate(app, client, make_user, login):
    """Rows in every table: users and roles, a team, profile, ratings (self and manager),
    training, a shared plan with items, a conversation, local training, framework versions,
    audit events, an invitation."""
    from planner.models import Organisation, Team

    with app.app_context():
        org = Organisation(name="Backup council")
        db.session.add(org)
        db.session.flush()
        team = Team(organisation_id=org.id, name="North")
        db.session.add(team)
        db.session.commit()
        org_id, team_id = org.id, team.id
    boss = make_user("boss@example.org", roles=("manager", "ld", "admin"), organisation_id=org_id)
    make_user(line_manager_id=boss, organisation_id=org_id, team_id=team_id)
    login()
    location = fill_user_data(client)
    client.post(location + "/share", data={"share": "1"})
    save_notes(client, location, 'Ünïcödé notes, "quoted"\nand lines')
    client.post("/logout")
    login("boss@example.org")
    plan = location.replace("/plans/", "/team/plans/")
    client.post(plan + "/ratings", data={"vision": "4"})
    client.post(
        plan + "/conversations",
        data={"held_on": ["1", "11", "2026"], "notes": "n", "actions-0-title": "Agreed"},
    )
    client.post("/catalogue/new", data=local_item_form())
    client.post("/account/tokens", data={"name": "HR system"})
    client.post(
        "/admin/users",
        data={
            "name": "Ivy",
            "email": "ivy@example.org",
            "roles": ["practitioner"],
            "team": "",
            "line_manager": "",
        },
    )
    client.post("/logout")


def _dump(app) -> str:
    with app.app_context():
        out = io.StringIO()
        backup(out)
        return out.getvalue()


def test_backup_then_restore_into_an_empty_database_is_exact(app, client, make_user, login):
    _populate(app, client, make_user, login)
    first = _dump(app)
    data = json.loads(first)
    empty = [name for name, t in data["tables"].items() if not t["rows"]]
    assert empty == [], empty  # the round trip covers every table
    with app.app_context():
        db.session.remove()
        downgrade(revision="base")
        upgrade()
        counts = restore(io.StringIO(first))
    assert counts["plan"] == 1 and counts["conversation"] == 1
    assert _dump(app) == first
    # the restored database works: sign in, see the plan, and new rows get fresh ids
    login()
    page = client.get("/plans").get_data(as_text=True)
    assert "Senior practitioner" in page
    response = client.post(
        "/plans", data={"target": "practice_educator", "route": "social_worker,practice_educator"}
    )
    assert response.status_code == 302


def test_restore_refuses_a_database_with_data_and_changes_nothing(app, client, make_user, login):
    _populate(app, client, make_user, login)
    dump = _dump(app)
    with app.app_context(), pytest.raises(BackupError, match="not empty"):
        restore(io.StringIO(dump))
    assert _dump(app) == dump


@pytest.mark.parametrize(
    "text, message",
    [
        ("not json", "not a Pathways backup file"),
        ('{"format": "something else"}', "not a Pathways backup file"),
        ('{"format": "pathways-backup", "format_version": 99}', "not supported"),
        (
            '{"format": "pathways-backup", "format_version": 1, "alembic_revision": "abc", "tables": {}}',
            "migrate one to match",
        ),
    ],
)
def test_restore_says_what_is_wrong_with_a_bad_file(empty_app, text, message):
    with empty_app.app_context(), pytest.raises(BackupError, match=message):
        restore(io.StringIO(text))


def test_the_commands(app, runner, tmp_path):
    path = tmp_path / "backup.json"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0 and "Backed up" in result.output
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code != 0 and "not empty" in result.output
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM framework_version")) == 1
