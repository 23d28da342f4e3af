"""What a public body must publish: the accessibility statement and the privacy notice, linked
from every page's footer, with the organisation's contact details (edited by its
administrators)."""

from flask import Blueprint

bp = Blueprint("statements", __name__)

from planner.statements import routes  # noqa: E402,F401
