"""An organisation's own (local) training items, listed next to the framework's national ones."""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import db
from planner.models.frameworks import utcnow

__all__ = ["LocalTraining"]


class LocalTraining(db.Model):
    """Tagged exactly as a framework training item (pathways.model.TrainingItem), with scope
    always "local". Retired items stay stored (plans may point at them) but are not offered."""

    __tablename__ = "local_training"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "slug", name="uq_local_training_organisation_slug"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[str] = mapped_column(sa.String(20))
    mode: Mapped[str] = mapped_column(sa.String(30))
    capabilities_json: Mapped[str] = mapped_column(sa.Text, default="[]")
    roles_json: Mapped[str] = mapped_column(sa.Text, default="[]")
    sw_specific: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="optional")
    embedded: Mapped[bool] = mapped_column(default=False)
    duration: Mapped[str] = mapped_column(sa.String(100))
    provider: Mapped[str] = mapped_column(sa.String(200), default="")
    cost: Mapped[str] = mapped_column(sa.String(100), default="")
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    @property
    def capabilities(self) -> list[str]:
        return json.loads(self.capabilities_json)

    @capabilities.setter
    def capabilities(self, value) -> None:
        self.capabilities_json = json.dumps(list(value))

    @property
    def roles(self) -> list[str]:
        return json.loads(self.roles_json)

    @roles.setter
    def roles(self, value) -> None:
        self.roles_json = json.dumps(list(value))
