"""Between the database and the engine: a user's stored data as a ``pathways`` Person."""

from __future__ import annotations

import sqlalchemy as sa

from pathways.model import Framework
from pathways.person import Person
from pathways.person import PlanItem as EnginePlanItem
from planner.extensions import db
from planner.models import CompletedTraining, Plan, Profile, Rating, ServiceAreaYears, User

__all__ = ["latest_ratings", "rating_history", "person_for", "profile_for"]


def profile_for(user: User) -> Profile:
    profile = db.session.get(Profile, user.id)
    if profile is None:
        profile = Profile(user_id=user.id)
        db.session.add(profile)
        db.session.flush()
    return profile


def latest_ratings(user_id: int, kind: str = "self") -> dict[str, Rating]:
    """The most recent rating of each capability (older ones stay in the history)."""
    rows = db.session.scalars(
        sa.select(Rating)
        .filter_by(user_id=user_id, kind=kind)
        .order_by(Rating.created_at, Rating.id)
    )
    return {r.capability: r for r in rows}


def rating_history(user_id: int, kind: str = "self") -> list[Rating]:
    return list(
        db.session.scalars(
            sa.select(Rating)
            .filter_by(user_id=user_id, kind=kind)
            .order_by(Rating.created_at, Rating.id)
        )
    )


def person_for(user: User, framework: Framework, plan: Plan | None = None) -> Person | None:
    """The engine's view of this user, with ``plan``'s items if given. None until the user has
    said what their current role is (or if the framework no longer has it)."""
    profile = db.session.get(Profile, user.id)
    if profile is None or profile.current_role not in framework.roles:
        return None
    ratings = {
        cap: r.level for cap, r in latest_ratings(user.id).items() if cap in framework.capabilities
    }
    areas = db.session.scalars(sa.select(ServiceAreaYears).filter_by(user_id=user.id))
    done = db.session.scalars(sa.select(CompletedTraining.item).filter_by(user_id=user.id))
    plan_items = ()
    if plan is not None:
        plan_items = tuple(
            EnginePlanItem(
                item.training_item,
                item.role if item.role in framework.roles else None,
                item.status,
                item.due.isoformat() if item.due else None,
                item.service_area if item.service_area in framework.service_areas else None,
            )
            for item in plan.items
            if item.training_item in framework.training
        )
    return Person(
        current_role=profile.current_role,
        years_qualified=profile.years_qualified or 0,
        registered=profile.registered,
        service_areas=tuple(
            sorted((a.area, a.years) for a in areas if a.area in framework.service_areas)
        ),
        ratings=tuple(sorted(ratings.items())),
        completed_training=frozenset(i for i in done if i in framework.training),
        line_management=profile.line_management,
        extra_hours_per_week=profile.extra_hours_per_week,
        plan_items=plan_items,
    )
