"""Access rules, declared on every endpoint and checked in one place.

Each view says who may reach it with one of the decorators below (``public``, ``signed_in``,
``require_role``, ``api_token``); ``check_access`` runs before every request and refuses an
endpoint that declares nothing, so a new page cannot be left open by forgetting a check.
The decorators only declare: the checks themselves live in ``Access.check``.

Objects are then looked up through their owner or organisation (``planner/scoping.py``), so
an id never reaches someone else's data: a missing or foreign object is a 404, not a 403
(that would confirm it exists).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, g, request
from flask_login import current_user

__all__ = [
    "Access",
    "api_token",
    "check_access",
    "access_of",
    "organisation_id_or_403",
    "public",
    "require_role",
    "signed_in",
]

# Flask's own endpoints, which no decorator of ours can reach.
BUILTIN_PUBLIC = frozenset({"static"})


@dataclass(frozen=True)
class Access:
    """Who may reach an endpoint: ``public``, ``signed_in`` (any account), ``role`` (signed
    in with one of ``roles``) or ``token`` (a personal API token, optionally with a role)."""

    who: str
    roles: frozenset[str] = frozenset()

    def check(self):
        """None to go on; a response (the sign-in redirect) or an HTTP error otherwise."""
        if self.who == "public":
            return None
        if self.who == "token":
            return self._check_token()
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if self.roles and not any(current_user.has_role(role) for role in self.roles):
            abort(403, description="Your account does not have access to this page.")
        return None

    def _check_token(self):
        from planner.api.tokens import user_for_token

        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            abort(401, description="Send a valid personal token: 'Authorization: Bearer pw_...'")
        if self.roles and not any(user.has_role(role) for role in self.roles):
            abort(403, description=f"Only {_roles_in_words(self.roles)} tokens may read this")
        g.api_user = user
        return None


ROLE_WORDS = {
    "practitioner": "practitioner",
    "manager": "manager",
    "ld": "learning and development",
    "admin": "administrator",
    "national_editor": "national framework editor",
}


def _roles_in_words(roles) -> str:
    return " or ".join(ROLE_WORDS.get(role, role) for role in sorted(roles))


def _declare(view, access: Access):
    view.access = access
    return view


def public(view):
    """Anyone, signed in or not."""
    return _declare(view, Access("public"))


def signed_in(view):
    """Any signed-in account, acting on its own data."""
    return _declare(view, Access("signed_in"))


def require_role(*roles: str):
    """Signed in, with at least one of ``roles``."""
    return lambda view: _declare(view, Access("role", frozenset(roles)))


def api_token(*roles: str):
    """A personal API token (never the session cookie), of an account with one of ``roles``
    when roles are given. The token's account is ``g.api_user``."""
    return lambda view: _declare(view, Access("token", frozenset(roles)))


def access_of(app, endpoint: str) -> Access | None:
    """What ``endpoint`` declares, or None when it declares nothing."""
    if endpoint in BUILTIN_PUBLIC:
        return Access("public")
    return getattr(app.view_functions.get(endpoint), "access", None)


def check_access():
    """Before every request: the endpoint's declared rule, or refusal if it declares none."""
    if request.endpoint is None:  # no route matched: the 404 or 405 follows
        return None
    access = access_of(current_app, request.endpoint)
    if access is None:
        current_app.logger.error("refused %s: the endpoint declares no access", request.endpoint)
        abort(403, description="This page is not available.")
    return access.check()


def organisation_id_or_403() -> int:
    """The signed-in user's organisation; organisation-wide pages need one."""
    if current_user.organisation_id is None:
        abort(
            403,
            description="Your account is not part of an organisation, so there is no "
            "organisation catalogue or insight to show. Ask your administrator to add you to one.",
        )
    return current_user.organisation_id
