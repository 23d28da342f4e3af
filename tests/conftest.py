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
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
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
