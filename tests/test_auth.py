"""Accounts: sign in and out, self-registration, invitations and set-password links, CSRF."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.models import Profile, User
from tests.conftest import PASSWORD


def test_sign_in_and_out(client, make_user, login):
    make_user()
    login()
    assert client.get("/profile").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/profile").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_message(client, make_user):
    make_user()
    wrong = client.post("/login", data={"email": "prac@example.org", "password": "nope nope nope"})
    unknown = client.post(
        "/login", data={"email": "nobody@example.org", "password": "nope nope nope"}
    )
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.get_data(as_text=True)
    assert "There is a problem" in wrong.get_data(as_text=True)


def test_email_is_case_insensitive_and_next_is_followed_only_locally(client, make_user):
    make_user()
    response = client.post(
        "/login?next=/plans", data={"email": "PRAC@Example.org", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/plans"
    client.post("/logout")
    response = client.post(
        "/login?next=https://evil.example/x",
        data={"email": "prac@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/planner"  # home: a practitioner with no plan


@pytest.mark.parametrize(
    "target",
    [
        "/\\evil.example",
        "/\\/evil.example",
        "/\tevil.example",
        "//evil.example",
        "https://evil.example",
    ],
)
def test_next_never_leaves_the_site(client, make_user, target):
    make_user()
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "prac@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/planner"


def test_passwords_are_hashed(app, make_user):
    user_id = make_user()
    with app.app_context():
        user = db.session.get(User, user_id)
        assert PASSWORD not in user.password_hash and user.check_password(PASSWORD)


def test_production_hashes_passwords_with_scrypt(app):
    """The suite lowers the hashing cost; a deployment never can (no setting reads it)."""
    from planner import create_app

    production = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )
    assert production.config["PASSWORD_HASH_METHOD"] == "scrypt"
    with production.app_context():
        user = User(name="P", email="p@example.org")
        user.set_password(PASSWORD)
        assert user.password_hash.startswith("scrypt:") and user.check_password(PASSWORD)


def test_self_registration_is_off_by_default(client):
    assert client.get("/register").status_code == 404
    assert "Ask your organisation" in client.get("/login").get_data(as_text=True)


def test_self_registration_when_allowed(app):
    app.config["SELF_REGISTRATION"] = True
    client = app.test_client()
    bad = client.post(
        "/register",
        data={"name": "Ann", "email": "not-an-email", "password": "short", "confirm": "x"},
    )
    body = bad.get_data(as_text=True)
    assert (
        "Enter an email address in the correct format" in body and "at least 10 characters" in body
    )
    ok = client.post(
        "/register",
        data={
            "name": "Ann Other",
            "email": "ann@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert ok.status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User).filter_by(email="ann@example.org"))
        assert user.roles == {"practitioner"} and db.session.get(Profile, user.id) is not None
    again = app.test_client().post(
        "/register",
        data={"name": "Ann", "email": "ANN@example.org", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert "already exists" in again.get_data(as_text=True)


def test_admin_invites_and_the_link_works_once(app, client, make_user, login):
    from planner.models import Organisation

    with app.app_context():
        org = Organisation(name="Council")
        db.session.add(org)
        db.session.commit()
        org_id = org.id
    make_user("admin@example.org", roles=["admin"], organisation_id=org_id)
    login("admin@example.org")
    response = client.post(
        "/admin/users",
        data={
            "name": "New Person",
            "email": "new@example.org",
            "roles": ["practitioner", "manager"],
            "team": "",
            "line_manager": "",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Invitation ready for New Person" in html
    link = re.search(r'<code id="invite-link">[^<]*(/invitations/[^<]+)</code>', html).group(1)
    assert "new@example.org" in html.split("Invited, not joined yet</caption>")[1]  # pending
    with app.app_context():  # no account until the person accepts
        assert db.session.scalar(sa.select(User).filter_by(email="new@example.org")) is None
    client.post("/logout")
    fresh = app.test_client()
    assert fresh.get(link).status_code == 200
    done = fresh.post(link, data={"password": PASSWORD, "confirm": PASSWORD})
    assert done.status_code == 302 and fresh.get("/profile").status_code == 200
    assert app.test_client().get(link).status_code == 404  # used
    with app.app_context():
        user = db.session.scalar(sa.select(User).filter_by(email="new@example.org"))
        assert user.roles == {"practitioner", "manager"} and user.organisation_id == org_id


def test_tampered_or_expired_links_are_refused(app, client, make_user):
    from planner.auth.tokens import make_token

    user_id = make_user()
    with app.test_request_context():
        token = make_token(db.session.get(User, user_id))
    assert client.get(f"/set-password/{token}x").status_code == 404
    app.config["INVITE_MAX_AGE"] = -1
    assert client.get(f"/set-password/{token}").status_code == 404


def test_non_admins_cannot_manage_users(client, make_user, login):
    make_user()
    login()
    assert client.get("/admin/users").status_code == 403


def test_csrf_is_required_on_forms(app):
    app.config["WTF_CSRF_ENABLED"] = True  # the other tests switch it off for brevity
    client = app.test_client()
    response = client.post("/login", data={"email": "x@example.org", "password": "whatever123"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"email": "x@example.org", "password": "whatever123", "csrf_token": token}
    )
    assert response.status_code == 200  # form processed (wrong login), not refused


def test_create_user_command_prints_a_link(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "--email", "boss@example.org", "--name", "Boss"]
    )
    assert result.exit_code == 0 and "/set-password/" in result.output
    again = app.test_cli_runner().invoke(
        args=["create-user", "--email", "boss@example.org", "--name", "Boss"]
    )
    assert again.exit_code != 0 and "already exists" in again.output


def test_load_demo_is_idempotent_and_lists_logins(app):
    first = app.test_cli_runner().invoke(args=["load-demo"])
    assert (
        first.exit_code == 0
        and "practitioner@demo.pathways" in first.output
        and "pathways-demo" in first.output
    )
    app.test_cli_runner().invoke(args=["load-demo"])
    with app.app_context():
        from planner.demo import DEMO_STAFF
        from planner.models import Conversation, LocalTraining

        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 8 + DEMO_STAFF
        assert db.session.scalar(sa.select(sa.func.count(Conversation.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(LocalTraining.id))) == 2
        nqsw = db.session.scalar(sa.select(User).filter_by(email="nqsw@demo.pathways"))
        assert db.session.get(Profile, nqsw.id).current_role == "nqsw"
        assert nqsw.line_manager.email == "manager@demo.pathways"
