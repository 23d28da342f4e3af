"""Record changes in the audit log. Call ``record`` before the change's commit, so the event
and the change are saved together or not at all."""

from __future__ import annotations

from flask import has_request_context
from flask_login import current_user

from planner.extensions import db
from planner.models import AuditEvent


def record(action: str, object_type: str, object_id, summary: str = "", actor=None) -> None:
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    db.session.add(
        AuditEvent(
            actor_id=getattr(actor, "id", None),
            actor_name=getattr(actor, "name", "") or "system (command line)",
            action=action,
            object_type=object_type,
            object_id="" if object_id is None else str(object_id),
            summary=summary[:300],
        )
    )
