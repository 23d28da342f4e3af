"""A national-scale dataset, and how long the L&D aggregates take on it.

Run on demand:
    .venv/bin/python bench/national.py --staff 10000 --plans 5000
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/national.py --staff 100000

It migrates a fresh database (SQLite in a temporary directory unless DATABASE_URL is set;
that database is emptied first), writes 32 organisations with teams, ``--staff``
practitioners with two rounds of self-ratings, and ``--plans`` plans with actions, using
bulk inserts, then times the insight aggregate for the largest organisation and for all
staff (``planner.insight.staff_records`` + ``pathways.insight.insight``), the coverage
matrix and the audit. Deterministic (seeded). Not a test: figures go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import downgrade, upgrade  # noqa: E402

from pathways.coverage import coverage  # noqa: E402
from pathways.insight import insight  # noqa: E402
from pathways.iriss import audit_framework  # noqa: E402
from planner import create_app  # noqa: E402
from planner.extensions import db  # noqa: E402
from planner.frameworks import current_framework, current_version, load_default  # noqa: E402
from planner.insight import staff_records  # noqa: E402
from planner.models import (  # noqa: E402
    Organisation,
    Plan,
    PlanItem,
    Profile,
    Rating,
    Team,
    User,
    UserRole,
)

ORGANISATIONS = 32  # Scotland's local authorities
TEAMS_PER_ORGANISATION = 8
BATCH = 5000


def _insert(table, rows):
    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(table), rows[start : start + BATCH])


def generate(staff: int, plans: int, seed: int = 2026) -> None:
    rng = random.Random(seed)
    framework = current_framework()
    version_id = current_version().id
    starts = [
        "nqsw",
        "social_worker",
        "senior_social_worker",
        "senior_practitioner",
        "practice_educator",
        "mental_health_officer",
        "team_manager",
    ]
    weights = [10, 40, 15, 10, 5, 10, 10]
    capabilities = list(framework.capabilities)
    # organisations of uneven size, as councils are (Glasgow is many times Orkney)
    sizes = [rng.lognormvariate(0, 0.9) for _ in range(ORGANISATIONS)]
    total = sum(sizes)
    _insert(
        Organisation.__table__,
        [{"id": i + 1, "name": f"Council {i + 1:02d}"} for i in range(ORGANISATIONS)],
    )
    _insert(
        Team.__table__,
        [
            {
                "id": o * TEAMS_PER_ORGANISATION + t + 1,
                "organisation_id": o + 1,
                "name": f"Team {t + 1}",
            }
            for o in range(ORGANISATIONS)
            for t in range(TEAMS_PER_ORGANISATION)
        ],
    )
    now = datetime.now(UTC)
    users, roles, profiles, ratings = [], [], [], []
    user_id = 1000
    assignment = []
    for o, size in enumerate(sizes):
        count = max(5, round(staff * size / total))
        assignment.extend([o] * count)
    assignment = assignment[:staff]
    for o in assignment:
        user_id += 1
        team = o * TEAMS_PER_ORGANISATION + rng.randrange(TEAMS_PER_ORGANISATION) + 1
        users.append(
            {
                "id": user_id,
                "email": f"p{user_id}@council{o + 1}.example",
                "name": f"Practitioner {user_id}",
                "organisation_id": o + 1,
                "team_id": team,
                "active": True,
                "created_at": now,
            }
        )
        roles.append({"user_id": user_id, "role": "practitioner"})
        role = rng.choices(starts, weights)[0]
        profiles.append(
            {
                "user_id": user_id,
                "current_role": role,
                "years_qualified": rng.choice([0.5, 2, 4, 7, 12]),
                "registered": True,
                "line_management": rng.random() < 0.6,
                "updated_at": now,
            }
        )
        for cap in capabilities:  # two rounds: six months ago and now
            level = rng.randint(1, 4)
            ratings.append(
                {
                    "user_id": user_id,
                    "capability": cap,
                    "level": max(0, level - 1),
                    "kind": "self",
                    "rated_by_id": user_id,
                    "created_at": now - timedelta(days=180),
                }
            )
            ratings.append(
                {
                    "user_id": user_id,
                    "capability": cap,
                    "level": level,
                    "kind": "self",
                    "rated_by_id": user_id,
                    "created_at": now,
                }
            )
    _insert(User.__table__, users)
    _insert(UserRole.__table__, roles)
    _insert(Profile.__table__, profiles)
    _insert(Rating.__table__, ratings)
    plan_rows, item_rows = [], []
    chosen = rng.sample(profiles, min(plans, len(profiles)))
    for n, profile in enumerate(chosen, start=1):
        source = profile["current_role"]
        successors = sorted(framework.graph.successors(source))
        if not successors:
            continue
        target = rng.choice(successors)
        plan_rows.append(
            {
                "id": n,
                "user_id": profile["user_id"],
                "target_role": target,
                "route_json": json.dumps([source, target]),
                "label": "",
                "framework_version_id": version_id,
                "private_notes": "",
                "revision": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        items = framework.training_for_role(target)
        for item in rng.sample(items, min(2, len(items))):
            item_rows.append(
                {
                    "plan_id": n,
                    "kind": "training",
                    "training_item": item.id,
                    "title": item.title,
                    "role": target,
                    "status": rng.choice(["planned", "done"]),
                    "owner": "practitioner",
                    "created_at": now,
                }
            )
    _insert(Plan.__table__, plan_rows)
    _insert(PlanItem.__table__, item_rows)
    db.session.commit()
    _reset_sequences()


def _reset_sequences() -> None:
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("organisation", "team", "user_account", "rating", "plan", "plan_item"):
        db.session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )
    db.session.commit()


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=10000)
    parser.add_argument("--plans", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tmp) / 'national.sqlite'}"
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            if os.environ.get("DATABASE_URL"):
                downgrade(revision="base")
            upgrade()
            load_default()
            start = time.perf_counter()
            generate(args.staff, args.plans)
            built = time.perf_counter() - start
            counts = {
                name: db.session.scalar(sa.select(sa.func.count()).select_from(model))
                for name, model in (
                    ("users", User),
                    ("ratings", Rating),
                    ("plans", Plan),
                    ("plan items", PlanItem),
                )
            }
            largest = db.session.execute(
                sa.select(User.organisation_id, sa.func.count())
                .group_by(User.organisation_id)
                .order_by(sa.func.count().desc())
                .limit(1)
            ).one()
            framework = current_framework()

            def org_insight():
                return insight(framework, staff_records(largest[0]))

            def national_insight():
                records = []
                for org in range(1, ORGANISATIONS + 1):
                    records.extend(staff_records(org))
                return insight(framework, records)

            print(f"engine: {db.engine.dialect.name}; generated in {built:.1f} s: {counts}")
            print(f"largest organisation: {largest[1]} staff")
            for label, function in (
                ("insight, largest organisation", org_insight),
                ("insight, every organisation", national_insight),
                ("coverage matrix", lambda: coverage(framework)),
                ("organisation audit", lambda: audit_framework(framework)),
            ):
                times = timed(function, args.repeat)
                print(
                    f"{label:32s} median {statistics.median(times) * 1000:8.1f} ms  "
                    f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}, n={args.repeat})"
                )
            if os.environ.get("DATABASE_URL"):
                db.session.remove()
                downgrade(revision="base")
            db.engine.dispose()


if __name__ == "__main__":
    main()
