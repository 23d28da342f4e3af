"""Reminders already sent, so the daily reminder run sends each one once."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import db
from planner.models.frameworks import utcnow

__all__ = ["ReminderSent"]


class ReminderSent(db.Model):
    """One reminder to one person about one thing falling due on one date: a plan action
    (kind "action", the plan item's id) or a next career conversation (kind "conversation",
    the conversation record's id). A new due date is a new reminder."""

    __tablename__ = "reminder_sent"
    __table_args__ = (
        sa.UniqueConstraint(
            "user_id", "kind", "object_id", "due", name="uq_reminder_sent_what_when"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))
    object_id: Mapped[int] = mapped_column()
    due: Mapped[date] = mapped_column(sa.Date)
    sent_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
