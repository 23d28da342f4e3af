"""Access rules. Objects are looked up through their owner, so an id never reaches someone
else's data: a missing or foreign object is a 404, not a 403 (that would confirm it exists)."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def require_role(role: str):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(role):
                abort(403, description="Your account does not have access to this page.")
            return view(*args, **kwargs)

        return wrapped

    return decorator
