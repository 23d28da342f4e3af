"""Personal data: download everything; delete the account and everything with it."""

from __future__ import annotations

import json

import sqlalchemy as sa

from planner.extensions import db
from planner.models import (
    CompletedTraining,
    Plan,
    PlanItem,
    Profile,
    Rating,
    ServiceAreaYears,
    User,
)
from tests.conftest import PASSWORD, fill_user_data, save_notes


def test_export_contains_everything(client, make_user, login):
    make_user()
    login()
    fill_user_data(client)
    response = client.get("/account/export.json")
    assert (
        response.mimetype == "application/json"
        and "attachment" in response.headers["Content-Disposition"]
    )
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "prac@example.org"
    assert data["profile"]["service_areas"] == {"justice": 3}
    assert [r["level"] for r in data["ratings"] if r["capability"] == "vision"] == [2, 3]
    assert data["completed_training"][0]["item"] == "mba"
    assert data["plans"][0]["route"] == ["social_worker", "senior_practitioner"]
    assert data["plans"][0]["items"][0]["kind"] == "mentoring"


def test_delete_needs_the_password(app, client, make_user, login):
    make_user()
    login()
    response = client.post("/account/delete", data={"password": "wrong password"})
    assert response.status_code == 400 and "The password is not correct" in response.get_data(
        as_text=True
    )
    assert client.post("/account/delete", data={}).status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(User).filter_by(email="prac@example.org")) is not None


def test_delete_removes_the_account_and_all_its_data(app, client, make_user, login):
    keep_id = make_user("other@example.org")
    make_user()
    login()
    fill_user_data(client)
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/profile").status_code == 302  # signed out
    with app.app_context():
        assert db.session.scalar(sa.select(User).filter_by(email="prac@example.org")) is None
        for model in (Profile, Rating, ServiceAreaYears, CompletedTraining, Plan, PlanItem):
            remaining = db.session.scalars(sa.select(model)).all()
            owners = {getattr(r, "user_id", None) for r in remaining} - {None}
            assert owners <= {keep_id}, model
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanItem)) == 0
    assert (
        app.test_client()
        .post("/login", data={"email": "prac@example.org", "password": PASSWORD})
        .status_code
        == 200
    )


def _conversation(client, login, make_user):
    boss = make_user("boss@example.org", roles=("manager",))
    make_user(line_manager_id=boss)
    login()
    fill_user_data(client)
    plan_id = client.get("/account/export.json").json["plans"][0]["id"]
    save_notes(client, f"/plans/{plan_id}", "only mine")
    client.post(f"/plans/{plan_id}/share", data={"share": "1"})
    client.post("/logout")
    login("boss@example.org")
    client.post(
        f"/team/plans/{plan_id}/conversations",
        data={"held_on": ["1", "11", "2026"], "notes": "We talked", "actions-0-title": "Read"},
    )
    client.post("/logout")
    return boss, plan_id


def test_export_includes_sharing_notes_and_conversations(client, make_user, login):
    _conversation(client, login, make_user)
    login()
    plan = client.get("/account/export.json").json["plans"][0]
    assert plan["private_notes"] == "only mine" and plan["shared_with_line_manager_since"]
    assert plan["conversations"][0]["notes"] == "We talked"
    assert plan["conversations"][0]["manager"] == "Boss"
    assert [i["title"] for i in plan["items"] if i["agreed_in_conversation"]] == ["Read"]


def test_deleting_a_practitioner_removes_their_conversations(app, client, make_user, login):
    from planner.models import Conversation

    _conversation(client, login, make_user)
    login()
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Conversation.id))) == 0


def test_deleting_a_manager_keeps_the_record_without_the_author(app, client, make_user, login):
    from planner.models import Conversation

    _conversation(client, login, make_user)
    login("boss@example.org")
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    with app.app_context():
        conversation = db.session.scalar(sa.select(Conversation))
        assert conversation.notes == "We talked" and conversation.manager_id is None
    login()
    plan_id = client.get("/account/export.json").json["plans"][0]["id"]
    record = client.get(f"/plans/{plan_id}/conversations/{conversation.id}")
    assert "No longer in Pathways" in record.get_data(as_text=True)


def test_someone_without_a_password_deletes_their_account_by_typing_their_email(
    app, client, make_user, login
):
    """People who sign in through their organisation's account have no password to type."""
    from planner.models import User

    user_id = make_user()
    login()
    with app.app_context():
        user = db.session.get(User, user_id)
        user.password_hash = None
        db.session.commit()
    page = client.get("/account").get_data(as_text=True)
    assert "Type your email address to confirm" in page and "Enter your password" not in page
    wrong = client.post("/account/delete", data={"confirm_email": "someone@else.org"})
    assert wrong.status_code == 400
    assert "Type your email address exactly to confirm" in wrong.get_data(as_text=True)
    done = client.post("/account/delete", data={"confirm_email": " PRAC@example.org "})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id) is None
