"""The role map and role pages: public, no login needed."""

from flask import Blueprint

bp = Blueprint("explore", __name__)

from planner.explore import routes  # noqa: E402,F401
