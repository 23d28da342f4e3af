"""A person's profile, capability ratings (kept with their history) and completed training."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.frameworks import utcnow

__all__ = ["Profile", "ServiceAreaYears", "Rating", "CompletedTraining"]


class Profile(db.Model):
    __tablename__ = "profile"
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    current_role: Mapped[str | None] = mapped_column(sa.String(64))
    years_qualified: Mapped[float] = mapped_column(default=0)
    registered: Mapped[bool] = mapped_column(default=True)
    line_management: Mapped[bool] = mapped_column(default=True)
    extra_hours_per_week: Mapped[float | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class ServiceAreaYears(db.Model):
    __tablename__ = "service_area_years"
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    years: Mapped[float] = mapped_column(default=0)


class Rating(db.Model):
    """One rating of one capability. Never updated: a new rating is a new row, so the history
    (who rated, when, at what level) is kept."""

    __tablename__ = "rating"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    capability: Mapped[str] = mapped_column(sa.String(64))
    level: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(sa.String(10), default="self")  # self | manager
    rated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )
    rater = relationship("User", foreign_keys=[rated_by_id])


class CompletedTraining(db.Model):
    __tablename__ = "completed_training"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "item", name="uq_completed_training_user_item"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    item: Mapped[str] = mapped_column(sa.String(64))
    completed_on: Mapped[date] = mapped_column(sa.Date)
