"""Gather an organisation's staff as anonymous records for pathways.insight (no names)."""

from __future__ import annotations

import gc
import json
from collections import Counter
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from pathways.insight import Insight, StaffRecord, insight
from pathways.model import Framework
from planner.extensions import db
from planner.models import CurrentRating, Plan, PlanItem, Profile, Team, User

NO_TEAM = "No team"


class json_object_of(GenericFunction):  # noqa: N801 (an SQL function's name)
    """A group's key/value pairs as one JSON object: one row per person instead of one per
    rating (PostgreSQL's json_object_agg, SQLite's json_group_object)."""

    name = "json_object_of"
    inherit_cache = True


@compiles(json_object_of)
def _json_object_agg(element, compiler, **kw):
    return f"json_object_agg({compiler.process(element.clauses, **kw)})"


@compiles(json_object_of, "sqlite")
def _json_group_object(element, compiler, **kw):
    return f"json_group_object({compiler.process(element.clauses, **kw)})"


@contextmanager
def paused_gc():
    """No cyclic garbage collection while an aggregate builds tens of thousands of records:
    they hold no cycles, and full collections over every live object took a fifth of the
    insight page's time at 100,000 staff (docs/performance.md)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def staff_records(organisation_id: int) -> list[StaffRecord]:
    """Everyone active in the organisation with a current role: their team, latest
    self-ratings (from ``current_rating``, one JSON object per person), most recent plan and
    the items in their plans. Three queries, however many staff (docs/performance.md)."""
    levels = (  # per person, through current_rating's primary key: no sort, no big hash
        sa.select(sa.cast(json_object_of(CurrentRating.capability, CurrentRating.level), sa.Text))
        .where(CurrentRating.user_id == User.id, CurrentRating.kind == "self")
        .scalar_subquery()
    )
    people = db.session.execute(
        sa.select(User.id, Team.name, Profile.current_role, levels)
        .join(Profile, Profile.user_id == User.id)
        .outerjoin(Team, Team.id == User.team_id)
        .where(
            User.organisation_id == organisation_id,
            User.active.is_(True),
            Profile.current_role.is_not(None),
        )
    ).all()
    in_org = sa.select(User.id).where(User.organisation_id == organisation_id)
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
    # every person's ratings parsed in one call: far cheaper than one parse per person
    levels_of = json.loads("[" + ",".join(row[3] or "{}" for row in people) + "]")
    records = []
    no_items: Counter = Counter()
    for (user_id, team, role, _), ratings in zip(people, levels_of, strict=True):
        held = items.get(user_id, no_items)
        records.append(
            StaffRecord(
                team=team or NO_TEAM,
                current_role=role,
                ratings=tuple(ratings.items()),  # in the order the database gives
                plan_route=routes.get(user_id),
                plan_items=frozenset(held),
                plans_per_item=tuple(sorted(held.items())),
            )
        )
    return records


def organisation_insight(framework: Framework, organisation_id: int) -> Insight:
    """The insight aggregates for one organisation (the page and the API)."""
    with paused_gc():
        return insight(framework, staff_records(organisation_id))
