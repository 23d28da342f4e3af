"""Record changes in the audit log. Call ``record`` before the change's commit, so the event
and the change are saved together or not at all."""

from __future__ import annotations

from flask import has_request_context
from flask_login import current_user

from planner.extensions import db
from planner.models import AuditEvent

# ``record(..., organisation_id=DEPLOYMENT)``: an event of the whole deployment (the national
# framework), in no organisation's log whoever made it.
DEPLOYMENT = None
_ACTORS = object()  # the default: the organisation of whoever made the change


def record(
    action: str,
    object_type: str,
    object_id,
    summary: str = "",
    actor=None,
    organisation_id=_ACTORS,
) -> None:
    """Add an event to the log of ``organisation_id`` (by default the actor's organisation,
    so an administrator's log holds what happened in their organisation only)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    if organisation_id is _ACTORS:
        organisation_id = getattr(actor, "organisation_id", None)
    db.session.add(
        AuditEvent(
            actor_id=getattr(actor, "id", None),
            actor_name=getattr(actor, "name", "") or "system (command line)",
            action=action,
            object_type=object_type,
            object_id="" if object_id is None else str(object_id),
            summary=summary[:300],
            organisation_id=organisation_id,
        )
    )
