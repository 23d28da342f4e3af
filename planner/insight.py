"""Gather an organisation's staff as anonymous records for pathways.insight (no names)."""

from __future__ import annotations

import json
from collections import Counter

import sqlalchemy as sa

from pathways.insight import StaffRecord
from planner.extensions import db
from planner.models import Plan, PlanItem, Profile, Rating, Team, User

NO_TEAM = "No team"


def staff_records(organisation_id: int) -> list[StaffRecord]:
    """Everyone active in the organisation with a current role: their team, latest
    self-ratings, most recent plan and the items in their plans. A handful of queries,
    however many staff."""
    people = db.session.execute(
        sa.select(User.id, Team.name, Profile.current_role)
        .join(Profile, Profile.user_id == User.id)
        .outerjoin(Team, Team.id == User.team_id)
        .where(
            User.organisation_id == organisation_id,
            User.active.is_(True),
            Profile.current_role.is_not(None),
        )
    ).all()
    in_org = sa.select(User.id).where(User.organisation_id == organisation_id)
    ratings: dict[int, dict[str, int]] = {}
    for user_id, capability, level in db.session.execute(
        sa.select(Rating.user_id, Rating.capability, Rating.level)
        .where(Rating.kind == "self", Rating.user_id.in_(in_org))
        .order_by(Rating.created_at, Rating.id)
    ):
        ratings.setdefault(user_id, {})[capability] = level  # later rows win: the latest
    routes: dict[int, tuple[str, ...]] = {}
    for user_id, route_json in db.session.execute(
        sa.select(Plan.user_id, Plan.route_json)
        .where(Plan.user_id.in_(in_org))
        .order_by(Plan.created_at, Plan.id)
    ):
        routes[user_id] = tuple(json.loads(route_json))
    items: dict[int, Counter] = {}
    for user_id, _plan_id, item in db.session.execute(
        sa.select(Plan.user_id, Plan.id, PlanItem.training_item)
        .join(PlanItem, PlanItem.plan_id == Plan.id)
        .where(Plan.user_id.in_(in_org), PlanItem.training_item.is_not(None))
        .distinct()
    ):
        items.setdefault(user_id, Counter())[item] += 1  # once per plan that holds it
    return [
        StaffRecord(
            team=team or NO_TEAM,
            current_role=role,
            ratings=tuple(sorted(ratings.get(user_id, {}).items())),
            plan_route=routes.get(user_id),
            plan_items=frozenset(items.get(user_id, ())),
            plans_per_item=tuple(sorted(items.get(user_id, Counter()).items())),
        )
        for user_id, team, role in people
    ]
