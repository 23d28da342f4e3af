"""Personal data: download everything, delete the account."""

from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")

from planner.account import routes  # noqa: E402,F401
