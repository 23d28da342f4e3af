from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from pathways.loader import default_framework
from planner import create_app
from planner.extensions import db
from planner.frameworks import load_default

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def framework():
    return default_framework()


# Every database test runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL points at
# one (.ci/run starts a throwaway cluster and sets it).
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
ENGINES = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def _reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=ENGINES)
def empty_app(request, tmp_path):
    """An app on a fresh, fully migrated database with no framework loaded."""
    if request.param == "postgresql":
        _reset_postgres(POSTGRES_URL)
        url = POSTGRES_URL
    else:
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test",
        }
    )
    with app.app_context():
        upgrade()
    from planner.extensions import limiter

    limiter.reset()  # sign-in counts are in memory: each test starts with none
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(empty_app):
    with empty_app.app_context():
        load_default()
    return empty_app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


PASSWORD = "correct horse battery"


@pytest.fixture
def make_user(app):
    """Create a user with a profile: make_user("a@x", current_role="social_worker", roles=[...])."""
    from planner.auth.operations import create_user
    from planner.models import Profile

    def make(
        email="prac@example.org",
        *,
        roles=("practitioner",),
        name=None,
        current_role="social_worker",
        years_qualified=4,
        line_management=True,
        **fields,
    ):
        with app.app_context():
            user = create_user(
                name or email.split("@")[0].title(), email, roles, password=PASSWORD, **fields
            )
            profile = db.session.get(Profile, user.id)
            profile.current_role = current_role
            profile.years_qualified = years_qualified
            profile.line_management = line_management
            db.session.commit()
            return user.id

    return make


@pytest.fixture
def login(client):
    def do(email="prac@example.org", password=PASSWORD):
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[-500:]
        return client

    return do


@pytest.fixture(autouse=True)
def _collect_garbage():
    """Collect after each test, so an unclosed resource is reported against the test that
    leaked it rather than a later one."""
    yield
    import gc

    gc.collect()


def fill_user_data(client) -> str:
    """As the signed-in user: a profile, two ratings of Vision (2 then 3), completed training,
    and a plan with a mentoring action. Returns the plan's URL."""
    client.post(
        "/profile",
        data={
            "current_role": "social_worker",
            "years_qualified": "4",
            "line_management": "yes",
            "area_justice": "3",
        },
    )
    for level in ("2", "3"):
        client.post("/profile/ratings/vision", data={"vision-level": level})
    client.post("/profile/training", data={"item": "mba", "completed_on": ["1", "2", "2020"]})
    location = client.post(
        "/plans",
        data={"target": "senior_practitioner", "route": "social_worker,senior_practitioner"},
    ).headers["Location"]
    client.post(
        location + "/items",
        data={
            "kind": "mentoring",
            "title": "",
            "training_item": "",
            "role": "",
            "service_area": "",
        },
    )
    return location


def local_item_form(item_id: str = "ours", title: str = "Ours", **changes) -> dict:
    """The catalogue form filled in for a local course (POST it to /catalogue/new)."""
    return {
        "id": item_id,
        "title": title,
        "kind": "training",
        "mode": "course",
        "capabilities": ["vision"],
        "roles": ["team_manager"],
        "sw_specific": "yes",
        "status": "optional",
        "embedded": "no",
        "duration": "1 day",
        **changes,
    }
