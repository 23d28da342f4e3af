"""Framework editing for L&D and administrators: versions, compare, restore, YAML import
and export, and forms for roles, transitions and training. Every save goes through the
engine's validator and makes a new version."""

from flask import Blueprint

bp = Blueprint("editor", __name__)

from planner.editor import routes  # noqa: E402,F401
