"""An organisation's answers about what it offers and how it works (pathways.organisation).

Answers are kept as an append-only history: each change adds a row with its author and
time, and the current answer to a question is its newest row. ``value`` is "yes" or "no" for
an offer, one of the fact's choices for a fact, and "" when someone withdrew an answer (the
question is then unanswered again).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import db
from planner.models.frameworks import utcnow

__all__ = ["OrganisationAnswer", "OFFER", "FACT"]

OFFER = "offer"  # question: a framework training item id
FACT = "fact"  # question: a pathways.organisation.FACTS key


class OrganisationAnswer(db.Model):
    __tablename__ = "organisation_answer"
    __table_args__ = (
        sa.Index("ix_organisation_answer_question", "organisation_id", "kind", "question"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(10))
    question: Mapped[str] = mapped_column(sa.String(64))
    value: Mapped[str] = mapped_column(sa.String(20), default="")
    answered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    answered_by_name: Mapped[str] = mapped_column(sa.String(200), default="")
    answered_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
