"""Making, checking and revoking personal API tokens."""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

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
    record("account.token_create", "api_token", row.id, f"API token '{row.name}' made", actor=user)
    db.session.commit()
    return row, token


def user_for_token(token: str) -> User | None:
    """The active user a token belongs to, or None (unknown, revoked or inactive)."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    row = db.session.scalar(sa.select(ApiToken).filter_by(token_hash=_hash(token), revoked=False))
    if row is None or not row.user.active:
        return None
    row.last_used_at = utcnow()
    db.session.commit()
    return row.user


def revoke(row: ApiToken) -> None:
    row.revoked = True
    record("account.token_revoke", "api_token", row.id, f"API token '{row.name}' revoked")
    db.session.commit()
