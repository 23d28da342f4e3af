"""Saved plans: a chosen route (against a framework version) plus actions with due dates."""

from __future__ import annotations

import json
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.frameworks import FrameworkVersion, utcnow

__all__ = ["Plan", "PlanItem", "PLAN_ITEM_KINDS"]

# Actions other than catalogue training a plan may carry (issue 3 section 5).
PLAN_ITEM_KINDS = {
    "training": "Training or development",
    "mentoring": "Mentoring",
    "secondment": "Secondment to a service area",
    "reflection": "Protected reflection time",
    "shadowing": "Shadowing",
    "other": "Other action",
}


class Plan(db.Model):
    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    target_role: Mapped[str] = mapped_column(sa.String(64))
    route_json: Mapped[str] = mapped_column(sa.Text)  # JSON list of role slugs
    label: Mapped[str] = mapped_column(sa.String(40), default="")
    framework_version_id: Mapped[int] = mapped_column(sa.ForeignKey("framework_version.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanItem.id", lazy="selectin"
    )
    framework_version: Mapped[FrameworkVersion] = relationship()

    @property
    def route(self) -> list[str]:
        return json.loads(self.route_json)

    @property
    def progress(self) -> tuple[int, int]:
        done = sum(1 for item in self.items if item.status == "done")
        return done, len(self.items)


class PlanItem(db.Model):
    __tablename__ = "plan_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="training")
    training_item: Mapped[str | None] = mapped_column(sa.String(64))  # catalogue id, if any
    title: Mapped[str] = mapped_column(sa.String(300))
    role: Mapped[str | None] = mapped_column(sa.String(64))  # the step it belongs to
    service_area: Mapped[str | None] = mapped_column(sa.String(64))
    due: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(20), default="planned")  # planned | done
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="items")

    @property
    def overdue(self) -> bool:
        return self.status != "done" and self.due is not None and self.due < date.today()
