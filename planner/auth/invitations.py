"""Invitations to join an organisation.

Inviting answers the same whether or not the address already has an account somewhere on
the deployment: the account is made only when the invitee opens the link and sets a password,
and only then is an existing account found (and told to the invitee, who owns the address,
never to the administrator). An address already in the administrator's own organisation is
said so, as that list is theirs to see anyway.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from planner.audit import record
from planner.auth.operations import EmailTaken, create_user
from planner.extensions import db
from planner.models import Invitation, User, utcnow

__all__ = ["InvitedAlready", "accept", "invitation_for_token", "invite", "pending_invitations"]


class InvitedAlready(ValueError):
    """The address belongs to someone already in this organisation."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invite(
    organisation_id: int,
    name: str,
    email: str,
    roles,
    *,
    team_id: int | None,
    line_manager_id: int | None,
    invited_by: User,
) -> tuple[Invitation, str]:
    """A new invitation (or a fresh link for a pending one to the same address): returns it
    and its token, which is shown once. Raises InvitedAlready for a member of the same
    organisation; says nothing about any other organisation."""
    email = email.strip().lower()
    member = db.session.scalar(
        sa.select(User.id).where(
            sa.func.lower(User.email) == email, User.organisation_id == organisation_id
        )
    )
    if member is not None:
        raise InvitedAlready(email)
    invitation = db.session.scalar(
        sa.select(Invitation).filter_by(organisation_id=organisation_id, email=email)
    ) or Invitation(organisation_id=organisation_id, email=email)
    token = secrets.token_urlsafe(32)
    invitation.name = name.strip()
    invitation.roles_json = json.dumps(sorted(set(roles)))
    invitation.team_id = team_id
    invitation.line_manager_id = line_manager_id
    invitation.invited_by_id = invited_by.id
    invitation.token_hash = _hash(token)
    invitation.created_at = utcnow()
    db.session.add(invitation)
    db.session.flush()
    record(
        "account.invite",
        "invitation",
        invitation.id,
        f"Invitation made with roles: {', '.join(invitation.roles)}",
        actor=invited_by,
    )
    db.session.commit()
    return invitation, token


def pending_invitations(organisation_id: int) -> list[Invitation]:
    return db.session.scalars(
        sa.select(Invitation)
        .filter_by(organisation_id=organisation_id)
        .order_by(Invitation.created_at.desc())
    ).all()


def invitation_for_token(token: str) -> Invitation | None:
    """The pending invitation a link is for, unless it has expired."""
    if not token or len(token) > 200:
        return None
    invitation = db.session.scalar(sa.select(Invitation).filter_by(token_hash=_hash(token)))
    if invitation is None:
        return None
    created = invitation.created_at
    if created.tzinfo is None:  # SQLite hands back naive datetimes
        created = created.replace(tzinfo=utcnow().tzinfo)
    max_age = timedelta(seconds=current_app.config["INVITE_MAX_AGE"])
    return invitation if utcnow() - created <= max_age else None


def accept(invitation: Invitation, password: str) -> User:
    """Make the account the invitation describes and remove the invitation. Raises
    EmailTaken (nothing written) if the address has an account by now."""
    try:
        user = create_user(
            invitation.name,
            invitation.email,
            invitation.roles,
            password=password,
            organisation_id=invitation.organisation_id,
            team_id=invitation.team_id,
            line_manager_id=invitation.line_manager_id,
            commit=False,
            by_themselves=True,
        )
    except EmailTaken:
        db.session.rollback()
        raise
    db.session.delete(invitation)
    db.session.commit()
    return user
