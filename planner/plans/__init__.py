"""The planner page (routes, gaps, training, Iriss check) and saved plans."""

from flask import Blueprint

bp = Blueprint("plans", __name__)

from planner.plans import routes  # noqa: E402,F401
