"""Learning and development: the organisation's training catalogue, coverage, insight and
the organisation audit."""

from flask import Blueprint

bp = Blueprint("catalogue", __name__)

from planner.catalogue import routes  # noqa: E402,F401
