from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import upgrade

from pathways.loader import default_framework
from planner import create_app
from planner.frameworks import load_default

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def framework():
    return default_framework()


@pytest.fixture
def empty_app(tmp_path):
    """An app on a fresh, fully migrated SQLite database with no framework loaded."""
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite'}"}
    )
    with app.app_context():
        upgrade()
    return app


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
