"""Reminder emails: plan actions falling due and next career conversations, sent once each.

``send_reminders`` is run daily from cron (`flask send-reminders`; README "Running in a
council"). It looks ``days`` ahead (``PATHWAYS_REMINDER_DAYS``, default 7): each person with
reminders on gets one email listing what falls due (or fell due without a reminder), and a
``reminder_sent`` row per thing, so running it again, the same day or the next, sends nothing
new. A thing whose due date moves is reminded again for the new date. If the email cannot be
sent nothing is recorded, so the next run tries again.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa
from flask import url_for

from planner.extensions import db
from planner.mail import plan_title, send
from planner.models import Conversation, Plan, PlanItem, ReminderSent, User

__all__ = ["send_reminders"]


def _already_sent() -> set[tuple[int, str, int, date]]:
    return {
        tuple(row)
        for row in db.session.execute(
            sa.select(
                ReminderSent.user_id, ReminderSent.kind, ReminderSent.object_id, ReminderSent.due
            )
        )
    }


def _fmt(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def send_reminders(today: date, days: int) -> tuple[int, int]:
    """Send what is due; returns (emails sent, emails that failed). Needs a request context
    (for the links), as the command gives it."""
    horizon = today + timedelta(days=days)
    sent = _already_sent()
    wanted: dict[int, dict[str, list]] = defaultdict(lambda: {"actions": [], "conversations": []})
    people: dict[int, User] = {}

    def person_ok(user: User | None) -> bool:
        return user is not None and user.active and user.reminders

    # Plan actions not done, due by the horizon (an overdue one not yet reminded too).
    for item, plan, owner in db.session.execute(
        sa.select(PlanItem, Plan, User)
        .join(Plan, Plan.id == PlanItem.plan_id)
        .join(User, User.id == Plan.user_id)
        .where(PlanItem.status != "done", PlanItem.due.is_not(None), PlanItem.due <= horizon)
        .order_by(PlanItem.due, PlanItem.id)
    ):
        if not person_ok(owner) or (owner.id, "action", item.id, item.due) in sent:
            continue
        people[owner.id] = owner
        wanted[owner.id]["actions"].append(
            {
                "key": ("action", item.id, item.due),
                "plan_title": plan_title(plan),
                "due": _fmt(item.due),
                "overdue": item.due < today,
                "link": url_for("plans.plan_detail", plan_id=plan.id, _external=True)
                + f"#item-{item.id}",
            }
        )
    # The next conversation of each plan's latest record, from today to the horizon: to the
    # practitioner and to the manager who recorded it, while still their line manager.
    latest = (
        sa.select(sa.func.max(Conversation.id)).group_by(Conversation.plan_id).scalar_subquery()
    )
    for conversation, plan, owner in db.session.execute(
        sa.select(Conversation, Plan, User)
        .join(Plan, Plan.id == Conversation.plan_id)
        .join(User, User.id == Plan.user_id)
        .where(
            Conversation.id.in_(latest),
            Conversation.next_on.is_not(None),
            Conversation.next_on >= today,
            Conversation.next_on <= horizon,
        )
    ):
        due = conversation.next_on
        manager = conversation.manager
        if person_ok(owner) and (owner.id, "conversation", conversation.id, due) not in sent:
            people[owner.id] = owner
            wanted[owner.id]["conversations"].append(
                {
                    "key": ("conversation", conversation.id, due),
                    "plan_title": plan_title(plan),
                    "due": _fmt(due),
                    "with_name": manager.name if manager else "",
                    "link": url_for(
                        "plans.plan_conversation",
                        plan_id=plan.id,
                        conversation_id=conversation.id,
                        _external=True,
                    ),
                }
            )
        if (
            person_ok(manager)
            and owner.line_manager_id == manager.id
            and owner.active
            and plan.shared
            and (manager.id, "conversation", conversation.id, due) not in sent
        ):
            people[manager.id] = manager
            wanted[manager.id]["conversations"].append(
                {
                    "key": ("conversation", conversation.id, due),
                    "plan_title": plan_title(plan),
                    "due": _fmt(due),
                    "with_name": owner.name,
                    "link": url_for("team.conversation", plan_id=plan.id, _external=True),
                }
            )
    ok = failed = 0
    account_link = url_for("account.account", _external=True)
    for user_id, things in wanted.items():
        user = people[user_id]
        count = len(things["actions"]) + len(things["conversations"])
        subject = (
            "Pathways: something falls due soon"
            if count == 1
            else f"Pathways: {count} things fall due soon"
        )
        if send(
            user.email, subject, "reminder", name=user.name, account_link=account_link, **things
        ):
            for thing in things["actions"] + things["conversations"]:
                kind, object_id, due = thing["key"]
                db.session.add(
                    ReminderSent(user_id=user_id, kind=kind, object_id=object_id, due=due)
                )
            db.session.commit()
            ok += 1
        else:
            failed += 1
    return ok, failed
