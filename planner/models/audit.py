"""The audit log: who changed what, when. Written in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.frameworks import utcnow

__all__ = ["AuditEvent"]


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    # Who: kept as a name too, so the log still reads after the account is deleted.
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    actor_name: Mapped[str] = mapped_column(sa.String(200), default="")
    action: Mapped[str] = mapped_column(sa.String(40), index=True)  # e.g. "plan.share"
    object_type: Mapped[str] = mapped_column(sa.String(30))
    object_id: Mapped[str] = mapped_column(sa.String(64), default="")
    # What, in words; never the content of notes or other personal text.
    summary: Mapped[str] = mapped_column(sa.String(300), default="")

    # Whose log it is: the organisation the event happened in (None: the whole deployment,
    # such as national framework edits or the command line). Read only through
    # planner/scoping.py, so an administrator sees their own organisation's events.
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )

    actor = relationship("User", foreign_keys=[actor_id])
