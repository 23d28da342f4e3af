"""Deleting an account and everything that belongs to it."""

from __future__ import annotations

import sqlalchemy as sa

from planner.extensions import db
from planner.models import (
    ApiToken,
    AuditEvent,
    CompletedTraining,
    Conversation,
    CurrentRating,
    FrameworkVersion,
    Invitation,
    LearningEntry,
    OrganisationAnswer,
    Plan,
    PlanItem,
    Profile,
    Rating,
    ReminderSent,
    ServiceAreaYears,
    User,
)


def delete_account(
    user: User,
    *,
    action: str = "account.delete",
    summary: str = "Account and its data deleted",
) -> None:
    """Delete the user and all their data in one transaction. Done explicitly, table by table,
    rather than left to ON DELETE CASCADE alone, so that what is erased can be read here
    (tests/security/test_erasure.py checks every table that points at an account)."""
    plan_ids = sa.select(Plan.id).where(Plan.user_id == user.id)
    db.session.execute(sa.delete(PlanItem).where(PlanItem.plan_id.in_(plan_ids)))
    db.session.execute(sa.delete(Conversation).where(Conversation.plan_id.in_(plan_ids)))
    for model in (
        Plan,
        CompletedTraining,
        ServiceAreaYears,
        CurrentRating,
        Rating,
        Profile,
        ApiToken,
        ReminderSent,
        LearningEntry,
    ):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))
    # Ratings this person gave others stay with their owners, without the author.
    db.session.execute(
        sa.update(Rating).where(Rating.rated_by_id == user.id).values(rated_by_id=None)
    )
    db.session.execute(
        sa.update(User).where(User.line_manager_id == user.id).values(line_manager_id=None)
    )
    # Invitations they made, or that name them as line manager, stay for the invitees.
    db.session.execute(
        sa.update(Invitation).where(Invitation.invited_by_id == user.id).values(invited_by_id=None)
    )
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.line_manager_id == user.id)
        .values(line_manager_id=None)
    )
    # Records this person wrote as a manager or editor stay, without the author.
    db.session.execute(
        sa.update(Conversation).where(Conversation.manager_id == user.id).values(manager_id=None)
    )
    # Learning they verified stays verified, with the date, without the verifier.
    db.session.execute(
        sa.update(LearningEntry)
        .where(LearningEntry.verified_by_id == user.id)
        .values(verified_by_id=None)
    )
    db.session.execute(
        sa.update(LearningEntry)
        .where(LearningEntry.verification_requested_of_id == user.id)
        .values(verification_requested_of_id=None)
    )
    db.session.execute(
        sa.update(FrameworkVersion)
        .where(FrameworkVersion.created_by_id == user.id)
        .values(created_by_id=None)
    )
    # Answers they gave in their organisation's profile are the organisation's: they stay,
    # without the author.
    db.session.execute(
        sa.update(OrganisationAnswer)
        .where(OrganisationAnswer.answered_by_id == user.id)
        .values(answered_by_id=None, answered_by_name="")
    )
    # Events outlive the account, but not the person's name: summaries never hold names,
    # so dropping the link and the actor's name leaves nothing that identifies them.
    db.session.execute(
        sa.update(AuditEvent)
        .where(AuditEvent.actor_id == user.id)
        .values(actor_id=None, actor_name="Deleted account")
    )
    db.session.add(
        AuditEvent(
            actor_name="Deleted account",
            action=action,
            object_type="user",
            object_id=str(user.id),
            summary=summary,
            organisation_id=user.organisation_id,
        )
    )
    db.session.delete(user)
    db.session.commit()
