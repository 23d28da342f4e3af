"""Inviting someone tells an organisation's administrator nothing about accounts in other
organisations. Finding: the invite form told any organisation's administrator whether an
email address had an account anywhere on the deployment."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.orm import make_transient

from planner.extensions import db
from planner.models import Invitation, User
from tests.conftest import PASSWORD


def _invite(client, email: str, name: str = "Someone New"):
    return client.post(
        "/admin/users",
        data={
            "name": name,
            "email": email,
            "roles": ["practitioner"],
            "team": "",
            "line_manager": "",
        },
    )


def _shape(response) -> str:
    """The response with the parts that differ between any two invitations taken out."""
    body = response.get_data(as_text=True)
    body = re.sub(r"/invitations/[A-Za-z0-9_-]+", "/invitations/TOKEN", body)
    body = re.sub(r'name="csrf_token"[^>]*>', "", body)
    return re.sub(r"[a-z.]+@example\.org|\b\d{1,2} \w+ \d{4}\b", "X", body)


def test_inviting_an_address_with_an_account_elsewhere_looks_like_any_invitation(
    app, client, make_user, make_org, login
):
    first, second = make_org("First council"), make_org("Second council")
    make_user("taken@example.org", name="Tam Taken", organisation_id=first)
    make_user("admin2@example.org", roles=("admin",), organisation_id=second)
    login("admin2@example.org")
    existing = _invite(client, "taken@example.org")
    link = re.search(r"/invitations/[A-Za-z0-9_-]+", existing.get_data(as_text=True)).group(0)
    with app.app_context():  # so that the second page lists one pending invitation too
        held = db.session.scalar(sa.select(Invitation).filter_by(email="taken@example.org"))
        db.session.expunge(held)
        make_transient(held)  # to be inserted again as it was (with a new id)
        held.id = None
        db.session.execute(sa.delete(Invitation))
        db.session.commit()
    new = _invite(client, "free@example.org")
    assert existing.status_code == new.status_code == 200
    assert _shape(existing) == _shape(new)
    with app.app_context():  # the first invitation, back as it was
        db.session.add(held)
        db.session.commit()
    # the person who owns the address learns it has an account when they open the link
    client.post("/logout")
    invitee = app.test_client()
    page = invitee.get(link).get_data(as_text=True)
    assert "You already have an account" in page
    invitee.post(link, data={"password": PASSWORD, "confirm": PASSWORD})
    with app.app_context():
        taken = db.session.scalar(sa.select(User).filter_by(email="taken@example.org"))
        assert taken.organisation_id == first and taken.name == "Tam Taken"  # untouched
        count = db.session.scalar(
            sa.select(sa.func.count(User.id)).filter_by(email="taken@example.org")
        )
        assert count == 1


def test_an_address_already_in_the_organisation_is_named_as_such(
    app, client, make_user, make_org, login
):
    org = make_org("Council")
    make_user("member@example.org", organisation_id=org)
    make_user("admin@example.org", roles=("admin",), organisation_id=org)
    login("admin@example.org")
    response = _invite(client, "Member@Example.org")
    assert "already in your organisation" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0


def test_inviting_again_replaces_the_link(app, client, make_user, make_org, login):
    org = make_org("Council")
    make_user("admin@example.org", roles=("admin",), organisation_id=org)
    login("admin@example.org")
    links = [
        re.search(
            r"/invitations/[A-Za-z0-9_-]+", _invite(client, "a@example.org").get_data(as_text=True)
        ).group(0)
        for _ in range(2)
    ]
    assert links[0] != links[1]
    fresh = app.test_client()
    assert fresh.get(links[0]).status_code == 404
    assert fresh.get(links[1]).status_code == 200
    app.config["INVITE_MAX_AGE"] = -1
    try:
        assert fresh.get(links[1]).status_code == 404  # expired
    finally:
        app.config["INVITE_MAX_AGE"] = 14 * 24 * 3600
