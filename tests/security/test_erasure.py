"""Deleting an account erases every row about the person, in every table, on both engines.
Finding: deletion left the person's current_rating rows; on SQLite the next account took the
same id and inherited them, and a backup taken afterwards no longer restored on PostgreSQL."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from planner.extensions import db
from planner.models import LearningEntry, Plan, User
from tests.conftest import (
    PASSWORD,
    add_learning_entry,
    answer_profile,
    decide_on_learning,
    fill_user_data,
    save_notes,
)

NAME, EMAIL, NOTES = "Pat Erasable", "erase.me@example.org", "Pat's own private worry"


def _references_to_accounts() -> list[tuple[sa.Table, sa.Column]]:
    """Every column, in every table of the schema, that points at an account."""
    return [
        (table, fk.parent)
        for table in db.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "user_account"
    ]


def _person_everywhere(app, client, make_user, make_org, login) -> int:
    """The person to erase, with a row in every table that points at an account: their own
    data, ratings they gave someone else as a manager, a conversation they recorded, a
    framework version they saved as a national editor, a report, audit events."""
    org = make_org("Erasure council")
    person = make_user(
        EMAIL,
        name=NAME,
        roles=("practitioner", "manager", "admin", "national_editor"),
        organisation_id=org,
    )
    make_user("report@example.org", name="Ray Report", line_manager_id=person, organisation_id=org)
    login("report@example.org")
    shared = fill_user_data(client)
    client.post(shared + "/share", data={"share": "1"})
    add_learning_entry(client)  # which the person, as Ray's line manager, verifies below
    with app.app_context():
        entry_id = db.session.scalar(sa.select(sa.func.max(LearningEntry.id)))
    client.post(f"/profile/learning/{entry_id}/verification", data={"ask": "1"})
    client.post("/logout")
    login(EMAIL)
    verified = decide_on_learning(client, entry_id)
    assert verified.status_code == 302, verified.get_data(as_text=True)[-800:]
    plan = fill_user_data(client)
    save_notes(client, plan, NOTES)
    add_learning_entry(client)
    client.post("/account/tokens", data={"name": "Pat's HR link"})
    assert answer_profile(client, fact_value_statement="yes").status_code == 302
    team_plan = shared.replace("/plans/", "/team/plans/")
    client.post(team_plan + "/ratings", data={"rating_vision": "4"})
    client.post(team_plan + "/conversations", data={"held_on": ["1", "11", "2026"], "notes": "ok"})
    invited = client.post(
        "/admin/users",
        data={
            "name": "Ivy Invitee",
            "email": "ivy@example.org",
            "roles": ["practitioner"],
            "team": "",
            "line_manager": str(person),
        },
    )
    assert "Invitation ready" in invited.get_data(as_text=True)
    with app.test_request_context():  # a reminder emailed to them about their own action
        from datetime import date, timedelta

        from planner.models import PlanItem
        from planner.reminders import send_reminders

        item = db.session.scalar(
            sa.select(PlanItem).join(Plan).where(Plan.user_id == person).limit(1)
        )
        item.due = date.today() + timedelta(days=1)
        db.session.commit()
        assert send_reminders(date.today(), 7) == (1, 0)
    with app.app_context():
        from planner.frameworks import current_version, store_framework

        store_framework(
            current_version().document + "\n# saved by the person\n",
            "edited.yaml",
            created_by_id=person,
            note="An edit",
        )
    return person


def _rows_pointing_at(person: int) -> dict[str, int]:
    return {
        f"{table.name}.{column.name}": db.session.scalar(
            sa.select(sa.func.count()).select_from(table).where(column == person)
        )
        for table, column in _references_to_accounts()
    }


def _text_mentioning(*needles: str) -> list[str]:
    """Every string cell, in every table, holding one of ``needles``."""
    found = []
    for table in db.metadata.sorted_tables:
        texts = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text)]
        for column in texts:
            for needle in needles:
                hits = db.session.scalar(
                    sa.select(sa.func.count()).select_from(table).where(column.contains(needle))
                )
                if hits:
                    found.append(f"{table.name}.{column.name} holds {needle!r}")
    return found


def test_deleting_an_account_leaves_nothing_about_the_person_in_any_table(
    app, client, make_user, make_org, login
):
    person = _person_everywhere(app, client, make_user, make_org, login)
    with app.app_context():
        before = _rows_pointing_at(person)
    # The test data must reach every table that points at an account, so that a new table
    # holding people's data fails here until deletion handles it (and this data fills it).
    missing = [where for where, count in before.items() if count == 0]
    assert missing == [], f"no test row in {missing}: add one to _person_everywhere"
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        after = _rows_pointing_at(person)
        assert after == dict.fromkeys(before, 0)
        assert _text_mentioning(NAME, EMAIL, NOTES, "Pat's HR link") == []
        # what others own stays, without the author: the report's ratings and conversation
        report = db.session.scalar(sa.select(User).filter_by(email="report@example.org"))
        assert report.line_manager_id is None
        assert db.session.scalar(sa.select(sa.func.count(Plan.id)).filter_by(user_id=report.id))


def test_the_next_account_inherits_nothing_from_a_deleted_one(app, client, make_user, login):
    """On SQLite a new row may take the id of the last one deleted: nothing of the deleted
    person may then read as the new person's."""
    first = make_user(EMAIL, name=NAME)
    login(EMAIL)
    fill_user_data(client)
    client.post("/account/delete", data={"password": PASSWORD})
    second = make_user("new.person@example.org")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert second == first  # the id is reused, which is what made the leak possible
    with app.app_context():
        pointing = {where: n for where, n in _rows_pointing_at(second).items() if n}
        assert pointing == {"user_role.user_id": 1, "profile.user_id": 1}
    login("new.person@example.org")
    assert "Not rated yet" in client.get("/profile/ratings").get_data(as_text=True)
    assert "You have no plans yet" in client.get("/plans").get_data(as_text=True)


def test_a_backup_taken_after_a_deletion_restores(app, client, make_user, make_org, login):
    """Both engines: no row of the backup points at the deleted account."""
    from planner.backup import backup, restore

    _person_everywhere(app, client, make_user, make_org, login)
    client.post("/account/delete", data={"password": PASSWORD})
    with app.app_context():
        out = io.StringIO()
        backup(out)
        db.session.remove()
        downgrade(revision="base")
        upgrade()
        counts = restore(io.StringIO(out.getvalue()))
        assert counts["user_account"] == 1 and counts["plan"] == 1


def test_foreign_keys_are_enforced_on_every_engine(app):
    """A row pointing at an account that does not exist is refused (SQLite included)."""
    with app.app_context():
        db.session.add(
            Plan(user_id=999_999, target_role="cswo", route_json="[]", framework_version_id=1)
        )
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()
