"""Every URL in the app, tried as an anonymous visitor and as another practitioner.

The matrix is generated from ``app.url_map``: a new route that is not classified here fails
``test_every_rule_is_classified``, so nothing can escape the permission tests."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from planner.extensions import db
from planner.models import CompletedTraining, Plan, PlanItem, Rating

PUBLIC = {
    "static",
    "explore.role_map",
    "explore.role_page",
    "auth.login",
    "auth.register",
    "auth.set_password",
}
ADMIN_ONLY = {"auth.users", "auth.user_link"}
SIGNED_IN = {  # any signed-in user, acting on their own data only
    "auth.logout",
    "profile.profile",
    "profile.ratings",
    "profile.rate",
    "profile.training",
    "profile.delete_training",
    "plans.planner",
    "plans.create_plan",
    "plans.plan_list",
    "plans.plan_detail",
    "plans.plan_add_item",
    "plans.plan_item_done",
    "plans.plan_delete",
    "plans.plan_pdf",
    "plans.plan_json",
    "account.account",
    "account.export",
    "account.delete",
}
OWNED_ARGS = {"plan_id", "item_id", "row_id"}


def rules(app):
    return list(app.url_map.iter_rules())


def test_every_rule_is_classified(app):
    unclassified = {r.endpoint for r in rules(app)} - PUBLIC - ADMIN_ONLY - SIGNED_IN
    assert unclassified == set(), "classify these endpoints in tests/test_permissions.py"


def _owner_data(app, client, make_user, login):
    """Practitioner A with a plan, an item, a completed-training row and a rating."""
    owner_id = make_user("owner@example.org")
    login("owner@example.org")
    location = client.post(
        "/plans",
        data={"target": "senior_practitioner", "route": "social_worker,senior_practitioner"},
    ).headers["Location"]
    client.post(
        location + "/items",
        data={
            "kind": "other",
            "title": "Private action",
            "training_item": "",
            "role": "",
            "service_area": "",
        },
    )
    client.post("/profile/training", data={"item": "mba", "completed_on": ["1", "2", "2020"]})
    client.post("/profile/ratings/vision", data={"vision-level": "4"})
    client.post("/logout")
    with app.app_context():
        plan = db.session.scalar(sa.select(Plan).filter_by(user_id=owner_id))
        values = {
            "plan_id": plan.id,
            "item_id": plan.items[0].id,
            "row_id": db.session.scalar(
                sa.select(CompletedTraining.id).filter_by(user_id=owner_id)
            ),
            "user_id": owner_id,
            "slug": "cswo",
            "capability": "vision",
            "token": "not-a-token",
            "filename": "css/app.css",
        }
    return owner_id, values


def _urls(app, values):
    with app.test_request_context():
        for rule in rules(app):
            args = {name: values[name] for name in rule.arguments}
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method, url_for(rule.endpoint, **args)


def test_anonymous_visitors_are_sent_to_sign_in(app, client, make_user, login):
    _, values = _owner_data(app, client, make_user, login)
    for rule, method, url in _urls(app, values):
        response = client.open(url, method=method, data={})
        if rule.endpoint in PUBLIC:
            assert response.status_code != 302 or "/login" not in response.headers.get(
                "Location", ""
            ), url
        else:
            assert response.status_code == 302, (method, url, response.status_code)
            assert response.headers["Location"].startswith("/login?next="), (method, url)
        response.close()


def test_another_practitioner_cannot_read_or_change_someone_elses_data(
    app, client, make_user, login
):
    owner_id, values = _owner_data(app, client, make_user, login)
    make_user("intruder@example.org")
    login("intruder@example.org")
    tried = 0
    for rule, method, url in _urls(app, values):
        if rule.endpoint in ADMIN_ONLY:
            assert client.open(url, method=method, data={}).status_code == 403, url
        elif OWNED_ARGS & set(rule.arguments):
            data = {
                "done": "1",
                "kind": "other",
                "title": "x",
                "training_item": "",
                "role": "",
                "service_area": "",
            }
            response = client.open(url, method=method, data=data)
            body = response.get_data(as_text=True)
            assert response.status_code == 404, (method, url, response.status_code)
            assert "Private action" not in body
            tried += 1
    assert tried >= 7
    with app.app_context():
        plan = db.session.scalar(sa.select(Plan).filter_by(user_id=owner_id))
        assert (
            plan is not None
            and [i.status for i in plan.items] == ["planned"]
            and len(plan.items) == 1
        )
        assert (
            db.session.scalar(sa.select(CompletedTraining).filter_by(user_id=owner_id)) is not None
        )
    # the intruder's own views show only their own data
    assert "Private action" not in client.get("/plans").get_data(as_text=True)
    export = client.get("/account/export.json").get_data(as_text=True)
    assert "owner@example.org" not in export and "Private action" not in export


def test_ratings_and_exports_are_per_person(app, client, make_user, login):
    owner_id, _ = _owner_data(app, client, make_user, login)
    make_user("other@example.org")
    login("other@example.org")
    assert "Not rated yet" in client.get("/profile/ratings").get_data(as_text=True)
    client.post("/profile/ratings/vision", data={"vision-level": "1"})
    with app.app_context():
        owner = db.session.scalars(sa.select(Rating).filter_by(user_id=owner_id)).all()
        assert [r.level for r in owner] == [4]


def test_deactivated_accounts_cannot_sign_in(app, client, make_user):
    from planner.models import User
    from tests.conftest import PASSWORD

    user_id = make_user()
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    response = client.post("/login", data={"email": "prac@example.org", "password": PASSWORD})
    assert (
        response.status_code == 200
        and "Enter a correct email address and password" in response.get_data(as_text=True)
    )


def test_plan_items_are_only_found_through_their_plan(app, client, make_user, login):
    _, values = _owner_data(app, client, make_user, login)
    login("owner@example.org")
    other = client.post(
        "/plans", data={"target": "practice_educator", "route": "social_worker,practice_educator"}
    ).headers["Location"]
    # the owner's item id under the owner's other plan: not found, not changed
    response = client.post(f"{other}/items/{values['item_id']}/done", data={"done": "1"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(PlanItem, values["item_id"]).status == "planned"
