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


# Built once (read on every planning request): the profile, then ratings, service areas and
# completed training in one round trip, oldest rating first.
_USER = sa.bindparam("user_id")
_PROFILE = sa.select(
    Profile.current_role,
    Profile.years_qualified,
    Profile.registered,
    Profile.line_management,
    Profile.extra_hours_per_week,
).where(Profile.user_id == _USER)
_NO_TIME = sa.null().cast(Rating.created_at.type)
_FACTS_UNION = sa.union_all(
    sa.select(
        sa.literal("rating").label("kind"),
        Rating.capability.label("key"),
        Rating.level.label("value"),
        Rating.created_at.label("at"),
        Rating.id.label("seq"),
    ).where(Rating.user_id == _USER, Rating.kind == "self"),
    sa.select(
        sa.literal("area"), ServiceAreaYears.area, ServiceAreaYears.years, _NO_TIME, sa.null()
    ).where(ServiceAreaYears.user_id == _USER),
    sa.select(sa.literal("done"), CompletedTraining.item, sa.null(), _NO_TIME, sa.null()).where(
        CompletedTraining.user_id == _USER
    ),
)
_FACTS = _FACTS_UNION.order_by(_FACTS_UNION.selected_columns.at, _FACTS_UNION.selected_columns.seq)


def _leadership_shown(user_id: int) -> tuple[str, ...]:
    """Titles of the leadership without a post in the person's learning record."""
    from planner.models import LEADERSHIP_KIND, LearningEntry

    return tuple(
        db.session.scalars(
            sa.select(LearningEntry.title)
            .filter_by(user_id=user_id, kind=LEADERSHIP_KIND)
            .order_by(LearningEntry.learned_on, LearningEntry.id)
        )
    )


def person_for(user: User, framework: Framework, plan: Plan | None = None) -> Person | None:
    """The engine's view of this user, with ``plan``'s items if given. None until the user has
    said what their current role is (or if the framework no longer has it). Two queries: the
    profile, then ratings, service areas and completed training together."""
    profile = db.session.execute(_PROFILE, {"user_id": user.id}).first()
    if profile is None or profile.current_role not in framework.roles:
        return None
    ratings: dict[str, int] = {}
    areas: list[tuple[str, float]] = []
    done: set[str] = set()
    for kind, key, value, _at, _id in db.session.execute(_FACTS, {"user_id": user.id}):
        if kind == "rating" and key in framework.capabilities:
            ratings[key] = int(value)  # oldest first, so the latest rating of each wins
        elif kind == "area" and key in framework.service_areas:
            areas.append((key, float(value)))
        elif kind == "done" and key in framework.training:
            done.add(key)
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
        service_areas=tuple(sorted(areas)),
        ratings=tuple(sorted(ratings.items())),
        completed_training=frozenset(done),
        line_management=profile.line_management,
        extra_hours_per_week=profile.extra_hours_per_week,
        plan_items=plan_items,
        leadership_shown=_leadership_shown(user.id),
        target_area=(
            plan.target_area
            if plan is not None and plan.target_area in framework.service_areas
            else None
        ),
    )
