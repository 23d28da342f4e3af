"""A person's profile, capability ratings (kept with their history) and completed training."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from planner.extensions import db
from planner.models.frameworks import utcnow

__all__ = [
    "Profile",
    "ServiceAreaYears",
    "Rating",
    "CurrentRating",
    "CompletedTraining",
    "rebuild_current_ratings",
]


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
    # The person's next SSSC declaration of their learning, as they enter it (the SSSC sets it).
    declaration_due_on: Mapped[date | None] = mapped_column(sa.Date)
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


class CurrentRating(db.Model):
    """The latest rating of each capability, per person and kind: kept up to date from
    ``rating`` on every insert (planner/people.py), so organisation-wide aggregates read one
    row per capability instead of sorting everyone's history."""

    __tablename__ = "current_rating"
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    capability: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    level: Mapped[int] = mapped_column()
    rating_id: Mapped[int] = mapped_column(sa.ForeignKey("rating.id", ondelete="CASCADE"))
    rated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


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


CURRENT_FROM_HISTORY = """
INSERT INTO current_rating (user_id, kind, capability, level, rating_id, rated_at)
SELECT user_id, kind, capability, level, id, created_at FROM (
    SELECT user_id, kind, capability, level, id, created_at,
           row_number() OVER (
               PARTITION BY user_id, kind, capability ORDER BY created_at DESC, id DESC
           ) AS n
    FROM rating
) AS ranked
WHERE n = 1
"""


def rebuild_current_ratings(session) -> None:
    """Refill ``current_rating`` from the whole history (after bulk inserts that bypass the
    ORM, such as bench/national.py; the migration does the same on upgrade)."""
    session.execute(sa.delete(CurrentRating))
    session.execute(sa.text(CURRENT_FROM_HISTORY))


@sa.event.listens_for(Session, "after_flush")
def _keep_current_ratings(session, _context) -> None:
    """Every rating added through the ORM updates ``current_rating`` in the same transaction;
    an older rating (an earlier ``created_at``) never replaces a newer one."""
    newest: dict[tuple, Rating] = {}
    for obj in session.new:
        if isinstance(obj, Rating):
            key = (obj.user_id, obj.kind, obj.capability)
            if key not in newest or (obj.created_at, obj.id) > (
                newest[key].created_at,
                newest[key].id,
            ):
                newest[key] = obj
    if not newest:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = CurrentRating.__table__
    statement = insert(table).values(
        [
            {
                "user_id": r.user_id,
                "kind": r.kind,
                "capability": r.capability,
                "level": r.level,
                "rating_id": r.id,
                "rated_at": r.created_at,
            }
            for r in newest.values()
        ]
    )
    new = statement.excluded
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.user_id, table.c.kind, table.c.capability],
            set_={"level": new.level, "rating_id": new.rating_id, "rated_at": new.rated_at},
            where=sa.tuple_(new.rated_at, new.rating_id)
            > sa.tuple_(table.c.rated_at, table.c.rating_id),
        )
    )
