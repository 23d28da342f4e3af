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
) -> User:
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
        organisation_id=organisation_id,
    )
    if commit:
        db.session.commit()
    return user


def set_active(user: User, active: bool) -> None:
    """Deactivate a leaver (they cannot sign in, and every session of theirs ends at once) or
    reactivate them."""
    from planner.sessions import end_every_session

    user.active = active
    if not active:
        end_every_session(user)
    record(
        "account.reactivate" if active else "account.deactivate",
        "user",
        user.id,
        "Account reactivated" if active else "Account deactivated",
        organisation_id=user.organisation_id,
    )
    db.session.commit()
