"""A national-scale dataset, and how long the L&D aggregates take on it.

Run on demand:
    .venv/bin/python bench/national.py --staff 10000 --plans 5000
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/national.py --staff 100000

It migrates a fresh database (SQLite in a temporary directory unless DATABASE_URL is set;
that database is emptied first, unless ``--reuse`` finds data in it), writes 32
organisations with teams, ``--staff`` practitioners with two rounds of self-ratings, and
``--plans`` plans with actions, using bulk inserts, then times the L&D pages as an L&D lead
of the largest organisation sees them (``GET /insight``, ``/coverage``, ``/audit``, through
the whole app in-process), the insight page's queries and aggregates separately, and insight
over every organisation. ``--explain`` prints the insight queries' plans. Deterministic
(seeded). Not a test: figures go in docs/performance.md.
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

from pathways.insight import insight  # noqa: E402
from planner import create_app  # noqa: E402
from planner.auth.operations import create_user  # noqa: E402
from planner.extensions import db  # noqa: E402
from planner.frameworks import current_framework, current_version, load_default  # noqa: E402
from planner.insight import paused_gc, staff_records  # noqa: E402
from planner.models import (  # noqa: E402
    CurrentRating,
    Organisation,
    Plan,
    PlanItem,
    Profile,
    Rating,
    Team,
    User,
    UserRole,
    rebuild_current_ratings,
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
    rebuild_current_ratings(db.session)  # bulk inserts bypass the ORM hook that keeps it
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


def explain(organisation_id: int) -> None:
    """The query plans of the insight queries, as this engine runs them (PostgreSQL:
    EXPLAIN ANALYZE with buffers; SQLite: EXPLAIN QUERY PLAN)."""
    statements = []
    real = db.session.execute

    def capture(statement, *args, **kwargs):
        statements.append(statement)
        return real(statement, *args, **kwargs)

    db.session.execute = capture
    try:
        staff_records(organisation_id)
    finally:
        db.session.execute = real
    postgres = db.engine.dialect.name == "postgresql"
    for statement in statements:
        sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
        print("\n" + " ".join(sql.split())[:400])
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
        for row in db.session.execute(sa.text(prefix + sql)):
            print("    " + str(row[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=10000)
    parser.add_argument("--plans", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="print the insight query plans")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a DATABASE_URL database that has data"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tmp) / 'national.sqlite'}"
        app = create_app(
            {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False}
        )
        with app.app_context():
            reuse = args.reuse and _has_data()
            if os.environ.get("DATABASE_URL") and not reuse:
                downgrade(revision="base")
            built = 0.0
            if not reuse:
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
                    ("current ratings", CurrentRating),
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
            if db.engine.dialect.name == "postgresql":
                db.session.execute(sa.text("ANALYZE"))  # as autovacuum would, after a load
            framework = current_framework()
            client = _ld_client(app, largest[0])
            db.session.commit()

            def page(url):
                def get():
                    response = client.get(url)
                    assert response.status_code == 200, (url, response.status_code)

                return get

            def national_insight():
                with paused_gc():
                    records = []
                    for org in range(1, ORGANISATIONS + 1):
                        records.extend(staff_records(org))
                    return insight(framework, records)

            def paused(function):
                def run():
                    with paused_gc():  # as the page runs them
                        return function()

                return run

            print(f"engine: {db.engine.dialect.name}; generated in {built:.1f} s: {counts}")
            print(f"largest organisation: {largest[1]} staff")
            records = staff_records(largest[0])
            for label, function in (
                ("insight page (GET /insight)", page("/insight")),
                ("  its queries (staff_records)", paused(lambda: staff_records(largest[0]))),
                ("  its aggregates (insight)", paused(lambda: insight(framework, records))),
                ("coverage page (GET /coverage)", page("/coverage")),
                ("audit page (GET /audit)", page("/audit")),
                ("insight over every organisation", national_insight),
            ):
                function()  # warm: templates, framework parse
                times = timed(function, args.repeat)
                print(
                    f"{label:34s} median {statistics.median(times) * 1000:8.1f} ms  "
                    f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}, n={args.repeat})"
                )
            if args.explain:
                explain(largest[0])
            if os.environ.get("DATABASE_URL") and not args.reuse:
                db.session.remove()
                downgrade(revision="base")
            db.engine.dispose()


def _has_data() -> bool:
    try:
        return bool(db.session.scalar(sa.select(sa.func.count()).select_from(User)))
    except sa.exc.DBAPIError:
        db.session.rollback()
        return False


def _ld_client(app, organisation_id: int):
    """A signed-in test client for an L&D lead of the organisation (made once)."""
    email = f"ld@council{organisation_id}.example"
    if db.session.scalar(sa.select(User).filter_by(email=email)) is None:
        create_user(
            "L&D lead", email, ["ld"], password=LD_PASSWORD, organisation_id=organisation_id
        )
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": LD_PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


LD_PASSWORD = "national-bench-ld-password"


if __name__ == "__main__":
    main()
