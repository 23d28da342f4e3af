"""Single-use, time-limited set-password links (invitations and resets).

The token carries the user id and a fingerprint of the current password hash, so setting a
password invalidates every earlier link.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from planner.extensions import db
from planner.models import User

SALT = "set-password"


def _fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "unset").encode()).hexdigest()[:16]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


# A link someone asked for by email (a forgotten password) lasts two hours; a link an
# administrator hands over (an invitation, a new set-password link) lasts INVITE_MAX_AGE.
RESET_MAX_AGE = 2 * 60 * 60


def make_token(user: User, *, reset: bool = False) -> str:
    data = {"id": user.id, "fp": _fingerprint(user)}
    if reset:
        data["reset"] = 1
    return _serializer().dumps(data)


def user_for_token(token: str) -> User | None:
    """The user the token was made for, if it is genuine, unused and not expired."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["INVITE_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if isinstance(data, dict) and data.get("reset"):
        try:
            _serializer().loads(token, max_age=RESET_MAX_AGE)
        except (SignatureExpired, BadSignature):
            return None
    user = db.session.get(User, data.get("id")) if isinstance(data, dict) else None
    if user is None or data.get("fp") != _fingerprint(user):
        return None
    return user
