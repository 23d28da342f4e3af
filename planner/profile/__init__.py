"""A practitioner's own profile, capability self-assessment and completed training."""

from flask import Blueprint

bp = Blueprint("profile", __name__, url_prefix="/profile")

from planner.profile import learning_routes, routes  # noqa: E402,F401
