"""Erasing leavers' records once the retention period after their last day has passed.

An organisation keeps a leaver's records for ``RETENTION_DAYS`` (``PATHWAYS_RETENTION_DAYS``,
default 365) after their leaving date, so a returner can be reactivated and a manager can
answer questions about recent work; after that, everything of theirs is erased exactly as
when a person deletes their own account (planner/account/operations.py). The audit log keeps
that an account was erased and why, never what it held. Run daily from cron
(`flask erase-leavers`; README "Running in a council").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from planner.account.operations import delete_account
from planner.extensions import db
from planner.models import User

__all__ = ["Due", "erase_leavers", "leavers_due"]


@dataclass(frozen=True)
class Due:
    user_id: int
    organisation_id: int | None
    left_on: date


def leavers_due(today: date, days: int) -> list[Due]:
    """Deactivated accounts whose last day was more than ``days`` days before ``today``."""
    cutoff = today - timedelta(days=days)
    rows = db.session.execute(
        sa.select(User.id, User.organisation_id, User.left_on)
        .where(User.active.is_(False), User.left_on.is_not(None), User.left_on < cutoff)
        .order_by(User.left_on, User.id)
    ).all()
    return [Due(*row) for row in rows]


def erase_leavers(today: date, days: int, *, dry_run: bool) -> list[Due]:
    """Erase every leaver due (each in its own transaction); with ``dry_run``, only say who."""
    due = leavers_due(today, days)
    if dry_run:
        return due
    for leaver in due:
        user = db.session.get(User, leaver.user_id)
        if user is None or user.active:  # reactivated or erased since the list was read
            continue
        delete_account(
            user,
            action="account.erase",
            summary=f"Account and its data erased: left more than {days} days ago "
            "(retention period)",
        )
    return due
