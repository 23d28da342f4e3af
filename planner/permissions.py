"""Access rules. Objects are looked up through their owner, so an id never reaches someone
else's data: a missing or foreign object is a 404, not a 403 (that would confirm it exists)."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def require_role(*roles: str):
    """Signed in, with at least one of ``roles``."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not any(current_user.has_role(role) for role in roles):
                abort(403, description="Your account does not have access to this page.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def organisation_id_or_403() -> int:
    """The signed-in user's organisation; organisation-wide pages need one."""
    if current_user.organisation_id is None:
        abort(
            403,
            description="Your account is not part of an organisation, so there is no "
            "organisation catalogue or insight to show. Ask your administrator to add you to one.",
        )
    return current_user.organisation_id
