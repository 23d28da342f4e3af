"""Organisations, teams and user accounts."""

from __future__ import annotations

import json
from datetime import date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from planner.extensions import db
from planner.models.frameworks import utcnow

__all__ = [
    "ROLES",
    "ORGANISATION_ROLES",
    "Invitation",
    "Organisation",
    "Team",
    "User",
    "UserRole",
]

# Within an organisation: practitioner plans their own career; manager holds career
# conversations; ld is learning and development (aggregates, catalogue, audit); admin manages
# the organisation's people. An organisation's administrator grants only these.
ORGANISATION_ROLES = ("practitioner", "manager", "ld", "admin")
# For the whole deployment: national_editor edits the national framework every organisation
# shares (granted from the command line by whoever runs the deployment, never from a page).
ROLES = ORGANISATION_ROLES + ("national_editor",)


def password_hash_method() -> str:
    """The app's PASSWORD_HASH_METHOD (scrypt unless the test suite lowers its cost)."""
    from flask import current_app, has_app_context

    return (
        current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    )


class Organisation(db.Model):
    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    # Set by whoever runs the deployment (`flask organisation`), never from a page, as they
    # decide which accounts join the organisation: the email domains its staff use (lower
    # case, space separated; bulk import adds new people only at these) and the identity
    # provider's tenant id (Entra ID's ``tid`` claim) whose staff sign in to it.
    email_domains: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    sso_tenant: Mapped[str | None] = mapped_column(sa.String(100), unique=True)
    # The organisation's contact for the accessibility statement and privacy notice (edited
    # by its administrators).
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    data_protection_contact: Mapped[str] = mapped_column(
        sa.String(500), default="", server_default=""
    )
    # The lawful basis the organisation, as controller, relies on (its words, for the notice).
    lawful_basis: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")
    teams: Mapped[list[Team]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )


class Team(db.Model):
    __tablename__ = "team"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "name", name="uq_team_organisation_name"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    organisation: Mapped[Organisation] = relationship(back_populates="teams")


class UserRole(db.Model):
    __tablename__ = "user_role"
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    __table_args__ = (
        sa.UniqueConstraint("sso_issuer", "sso_subject", name="uq_user_account_sso_identity"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    team_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("team.id", ondelete="SET NULL"), index=True
    )
    line_manager_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    # A leaver's last day: set when an administrator deactivates them (planner/people_admin.py)
    # and the start of the retention period after which their records are erased.
    left_on: Mapped[date | None] = mapped_column(sa.Date)
    # Single sign-on: the identity provider's issuer and the person's subject there (stable,
    # unlike an email address). Set at the first sign-in through the provider.
    sso_issuer: Mapped[str | None] = mapped_column(sa.String(300))
    sso_subject: Mapped[str | None] = mapped_column(sa.String(255))
    # Email reminders of actions and conversations falling due; each person can turn them off.
    reminders: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Sessions carry the generation they began in; signing out, a new password or
    # deactivation moves it on, which ends every session of the person (planner/sessions.py).
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    organisation: Mapped[Organisation | None] = relationship()
    team: Mapped[Team | None] = relationship()
    line_manager: Mapped[User | None] = relationship(remote_side=[id])

    @property
    def roles(self) -> set[str]:
        return {r.role for r in self.role_rows}

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def set_roles(self, roles) -> None:
        wanted = set(roles)
        unknown = wanted - set(ROLES)
        if unknown:
            raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}")
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        for role in sorted(wanted - self.roles):
            self.role_rows.append(UserRole(role=role))

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=password_hash_method())

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated accounts cannot log in
        return self.active


class Invitation(db.Model):
    """An organisation's invitation to join: the account is made only when the person opens
    the link and sets a password. Until then the invitation says nothing about whether the
    address already has an account elsewhere, so inviting cannot be used to find that out."""

    __tablename__ = "invitation"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "email", name="uq_invitation_organisation_email"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(254))
    name: Mapped[str] = mapped_column(sa.String(200))
    roles_json: Mapped[str] = mapped_column(sa.String(200), default="[]")
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("team.id", ondelete="SET NULL"))
    line_manager_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    team: Mapped[Team | None] = relationship()

    @property
    def roles(self) -> list[str]:
        return json.loads(self.roles_json)
