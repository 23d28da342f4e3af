"""Saved plans: a chosen route (against a framework version) plus actions with due dates."""

from __future__ import annotations

import json
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.frameworks import FrameworkVersion, utcnow

__all__ = ["Plan", "PlanItem", "PLAN_ITEM_KINDS", "PLAN_NAME_MAX", "ACTION_OWNERS", "Conversation"]

# Actions other than catalogue training a plan may carry (issue 3 section 5).
PLAN_ITEM_KINDS = {
    "training": "Training or development",
    "mentoring": "Mentoring",
    "secondment": "Secondment to a service area",
    "reflection": "Protected reflection time",
    "shadowing": "Shadowing",
    "leadership": "Leadership shown without a post (upskilling colleagues, leading a practice "
    "area, sharing a specialism)",
    "other": "Other action",
}

PLAN_NAME_MAX = 120

# Who carries out an action agreed in a career conversation.
ACTION_OWNERS = {"practitioner": "Practitioner", "manager": "Line manager"}


class Plan(db.Model):
    __tablename__ = "plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    target_role: Mapped[str] = mapped_column(sa.String(64))
    route_json: Mapped[str] = mapped_column(sa.Text)  # JSON list of role slugs
    # The plan's name: the planner's route label at first, then whatever its owner calls it.
    label: Mapped[str] = mapped_column(sa.String(PLAN_NAME_MAX), default="")
    # The service area of the post aimed for, if the person said (Iriss REC4.a2).
    target_area: Mapped[str | None] = mapped_column(sa.String(64))
    framework_version_id: Mapped[int] = mapped_column(sa.ForeignKey("framework_version.id"))
    # Set while the owner shares the plan with their line manager; None means private.
    shared_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The owner's own notes: never shown to anyone else, shared or not.
    private_notes: Mapped[str] = mapped_column(sa.Text, default="")
    # Optimistic locking: every UPDATE of a plan checks and bumps this, so two windows cannot
    # overwrite each other's changes unseen (forms carry the revision they were opened at).
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanItem.id", lazy="selectin"
    )
    framework_version: Mapped[FrameworkVersion] = relationship()
    user = relationship("User")
    conversations: Mapped[list[Conversation]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by="(Conversation.held_on.desc(), Conversation.id.desc())",
    )

    __mapper_args__ = {"version_id_col": revision}

    @property
    def shared(self) -> bool:
        return self.shared_at is not None

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
    owner: Mapped[str] = mapped_column(sa.String(20), default="practitioner")  # ACTION_OWNERS
    # The career conversation that agreed this action, if any.
    conversation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conversation.id", ondelete="SET NULL"), index=True
    )
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="items")

    @property
    def overdue(self) -> bool:
        return self.status != "done" and self.due is not None and self.due < date.today()


class Conversation(db.Model):
    """A career conversation about a shared plan: everything in it is visible to the plan's
    owner. Its agreed actions are plan items pointing back here."""

    __tablename__ = "conversation"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    manager_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    held_on: Mapped[date] = mapped_column(sa.Date)
    # When the next conversation is planned (a reminder goes to both, and either can add it
    # to their calendar).
    next_on: Mapped[date | None] = mapped_column(sa.Date)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    prompts_json: Mapped[str] = mapped_column(sa.Text, default="[]")  # prompt ids used
    # The practitioner's side: a comment (what they add or see differently) and when they
    # acknowledged the record (that they have read it, not that they agree).
    practitioner_comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    comment_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    acknowledged_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="conversations")
    manager = relationship("User")
    actions: Mapped[list[PlanItem]] = relationship(order_by="PlanItem.id", viewonly=True)

    @property
    def prompts(self) -> list[str]:
        return json.loads(self.prompts_json)
