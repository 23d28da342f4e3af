"""What a line manager can do with a plan shared with them."""

from __future__ import annotations

import json
from datetime import date, timedelta

import sqlalchemy as sa

from planner.audit import record
from planner.extensions import db
from planner.models import Conversation, Plan, PlanItem, Profile, Rating, User, utcnow

DUE_SOON_DAYS = 30


def shared_plan(manager: User, plan_id: int) -> Plan | None:
    """A plan, only if its owner reports to ``manager``, is still with the organisation (not
    a leaver) and has shared it."""
    return db.session.scalar(
        sa.select(Plan)
        .join(User, User.id == Plan.user_id)
        .where(
            Plan.id == plan_id,
            Plan.shared_at.is_not(None),
            User.line_manager_id == manager.id,
            User.active.is_(True),
        )
    )


def team_overview(manager: User) -> tuple[list[dict], int]:
    """Each shared plan of the manager's direct reports with progress and due actions, and
    how many direct reports have shared nothing."""
    reports = db.session.scalars(
        sa.select(User).filter_by(line_manager_id=manager.id, active=True).order_by(User.name)
    ).all()
    ids = [u.id for u in reports]
    plans = db.session.scalars(
        sa.select(Plan)
        .where(Plan.user_id.in_(ids), Plan.shared_at.is_not(None))
        .order_by(Plan.shared_at.desc())
    ).all()
    profiles = {
        p.user_id: p for p in db.session.scalars(sa.select(Profile).where(Profile.user_id.in_(ids)))
    }
    today = date.today()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    rows = []
    for plan in plans:
        open_items = [i for i in plan.items if i.status != "done" and i.due]
        rows.append(
            {
                "plan": plan,
                "member": plan.user,
                "current_role": getattr(profiles.get(plan.user_id), "current_role", None),
                "overdue": sorted((i for i in open_items if i.due < today), key=lambda i: i.due),
                "due_soon": sorted(
                    (i for i in open_items if today <= i.due <= soon), key=lambda i: i.due
                ),
            }
        )
    sharing = {plan.user_id for plan in plans}
    return rows, sum(1 for u in reports if u.id not in sharing)


def record_manager_ratings(
    member: User, manager: User, levels: dict[str, int], *, commit: bool = True
) -> int:
    """Store the manager's view of each capability whose level changed; returns how many.
    Ratings are never updated in place, so the history keeps who rated what and when."""
    from planner.people import latest_ratings

    current = {c: r.level for c, r in latest_ratings(member.id, kind="manager").items()}
    now = utcnow()
    changed = [(c, lvl) for c, lvl in levels.items() if current.get(c) != lvl]
    for capability, level in changed:
        db.session.add(
            Rating(
                user_id=member.id,
                capability=capability,
                level=level,
                kind="manager",
                rated_by_id=manager.id,
                created_at=now,
            )
        )
    if changed:
        record(
            "rating.manager",
            "rating",
            member.id,
            f"Line manager rated {len(changed)} capabilities",
            actor=manager,
        )
    if commit:
        db.session.commit()
    return len(changed)


def record_conversation(
    plan: Plan,
    manager: User,
    *,
    held_on: date,
    notes: str,
    prompts: list[str],
    actions: list[dict],
    next_on: date | None = None,
) -> Conversation:
    """The conversation and its agreed actions, written together (one commit, with anything else the caller added uncommitted, such as the manager's
    ratings). Each action
    is ``{"title", "owner", "due", "kind", "training_item"}``: a catalogue item, or a kind that
    stands for one (mentoring, secondment, ...), counts in the Iriss checks like any plan item."""
    from planner.plans.operations import catalogue_item_for
    from planner.plans.views import plan_view_framework

    framework = plan_view_framework(plan.user)
    conversation = Conversation(
        plan=plan,
        manager_id=manager.id,
        held_on=held_on,
        next_on=next_on,
        notes=notes,
        prompts_json=json.dumps(prompts),
    )
    db.session.add(conversation)
    db.session.flush()
    for action in actions:
        kind = action.get("kind") or "other"
        db.session.add(
            PlanItem(
                plan=plan,
                kind=kind,
                training_item=catalogue_item_for(framework, kind, action.get("training_item")),
                title=action["title"],
                owner=action["owner"],
                due=action["due"],
                conversation_id=conversation.id,
            )
        )
    plan.updated_at = utcnow()
    record(
        "conversation.record",
        "plan",
        plan.id,
        f"Career conversation of {held_on.isoformat()} with {len(actions)} agreed actions",
        actor=manager,
    )
    db.session.commit()
    return conversation


def _direct_report_entries(manager: User) -> sa.Select:
    """Learning record entries of the manager's current, active direct reports in the
    manager's own organisation. Callers narrow it to the entries the owner asked this manager
    to verify, or that this manager verified: the rest of a record stays its owner's alone."""
    from planner.models import LearningEntry

    return (
        sa.select(LearningEntry)
        .join(User, User.id == LearningEntry.user_id)
        .where(
            User.line_manager_id == manager.id,
            User.id != manager.id,
            User.active.is_(True),
            User.organisation_id.is_(None)
            if manager.organisation_id is None
            else User.organisation_id == manager.organisation_id,
        )
    )


def entries_to_verify(manager: User) -> list:
    """Entries waiting for the manager's verification, oldest request first."""
    from planner.models import LearningEntry

    return db.session.scalars(
        _direct_report_entries(manager)
        .where(
            LearningEntry.verification_requested_at.is_not(None),
            LearningEntry.verification_requested_of_id == manager.id,
            LearningEntry.verified_at.is_(None),
        )
        .order_by(LearningEntry.verification_requested_at, LearningEntry.id)
    ).all()


def entries_verified_by(manager: User, limit: int = 20) -> list:
    """The entries of current direct reports this manager verified, most recent first."""
    from planner.models import LearningEntry

    return db.session.scalars(
        _direct_report_entries(manager)
        .where(LearningEntry.verified_by_id == manager.id)
        .order_by(LearningEntry.verified_at.desc(), LearningEntry.id.desc())
        .limit(limit)
    ).all()


def entry_to_verify(manager: User, entry_id: int):
    from planner.models import LearningEntry

    return db.session.scalar(
        _direct_report_entries(manager).where(
            LearningEntry.id == entry_id,
            LearningEntry.verification_requested_at.is_not(None),
            LearningEntry.verification_requested_of_id == manager.id,
            LearningEntry.verified_at.is_(None),
        )
    )


def decide_verification(manager: User, entry, verify: bool, note: str = "") -> None:
    """Verify an entry (who and when are kept), or return it to its owner with a note."""
    entry.verification_note = note
    if verify:
        entry.verified_at = utcnow()
        entry.verified_by_id = manager.id
        record("learning.verify", "learning_entry", entry.id, "Verified by the line manager")
    else:
        entry.verification_requested_at = None  # back with its owner, to change or ask again
        record("learning.return", "learning_entry", entry.id, "Returned by the line manager")
    db.session.commit()
