"""Line managers: the team page and career conversations about plans shared with them."""

from flask import Blueprint

bp = Blueprint("team", __name__)

from planner.team import routes  # noqa: E402,F401
