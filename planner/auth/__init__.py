"""Sign in and out, self-registration (when allowed), invitations and set-password links."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from planner.auth import admin, reset, routes, sso  # noqa: E402,F401
