"""Sessions end when they should: at sign-out (everywhere), at a new password, at
deactivation, after a while idle and after an absolute lifetime however busy; a new CSRF
token after signing in. Finding: a session cookie copied before sign-out still worked after
it, renewed itself on every request, and survived a password reset."""

from __future__ import annotations

import re
from datetime import timedelta

from planner.extensions import db
from planner.models import User
from planner.sessions import SEEN, STARTED
from tests.conftest import PASSWORD


def _copy_session(app, client):
    """A second browser holding a copy of this one's session cookie."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def _signed_out(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_copied_cookie_stops_working_at_sign_out(app, client, make_user, login):
    make_user()
    login()
    copy = _copy_session(app, client)
    assert copy.get("/account/export.json").status_code == 200  # the copy works while signed in
    client.post("/logout")
    response = copy.get("/account/export.json")
    assert _signed_out(response)
    assert "prac@example.org" not in response.get_data(as_text=True)


def test_signing_out_in_one_browser_signs_out_every_browser(app, make_user):
    make_user()
    first, second = app.test_client(), app.test_client()
    for browser in (first, second):
        browser.post("/login", data={"email": "prac@example.org", "password": PASSWORD})
        assert browser.get("/profile").status_code == 200
    first.post("/logout")
    assert _signed_out(second.get("/profile"))
    # signing in again starts a new session that works
    second.post("/login", data={"email": "prac@example.org", "password": PASSWORD})
    assert second.get("/profile").status_code == 200


def test_a_new_password_ends_every_earlier_session(app, client, make_user, login):
    user_id = make_user()
    login()
    elsewhere = _copy_session(app, client)
    with app.test_request_context():
        from planner.auth.tokens import make_token

        link = "/set-password/" + make_token(db.session.get(User, user_id))
    new_password = "a brand new passphrase for pathways"
    response = client.post(link, data={"password": new_password, "confirm": new_password})
    assert response.status_code == 302, response.get_data(as_text=True)[-600:]
    assert _signed_out(elsewhere.get("/profile"))
    assert client.get("/profile").status_code == 200  # the browser that set it is signed in


def test_deactivation_ends_the_persons_sessions_at_once(app, client, make_user, login):
    from datetime import date

    from planner.auth.operations import deactivate, reactivate

    user_id = make_user()
    admin_id = make_user("admin@example.org", roles=["admin"])
    login()
    assert client.get("/profile").status_code == 200
    with app.app_context():
        admin = db.session.get(User, admin_id)
        deactivate(db.session.get(User, user_id), left_on=date.today(), successor_id=None, by=admin)
    assert _signed_out(client.get("/profile"))
    with app.app_context():  # reactivated: the old cookie still does not come back to life
        reactivate(db.session.get(User, user_id))
    assert _signed_out(client.get("/profile"))


def _age(client, key: str, by: timedelta) -> None:
    with client.session_transaction() as session:
        session[key] = session[key] - int(by.total_seconds())


def test_a_session_ends_when_idle(app, client, make_user, login):
    make_user()
    login()
    idle = app.config["PERMANENT_SESSION_LIFETIME"]
    _age(client, SEEN, idle - timedelta(minutes=2))
    assert client.get("/profile").status_code == 200  # used again in time: still signed in
    _age(client, SEEN, idle + timedelta(minutes=1))
    assert _signed_out(client.get("/profile"))


def test_a_busy_session_still_ends_after_its_absolute_lifetime(app, client, make_user, login):
    make_user()
    login()
    lifetime = app.config["SESSION_MAX_AGE"]
    _age(client, STARTED, lifetime - timedelta(minutes=5))
    assert client.get("/profile").status_code == 200  # in use all along, and not yet too old
    _age(client, STARTED, timedelta(minutes=6))
    assert _signed_out(client.get("/profile"))


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_signing_in_gives_a_new_csrf_token(app, client, make_user):
    make_user()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        before = _csrf(client.get("/login").get_data(as_text=True))
        response = client.post(
            "/login", data={"email": "prac@example.org", "password": PASSWORD, "csrf_token": before}
        )
        assert response.status_code == 302
        after = _csrf(client.get("/profile").get_data(as_text=True))
        # the token from before signing in no longer works for the signed-in session
        refused = client.post("/logout", data={"csrf_token": before})
        assert refused.status_code == 400
        assert client.get("/profile").status_code == 200
        assert client.post("/logout", data={"csrf_token": after}).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
