"""Optimistic locking cannot be skipped. Finding: a notes or framework save without its
revision silently overwrote whatever had changed since."""

from __future__ import annotations

import html
import io

import sqlalchemy as sa

from planner.extensions import db
from planner.models import FrameworkVersion, Plan
from planner.widgets import STALE_CHECK_MESSAGE
from tests.conftest import fill_user_data, save_notes
from tests.test_editor import _role_form


def test_notes_without_their_revision_are_refused(app, client, make_user, login):
    make_user()
    login()
    plan = fill_user_data(client)
    save_notes(client, plan, "first")
    for data in ({"notes": "overwrite"}, {"notes": "overwrite", "revision": "x"}):
        response = client.post(plan + "/notes", data=data)
        assert response.status_code == 400
        assert STALE_CHECK_MESSAGE in html.unescape(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(sa.select(Plan.private_notes)) == "first"


def _versions(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(FrameworkVersion.id)))


def test_framework_saves_without_their_base_version_are_refused(app, client, make_user, login):
    make_user("editor@example.org", roles=("national_editor",))
    login("editor@example.org")
    form = _role_form(client, "senior_practitioner")
    form.update(title="Overwritten", note="x", positional="no")
    base = form.pop("base")
    text = client.get("/framework.yaml").get_data().replace(b"Senior practitioner", b"Other")
    before = _versions(app)
    attempts = [
        client.post("/framework/roles/senior_practitioner/edit", data=form),
        client.post(
            "/framework/import",
            data={"note": "x", "file": (io.BytesIO(text), "f.yaml")},
            content_type="multipart/form-data",
        ),
        client.post(f"/framework/versions/{base}/restore", data={}),
    ]
    for response in attempts:
        assert response.status_code in (400, 409), response.status_code
    for response in (attempts[0], attempts[2]):
        assert STALE_CHECK_MESSAGE in html.unescape(response.get_data(as_text=True))
    assert _versions(app) == before
    assert "Overwritten" not in client.get("/roles/senior_practitioner").get_data(as_text=True)
