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
from tests.conftest import PASSWORD, fill_user_data


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
