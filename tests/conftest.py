from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.pool import NullPool

from pathways.loader import default_framework
from planner import create_app
from planner.extensions import db
from planner.frameworks import load_default

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def framework():
    return default_framework()


# Every database test runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL points at
# one (.ci/run starts a throwaway cluster and sets it).
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
ENGINES = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
# Under pytest-xdist each worker has its own databases ("gw0", "gw1", ...).
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")

TEST_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "SECRET_KEY": "test",
    # Hundreds of accounts are made and signed in to here: a cheap hash (the real scrypt
    # costs 0.15 s each way) saves minutes; test_auth checks production keeps scrypt.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
}


def _migrated(url: str, *, framework: bool) -> None:
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        if framework:
            load_default()
        db.session.remove()
        db.engine.dispose()


class _Postgres:
    """Databases on the test cluster, made by copying a migrated template (CREATE DATABASE
    ... TEMPLATE is a file copy, far quicker than running every migration again)."""

    def __init__(self, url: str):
        self.url = sa.engine.make_url(url)
        self.admin = sa.create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def url_for(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def copy(self, template: str | None, name: str) -> str:
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(
                sa.text(
                    f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
                )
            )
        return self.url_for(name)


@pytest.fixture(scope="session")
def _templates(tmp_path_factory):
    """Migrated databases made once per session (per xdist worker): (engine, framework) ->
    a SQLite file or a PostgreSQL template database to copy for each test."""
    made: dict[tuple[str, bool], str] = {}
    folder = tmp_path_factory.mktemp("templates")
    postgres = _Postgres(POSTGRES_URL) if POSTGRES_URL else None

    def template(engine: str, framework: bool) -> str:
        key = (engine, framework)
        if key not in made:
            stem = f"{WORKER}_{'framework' if framework else 'empty'}"
            if engine == "sqlite":
                url = f"sqlite:///{folder / stem}.sqlite"
                _migrated(url, framework=framework)
                made[key] = str(folder / f"{stem}.sqlite")
            else:
                _migrated(postgres.copy(None, f"tpl_{stem}"), framework=framework)
                made[key] = f"tpl_{stem}"
        return made[key]

    yield template, postgres
    if postgres is not None:
        postgres.admin.dispose()


def _app_on_copy(request, tmp_path, templates, *, framework: bool):
    template, postgres = templates
    source = template(request.param, framework)
    if request.param == "postgresql":
        url = postgres.copy(source, f"test_{WORKER}")
    else:
        shutil.copyfile(source, tmp_path / "test.sqlite")
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    from planner.extensions import limiter

    limiter.reset()  # sign-in counts are in memory: each test starts with none
    return app


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(params=ENGINES)
def empty_app(request, tmp_path, _templates):
    """An app on a fresh, fully migrated database with no framework loaded."""
    app = _app_on_copy(request, tmp_path, _templates, framework=False)
    yield app
    _dispose(app)


@pytest.fixture(params=ENGINES)
def app(request, tmp_path, _templates):
    """An app on a fresh, fully migrated database with the default framework loaded."""
    app = _app_on_copy(request, tmp_path, _templates, framework=True)
    yield app
    _dispose(app)


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
def make_org(app):
    """Create an organisation (with teams): make_org("East council", "Team A") -> its id."""
    from planner.models import Organisation, Team

    def make(name="Test council", *teams: str) -> int:
        with app.app_context():
            org = Organisation(name=name)
            org.teams = [Team(name=team) for team in teams]
            db.session.add(org)
            db.session.commit()
            return org.id

    return make


@pytest.fixture
def login(client):
    def do(email="prac@example.org", password=PASSWORD):
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[-500:]
        return client

    return do


def add_learning_entry(client) -> None:
    """As the signed-in user: one learning record entry (leadership without a post)."""
    response = client.post(
        "/profile/learning",
        data={
            "title": "Leading the practice forum",
            "learned_on": ["3", "3", "2026"],
            "kind": "leadership",
            "capabilities": ["vision"],
            "reflection": "I chair it now",
            "evidence_link": "https://example.org/notes",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-500:]


def decide_on_learning(client, entry_id: int, decision: str = "verify", note: str = ""):
    """As the signed-in line manager: verify (or return) a learning record entry, as read on
    /team/learning (the form carries the entry's fingerprint as the manager saw it)."""
    import re

    page = client.get("/team/learning").get_data(as_text=True)
    found = re.search(rf'name="entry{entry_id}-seen" type="hidden" value="([0-9a-f]+)"', page)
    seen = found.group(1) if found else ""
    return client.post(
        f"/team/learning/{entry_id}",
        data={
            f"entry{entry_id}-decision": decision,
            f"entry{entry_id}-note": note,
            f"entry{entry_id}-seen": seen,
        },
    )


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


def save_notes(client, plan_url: str, notes: str):
    """Save private notes on a plan as its page would: with the revision the page shows."""
    import re

    page = client.get(plan_url).get_data(as_text=True)
    revision = re.search(r'name="revision"[^>]*value="([0-9]+)"', page)
    assert revision, "the plan page has no notes form with a revision"
    return client.post(plan_url + "/notes", data={"notes": notes, "revision": revision.group(1)})


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


def answer_profile(client, **answers: str):
    """As the signed-in L&D lead or administrator, answer the organisation profile as its
    page would (with the revision it shows): ``offer_<item id>="yes"``, ``fact_<key>=...``.
    Questions not named keep their current answers."""
    import re

    page = client.get("/organisation").get_data(as_text=True)
    revision = re.search(r'name="revision"[^>]*value="([0-9]+)"', page)
    assert revision, "the organisation profile page has no form with a revision"
    current = dict(
        re.findall(r'<input[^>]*name="((?:offer|fact)_\w+)"[^>]*value="(\w*)"[^>]*checked', page)
    )
    return client.post("/organisation", data={**current, **answers, "revision": revision.group(1)})
