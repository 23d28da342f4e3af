from __future__ import annotations

import sqlalchemy as sa

from planner.audit import record
from planner.extensions import db
from planner.models import Profile, User


class EmailTaken(ValueError):
    pass


def create_user(
    name: str,
    email: str,
    roles,
    *,
    password: str | None = None,
    organisation_id=None,
    team_id=None,
    line_manager_id=None,
    commit: bool = True,
    by_themselves: bool = False,
) -> User:
    """A new account with an empty profile. The audit log names whoever is signed in as its
    maker, or the person themselves when ``by_themselves`` (registration, an accepted
    invitation, a first single sign-on), or else the command line."""
    email = email.strip().lower()
    if db.session.scalar(sa.select(User.id).filter(sa.func.lower(User.email) == email)):
        raise EmailTaken(email)
    user = User(
        name=name.strip(),
        email=email,
        organisation_id=organisation_id,
        team_id=team_id,
        line_manager_id=line_manager_id,
    )
    user.set_roles(roles)
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    db.session.add(Profile(user_id=user.id))
    record(
        "account.create",
        "user",
        user.id,
        f"Account created with roles: {', '.join(sorted(user.roles))}",
        actor=user if by_themselves else None,
        organisation_id=organisation_id,
    )
    if commit:
        db.session.commit()
    return user


class PersonChangeRefused(ValueError):
    """A change an administrator may not make: the message says why, in words for them."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _manager_or_refuse(user: User, manager_id: int | None, field: str) -> User | None:
    if manager_id is None:
        return None
    manager = db.session.get(User, manager_id)
    if (
        manager is None
        or manager.organisation_id != user.organisation_id
        or not manager.active
        or not manager.has_role("manager")
    ):
        raise PersonChangeRefused(field, "Choose an active manager in your organisation")
    if manager.id == user.id:
        raise PersonChangeRefused(field, "A person cannot be their own line manager")
    return manager


def update_person(user: User, *, team_id: int | None, line_manager_id: int | None, roles) -> list:
    """Move ``user`` to another team, line manager or set of roles (within their organisation),
    with each change in the audit log. Returns the changes in words ([] when nothing changed).
    Summaries name teams and roles but never people (the audit log outlives erasure)."""
    from planner.models import ORGANISATION_ROLES, Team

    if team_id is not None:
        team = db.session.get(Team, team_id)
        if team is None or team.organisation_id != user.organisation_id:
            raise PersonChangeRefused("team", "Choose a team in your organisation")
    _manager_or_refuse(user, line_manager_id, "line_manager")
    wanted = set(roles)
    if not wanted:
        raise PersonChangeRefused("roles", "Choose at least one role")
    if wanted - set(ORGANISATION_ROLES):
        raise PersonChangeRefused("roles", "Choose roles from the list")
    changes = []
    if team_id != user.team_id:
        old = user.team.name if user.team else "no team"
        new = db.session.get(Team, team_id).name if team_id else "no team"
        changes.append(f"Team changed from {old} to {new}")
        user.team_id = team_id
    if line_manager_id != user.line_manager_id:
        old = f"account {user.line_manager_id}" if user.line_manager_id else "none"
        new = f"account {line_manager_id}" if line_manager_id else "none"
        changes.append(f"Line manager changed from {old} to {new}")
        user.line_manager_id = line_manager_id
    # Deployment roles (national framework editor) are not an organisation's to change.
    keep = user.roles - set(ORGANISATION_ROLES)
    added, removed = wanted - user.roles, (user.roles & set(ORGANISATION_ROLES)) - wanted
    if added or removed:
        words = []
        if added:
            words.append("added " + ", ".join(sorted(added)))
        if removed:
            words.append("removed " + ", ".join(sorted(removed)))
        changes.append("Roles " + "; ".join(words))
        user.set_roles(wanted | keep)
    for change in changes:
        record("account.update", "user", user.id, change, organisation_id=user.organisation_id)
    db.session.commit()
    return changes


def direct_reports(user: User) -> list[User]:
    return db.session.scalars(
        sa.select(User).filter_by(line_manager_id=user.id, active=True).order_by(User.name)
    ).all()


def deactivate(user: User, *, left_on, successor_id: int | None, by: User) -> int:
    """A leaver: they cannot sign in and every session of theirs ends at once; they drop out
    of team pages, pickers and insight. Their direct reports (and pending invitations that
    name them) are handed to ``successor_id``, and with them the plans the reports shared,
    which follow the line manager. Returns how many people were handed over."""
    from planner.models import Invitation
    from planner.sessions import end_every_session

    if user.id == by.id:
        raise PersonChangeRefused("left_on", "You cannot mark yourself as a leaver")
    if not user.active:
        raise PersonChangeRefused("left_on", "This person has already left")
    reports = direct_reports(user)
    successor = _manager_or_refuse(user, successor_id, "successor")
    if reports and successor is None:
        raise PersonChangeRefused(
            "successor", "Choose who takes on the people this person line manages"
        )
    for report in reports:
        report.line_manager_id = successor.id if successor else None
    if successor is not None:
        db.session.execute(
            sa.update(Invitation)
            .where(Invitation.line_manager_id == user.id)
            .values(line_manager_id=successor.id)
        )
    user.active = False
    user.left_on = left_on
    end_every_session(user)
    summary = f"Account deactivated: left on {left_on.isoformat()}"
    if reports:
        summary += f"; {len(reports)} direct report(s) handed to account {successor.id}"
    record("account.deactivate", "user", user.id, summary, organisation_id=user.organisation_id)
    db.session.commit()
    return len(reports)


def reactivate(user: User) -> None:
    """A returner: they can sign in again (their line manager and team are as they were left;
    their reports stay with whoever took them on)."""
    user.active = True
    user.left_on = None
    record(
        "account.reactivate",
        "user",
        user.id,
        "Account reactivated",
        organisation_id=user.organisation_id,
    )
    db.session.commit()
