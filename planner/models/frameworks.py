"""ORM models. The schema only ever changes through an Alembic revision in migrations/."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db

__all__ = ["FrameworkVersion", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class FrameworkVersion(db.Model):
    """One stored version of a framework document. Exactly one version is current."""

    __tablename__ = "framework_version"
    __table_args__ = (
        sa.UniqueConstraint("framework_id", "checksum", name="uq_framework_version_checksum"),
        # At most one current version, enforced by the database.
        sa.Index(
            "uq_framework_version_one_current",
            "is_current",
            unique=True,
            sqlite_where=sa.text("is_current"),
            postgresql_where=sa.text("is_current"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    version: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.String(200))
    document: Mapped[str] = mapped_column(sa.Text)
    checksum: Mapped[str] = mapped_column(sa.String(64))
    is_current: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Who saved it, from which version it was edited, and what the change was.
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL", use_alter=True)
    )
    based_on_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("framework_version.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(sa.String(300), default="")

    created_by = relationship("User", foreign_keys=[created_by_id])
