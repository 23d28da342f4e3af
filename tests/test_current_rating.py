"""``current_rating``: the latest rating of each capability per person and kind, kept from the
rating history so organisation-wide aggregates need not sort it (docs/performance.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from planner.extensions import db
from planner.insight import staff_records
from planner.models import CurrentRating, Organisation, Rating, rebuild_current_ratings


def _current(user_id: int) -> dict[tuple[str, str], int]:
    rows = db.session.scalars(sa.select(CurrentRating).filter_by(user_id=user_id))
    return {(r.kind, r.capability): r.level for r in rows}


def test_the_newest_rating_wins_whatever_order_it_arrives_in(app, make_user):
    user_id = make_user()
    now = datetime.now(UTC)
    with app.app_context():
        db.session.add(Rating(user_id=user_id, capability="vision", level=3, created_at=now))
        db.session.commit()
        # an older rating recorded later (an import of history) does not replace it
        old = now - timedelta(days=30)
        db.session.add(Rating(user_id=user_id, capability="vision", level=1, created_at=old))
        db.session.add(
            Rating(user_id=user_id, capability="vision", level=2, kind="manager", created_at=old)
        )
        db.session.commit()
        assert _current(user_id) == {("self", "vision"): 3, ("manager", "vision"): 2}
        # two in one flush: the later one wins
        db.session.add(Rating(user_id=user_id, capability="empowering", level=2))
        db.session.add(
            Rating(
                user_id=user_id,
                capability="empowering",
                level=4,
                created_at=now + timedelta(seconds=1),
            )
        )
        db.session.commit()
        assert _current(user_id)[("self", "empowering")] == 4


def test_ratings_through_the_profile_page_reach_insight(app, client, make_user, login):
    with app.app_context():
        org = Organisation(name="Council")
        db.session.add(org)
        db.session.commit()
        org_id = org.id
    user_id = make_user(organisation_id=org_id)
    login()
    for level in ("2", "4", "1"):
        response = client.post("/profile/ratings/vision", data={"vision-level": level})
        assert response.status_code == 302, response.get_data(as_text=True)[-500:]  # saved
    with app.app_context():
        (record,) = staff_records(org_id)
        assert record.level("vision") == 1
        assert _current(user_id) == {("self", "vision"): 1}


def test_upgrade_and_rebuild_fill_it_from_the_history(app, make_user):
    user_id = make_user()
    with app.app_context():
        db.session.remove()
        downgrade(revision="947a8524eb25")  # before current_rating existed
        now = datetime.now(UTC).replace(microsecond=0)
        for level, days_ago, row_id in ((4, 0, 10), (2, 60, 11), (3, 0, 9)):
            db.session.execute(
                sa.text(
                    "INSERT INTO rating (id, user_id, capability, level, kind, created_at) "
                    "VALUES (:id, :user, 'vision', :level, 'self', :at)"
                ),
                {
                    "id": row_id,
                    "user": user_id,
                    "level": level,
                    "at": now - timedelta(days=days_ago),
                },
            )
        db.session.commit()
        db.session.remove()
        upgrade()
        assert _current(user_id) == {("self", "vision"): 4}  # same time: the higher id wins
        db.session.execute(sa.delete(CurrentRating))
        rebuild_current_ratings(db.session)
        db.session.commit()
        assert _current(user_id) == {("self", "vision"): 4}
