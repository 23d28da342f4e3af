"""Making, checking and revoking personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import lazyload

from planner.audit import record
from planner.extensions import db
from planner.models import ApiToken, User, utcnow

PREFIX = "pw_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def make_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``: returns the row and the token text (shown once only)."""
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id, name=name.strip()[:100], token_hash=_hash(token), prefix=token[:10]
    )
    db.session.add(row)
    db.session.flush()
    # The token's name is the person's own words: the log says which token, not what it is called.
    record("account.token_create", "api_token", row.id, "API token made", actor=user)
    db.session.commit()
    return row, token


_BY_HASH = (  # built once: every API request runs it
    sa.select(User, ApiToken.id, ApiToken.last_used_at)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_hash == sa.bindparam("token_hash"),
        ApiToken.revoked.is_(False),
        User.active,
    )
    .options(lazyload(User.role_rows))  # read only by the L&D endpoints
)
LAST_USED_EVERY = timedelta(minutes=1)  # the account page shows it to the minute


def user_for_token(token: str) -> User | None:
    """The active user a token belongs to, or None (unknown, revoked or inactive).

    One query; the token's last-used time is written at most once a minute, so a busy
    integration does not turn every read into a write."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    found = db.session.execute(_BY_HASH, {"token_hash": _hash(token)}).first()
    if found is None:
        return None
    user, token_id, last_used = found
    now = utcnow()
    if last_used is None or _aware(last_used) <= now - LAST_USED_EVERY:
        db.session.execute(
            sa.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
        )
        db.session.commit()
    return user


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite drops the zone


def revoke(row: ApiToken) -> None:
    row.revoked = True
    record("account.token_revoke", "api_token", row.id, "API token revoked")
    db.session.commit()
