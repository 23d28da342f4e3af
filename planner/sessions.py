"""Signed-in sessions: begun in one place, checked whenever the user is loaded, and ended for
every browser at once.

The session cookie is signed but kept by the browser, so ending a session cannot mean
deleting it on the server. Instead each session carries the account's *session generation*
from when it began; signing out, setting a new password and deactivation move the
generation on, so every earlier cookie (copied, or left on another computer) stops working.
Each session also carries when it began and when it was last used: it ends after
PERMANENT_SESSION_LIFETIME without a request (idle) and after SESSION_MAX_AGE in all,
however busy (absolute).
"""

from __future__ import annotations

import time

from flask import current_app, g, session
from flask_login import login_user

__all__ = ["begin_session", "end_every_session", "session_is_current"]

GENERATION, STARTED, SEEN = "_generation", "_started", "_seen"
SEEN_RESOLUTION = 60  # seconds: "last used" is rewritten at most once a minute


def begin_session(user) -> None:
    """Sign ``user`` in in this browser, with a fresh CSRF token: a token seen before signing
    in (for example on a shared computer's sign-in form) is not valid afterwards."""
    login_user(user)
    session.permanent = True
    now = int(time.time())
    session[GENERATION] = user.session_generation
    session[STARTED] = session[SEEN] = now
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(field, None)
    g.pop(field, None)


def end_every_session(user) -> None:
    """End all of ``user``'s sessions, in every browser (saved with the caller's commit)."""
    user.session_generation = (user.session_generation or 0) + 1


def session_is_current(user) -> bool:
    """Whether this request's session may still act for ``user``; refreshes "last used"."""
    if not user.active or session.get(GENERATION) != user.session_generation:
        return False
    now = int(time.time())
    started, seen = session.get(STARTED), session.get(SEEN)
    if not isinstance(started, int) or not isinstance(seen, int):
        return False
    config = current_app.config
    if now - started > config["SESSION_MAX_AGE"].total_seconds():
        return False
    if now - seen > config["PERMANENT_SESSION_LIFETIME"].total_seconds():
        return False
    if now - seen >= SEEN_RESOLUTION:
        session[SEEN] = now
    return True
