"""Organisation-wide records (audit events, the local catalogue, teams, people) are read
through these queries, so a view cannot forget to keep to the signed-in user's organisation.

A record of another organisation is "not found" (404), never "forbidden": that would confirm
it exists.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from planner.extensions import db
from planner.permissions import organisation_id_or_403

__all__ = ["in_organisation", "one_in_organisation_or_404"]


def in_organisation(model, *criteria) -> sa.Select:
    """``SELECT model`` limited to the signed-in user's organisation (403 without one)."""
    return sa.select(model).where(model.organisation_id == organisation_id_or_403(), *criteria)


def one_in_organisation_or_404(model, row_id: int):
    row = db.session.scalar(in_organisation(model, model.id == row_id))
    if row is None:
        abort(404)
    return row
