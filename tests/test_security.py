"""Security hardening: secret key, cookies, session expiry, headers, CSRF on every
state-changing URL, sign-in limits without account enumeration, password strength."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from planner import create_app
from planner.extensions import db
from tests.conftest import PASSWORD


@pytest.mark.parametrize("key", [None, "", "dev", "short"])
def test_the_app_refuses_to_start_with_a_weak_secret_key(monkeypatch, tmp_path, key):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("PATHWAYS_SECRET_KEY_FILE", str(tmp_path / "no-such-file"))
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite", "SECRET_KEY": key}
    with pytest.raises(RuntimeError, match="SECRET_KEY is missing or too weak"):
        create_app(config)
    # debug and test runs may use a throwaway key
    assert create_app({**config, "TESTING": True}).config["SECRET_KEY"]
    create_app({**config, "SECRET_KEY": "a" * 32})  # a real key: starts


def test_session_cookie_flags(app, client, make_user):
    make_user()
    app.config["SESSION_COOKIE_SECURE"] = True  # as in production
    try:
        response = client.post("/login", data={"email": "prac@example.org", "password": PASSWORD})
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert "Expires=" in cookie  # a permanent session, with a lifetime


def test_sessions_expire_when_idle(app, client, make_user, login):
    from datetime import timedelta

    make_user()
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=1)
    try:
        login()
        assert client.get("/profile").status_code == 200
        time.sleep(2.1)
        response = client.get("/profile")
    finally:
        app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=120)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_security_headers_on_every_page(client):
    for url in ("/", "/login", "/roles/cswo", "/no-such-page"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
    https = client.get("/", base_url="https://localhost")
    assert "max-age=" in https.headers["Strict-Transport-Security"]


def test_no_inline_script_or_style_in_pages(client, make_user, login):
    """The policy forbids inline code, so none may be in the pages."""
    import re

    make_user()
    login()
    for url in ("/", "/profile", "/profile/ratings", "/planner?target=cswo", "/plans"):
        page = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert "<style" not in page and " style=" not in page, url
        assert not re.search(r"\son[a-z]+=", page), url  # onclick= and friends


def test_every_state_changing_url_needs_a_csrf_token(app, client, make_user, login):
    """Generated from app.url_map: every POST rule, with no token, is refused. (The API
    takes bearer tokens, not cookies, so cross-site forms cannot use it: no CSRF there.)"""
    from flask import url_for

    make_user(roles=("practitioner", "manager", "ld", "admin"))
    login()
    app.config["WTF_CSRF_ENABLED"] = True
    values = {
        "plan_id": 1,
        "item_id": 1,
        "row_id": 1,
        "conversation_id": 1,
        "local_id": 1,
        "user_id": 1,
        "version_id": 1,
        "slug": "cswo",
        "capability": "vision",
        "token": "x",
        "source": "social_worker",
        "target": "senior_practitioner",
        "training_id": "mba",
        "filename": "x",
        "token_id": 1,
        "entry_id": 1,
    }
    tried = []
    try:
        with app.test_request_context():
            urls = [
                (rule.endpoint, url_for(rule.endpoint, **{a: values[a] for a in rule.arguments}))
                for rule in app.url_map.iter_rules()
                if "POST" in rule.methods and not rule.endpoint.startswith("api.")
            ]
        for endpoint, url in urls:
            response = client.post(url, data={"title": "x", "notes": "x"})
            assert response.status_code == 400, (endpoint, response.status_code)
            assert "This form has expired" in response.get_data(as_text=True), endpoint
            tried.append(endpoint)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert len(tried) >= 30
    with app.app_context():
        from planner.models import Plan

        assert db.session.scalar(sa.select(sa.func.count(Plan.id))) == 0


def _fail(client, email):
    return client.post("/login", data={"email": email, "password": "wrong password 123"})


def test_failed_sign_ins_lock_an_email_for_a_while_whether_or_not_it_exists(app, client, make_user):
    make_user()
    for email in ("prac@example.org", "nobody@example.org"):
        for _ in range(5):
            assert _fail(client, email).status_code == 200
        locked = client.post("/login", data={"email": email, "password": PASSWORD})
        assert locked.status_code == 429
        assert "Too many attempts to sign in" in locked.get_data(as_text=True)
    # the same words for an account that exists and one that does not
    a = _fail(client, "prac@example.org").get_data(as_text=True)
    b = _fail(client, "nobody@example.org").get_data(as_text=True)
    assert a.replace("prac@example.org", "X") == b.replace("nobody@example.org", "X")
    # another email is not affected, and a success does not count
    make_user("other@example.org")
    assert (
        client.post("/login", data={"email": "other@example.org", "password": PASSWORD}).status_code
        == 302
    )


def test_sign_ins_from_one_address_are_rate_limited(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [_fail(client, f"user{i}@example.org").status_code for i in range(4)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "30 per minute"
    assert codes == [200, 200, 200, 429]


def test_wrong_email_and_wrong_password_read_the_same(client, make_user):
    make_user()
    a = _fail(client, "prac@example.org").get_data(as_text=True)
    b = _fail(client, "absent@example.org").get_data(as_text=True)
    assert "Enter a correct email address and password" in a
    assert a.replace("prac@example.org", "X") == b.replace("absent@example.org", "X")


def test_easily_guessed_passwords_are_refused(app, client, make_user):
    from planner.auth.tokens import make_token
    from planner.models import User

    user_id = make_user("jo.bloggs@example.org", name="Jo Bloggs")
    with app.app_context():
        token = make_token(db.session.get(User, user_id))
    url = f"/set-password/{token}"
    for weak in ("password1234", "jobloggs2026", "qwertyuiop12"):
        response = client.post(url, data={"password": weak, "confirm": weak})
        body = response.get_data(as_text=True)
        assert response.status_code == 200 and "would be easy to guess" in body, weak
    good = "trombone kettle orbit"
    response = client.post(url, data={"password": good, "confirm": good})
    assert response.status_code == 302
