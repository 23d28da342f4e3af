"""Input that would break a page or a database is refused with a message naming the field,
and nothing is written. Findings: sNaN in number fields gave a 500; NUL bytes gave a
misleading 503 "database not available" on PostgreSQL (as HTML from the JSON API) and were
stored on SQLite, making the backup unrestorable on PostgreSQL; the JSON API answered a 503
in HTML."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from planner import create_app
from planner.extensions import db
from planner.models import Plan, Profile
from tests.conftest import fill_user_data
from tests.test_editor import _role_form

NOT_FINITE = ["sNaN", "NaN", "-sNaN", "Infinity", "-inf", "snan"]


@pytest.mark.parametrize("value", NOT_FINITE)
def test_number_fields_take_finite_numbers_only(app, client, make_user, login, value):
    user_id = make_user(years_qualified=4)
    login()
    response = client.post(
        "/profile",
        data={"current_role": "social_worker", "years_qualified": value, "line_management": "yes"},
    )
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code in (200, 400), body[-500:]
    assert "Enter a number, like 2 or 2.5" in body
    with app.app_context():
        assert db.session.get(Profile, user_id).years_qualified == 4


@pytest.mark.parametrize("value", ["sNaN", "NaN", "Infinity"])
def test_framework_number_fields_take_finite_numbers_only(app, client, make_user, login, value):
    make_user("editor@example.org", roles=("national_editor",))
    login("editor@example.org")
    form = _role_form(client, "senior_practitioner")
    form.update(typical_years=value, note="x", positional="no")
    response = client.post("/framework/roles/senior_practitioner/edit", data=form)
    assert response.status_code == 400
    assert "Enter a number, like 2 or 2.5" in html.unescape(response.get_data(as_text=True))


def _notes(app) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(Plan.private_notes))


def test_nul_characters_are_refused_with_the_fields_name(app, client, make_user, login):
    make_user()
    login()
    plan = fill_user_data(client)
    page = client.get(plan).get_data(as_text=True)
    revision = page.split('name="revision" type="hidden" value="')[1].split('"')[0]
    response = client.post(plan + "/notes", data={"notes": "before\x00after", "revision": revision})
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and "The field 'notes' contains a NUL character" in body
    assert _notes(app) == ""  # nothing written
    for url in ("/planner?target=cswo%00", "/roles/cs%00wo"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "NUL character" in response.get_data(as_text=True)


def test_the_api_refuses_nul_characters_in_json_by_field(app, client, make_user, login):
    from tests.test_api import _token

    make_user()
    token = _token(client, login)
    response = client.post(
        "/api/v1/me/ratings",
        json={"capability": "vision\x00", "level": 2},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400 and response.is_json
    assert "'capability'" in response.json["error"]["message"]


@pytest.mark.parametrize(
    "url",
    ["sqlite:////nonexistent-folder/pathways.sqlite", "postgresql+psycopg://x@127.0.0.1:9/x"],
)
def test_the_api_says_the_database_is_unavailable_in_json(url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test"})
    client = app.test_client()
    response = client.get("/api/v1/roles", headers={"Authorization": "Bearer pw_" + "x" * 40})
    assert response.status_code == 503 and response.is_json
    assert "database is not available" in response.json["error"]["message"]
    page = client.get("/roles/cswo")
    assert page.status_code == 503 and "database is not available" in page.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()
