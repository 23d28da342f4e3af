"""The JSON API, /api/v1: token-authenticated, for HR and learning systems. The OpenAPI
document is served at /api/v1/openapi.json (planner/api/openapi.py)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from planner.api import routes  # noqa: E402,F401
