"""Framework editing: every save validated and versioned; history, compare, restore;
YAML import and export; concurrent edits refused; plans told what changed."""

from __future__ import annotations

import html
import io

import pytest
import sqlalchemy as sa
import yaml

from planner.extensions import db
from planner.models import FrameworkVersion


@pytest.fixture
def editor(app, make_user, login, client):
    make_user("editor@example.org", roles=("national_editor",), current_role=None)
    login("editor@example.org")
    return client


def _current(app):
    with app.app_context():
        return db.session.scalar(sa.select(FrameworkVersion).filter_by(is_current=True))


def _count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(FrameworkVersion.id)))


def _role_form(client, slug):
    """The edit form's current values, as the browser would submit them."""
    page = client.get(f"/framework/roles/{slug}/edit").get_data(as_text=True)
    data = {}
    import re

    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        data[name] = html.unescape(value)
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        data[name] = chosen.group(1) if chosen else ""
    for name in re.findall(
        r'<input[^>]*name="(positional)"[^>]*value="(yes|no)"[^>]*checked', page
    ):
        data[name[0]] = name[1]
    for name in ("description", "responsibilities", "training_gap"):
        found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
        data[name] = html.unescape(found.group(1).strip())
    data.pop("csrf_token", None)
    return data


def test_editing_a_role_makes_a_new_version_and_keeps_the_old(app, editor):
    first = _current(app)
    data = _role_form(editor, "senior_practitioner")
    assert data["base"] == str(first.id) and data["title"] == "Senior practitioner"
    data.update(
        title="Senior practitioner (East)",
        req_vision="5",
        note="Vision matters more here",
        positional="no",
    )
    response = editor.post("/framework/roles/senior_practitioner/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    second = _current(app)
    assert second.id != first.id and second.based_on_id == first.id
    assert second.version.endswith("-r2") and second.note == "Vision matters more here"
    page = editor.get("/framework").get_data(as_text=True)
    assert "Vision matters more here" in page and "Editor" in page  # author's name
    # what changed
    diff = editor.get(f"/framework/compare?from={first.id}&to={second.id}").get_data(as_text=True)
    assert "Senior practitioner (East)" in diff and "Vision required level 3 → 5" in diff
    # the earlier version is still readable, and its file is unchanged
    assert editor.get(f"/framework/versions/{first.id}").status_code == 200
    with app.app_context():
        original = db.session.get(FrameworkVersion, first.id).document
    assert editor.get(f"/framework/versions/{first.id}.yaml").get_data(as_text=True) == original
    # and it can be made current again, after a confirmation page (one click changes nothing)
    for asked in (
        editor.get(f"/framework/versions/{first.id}/restore"),
        editor.post(f"/framework/versions/{first.id}/restore", data={"base": second.id}),
    ):
        page = asked.get_data(as_text=True)
        assert asked.status_code == 200 and "Make version" in page and "current again?" in page
        assert f'name="base" value="{second.id}"' in page and "Everyone using Pathways" in page
        assert _current(app).id == second.id
    response = editor.post(
        f"/framework/versions/{first.id}/restore", data={"base": second.id, "confirm": "yes"}
    )
    assert response.status_code == 302
    assert _current(app).id == first.id and _count(app) == 2
    assert "Senior practitioner (East)" not in editor.get("/roles/senior_practitioner").get_data(
        as_text=True
    )


def test_problems_are_shown_on_the_field_and_nothing_is_saved(app, editor):
    before = _count(app)
    base = str(_current(app).id)
    new_role = {
        "base": base,
        "slug": "duty_lead",
        "title": "Duty lead",
        "description": "Leads the duty team.",
        "track": "practice",
        "stage": "3",
        "positional": "no",
        "typical_years": "2",
        "responsibilities": "Leads the duty rota\nSupports newly qualified staff on duty",
        "note": "A new role",
        "source": "",
    }
    cases = [
        ({}, "source", "say where this role comes from"),
        (
            {"source": "East workforce plan 2026", "slug": "Bad Slug"},
            "slug",
            "must start with a lower-case",
        ),
        ({"source": "East workforce plan 2026", "slug": "team_manager"}, "slug", "already a role"),
        ({"source": "x", "typical_years": "three"}, "typical_years", "Not a valid decimal value"),
        ({"source": "x", "note": ""}, "note", "Say what changed and why"),
        # valid on its own, but no move leads to it: the engine's graph check says so
        ({"source": "East workforce plan 2026"}, None, "cannot be reached from 'student'"),
    ]
    for change, field, message in cases:
        response = editor.post("/framework/roles/new", data={**new_role, **change})
        body = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 400, change
        assert message in body, (change, message)
        assert "govuk-error-summary" in body
        if field:  # the message sits on the field (GOV.UK error message id "<field>-error")
            assert f'id="{field}-error"' in body, field
    assert _count(app) == before


def test_adding_a_role_with_a_move_into_it(app, editor):
    base = str(_current(app).id)
    data = {
        "base": base,
        "slug": "duty_lead",
        "title": "Duty lead",
        "description": "Leads the duty team.",
        "track": "practice",
        "stage": "3",
        "positional": "no",
        "typical_years": "2",
        "req_statutory_duties": "4",
        "note": "A new role and the move into it",
        "source": "East workforce plan 2026",
    }
    # first the move (it needs the role), so do it as one YAML edit: download, edit, import
    text = editor.get("/framework.yaml").get_data(as_text=True)
    doc = yaml.safe_load(text)
    doc["roles"].append(
        {
            "slug": "duty_lead",
            "title": "Duty lead",
            "description": "Leads the duty team.",
            "track": "practice",
            "stage": 3,
            "positional": False,
            "typical_years": 2,
            "requirements": {"statutory_duties": 4},
            "responsibilities": ["Leads the duty rota"],
            "sources": [{"cite": "East workforce plan 2026"}],
        }
    )
    doc["transitions"].append(
        {
            "from": "social_worker",
            "to": "duty_lead",
            "typical_years": 3,
            "supports": [],
            "sources": [{"cite": "East workforce plan 2026"}],
        }
    )
    response = editor.post(
        "/framework/import",
        data={
            "base": base,
            "note": data["note"],
            "file": (io.BytesIO(yaml.safe_dump(doc, sort_keys=False).encode()), "east.yaml"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    assert "Duty lead" in editor.get("/").get_data(as_text=True)
    # now edit the new move through the form
    response = editor.post(
        "/framework/transitions/social_worker/duty_lead/edit",
        data={
            "base": str(_current(app).id),
            "source_role": "social_worker",
            "target_role": "duty_lead",
            "typical_years": "2.5",
            "kind": "sideways",
            "supports": ["peer_rehearsal"],
            "pre0_type": "years_qualified",
            "pre0_min": "2",
            "pre0_strength": "required",
            "note": "Shorter wait",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    page = html.unescape(editor.get("/framework/compare").get_data(as_text=True))
    assert "Social worker to Duty lead" in page and "typical years: 3 → 2.5" in page
    assert "kind of move: progression → sideways" in page
    assert "prerequisites added: At least 2 years qualified" in page
    assert "supports added: Rehearsing scenarios with peers" in page  # peer_rehearsal's title


def test_removing_a_move_that_strands_a_role_is_refused(app, editor):
    before = _count(app)
    # the only way into the CSWO role is from head of service
    response = editor.post(
        "/framework/transitions/head_of_service/cswo/delete",
        data={"base": str(_current(app).id), "note": "Testing"},
    )
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "cannot be reached from 'student'" in body and "cswo" in body
    assert _count(app) == before


def test_editing_a_training_item_checks_its_link(app, editor):
    page = editor.get("/framework/training/mba/edit").get_data(as_text=True)
    assert "readonly" in page
    import re

    data = {
        "base": str(_current(app).id),
        "id": "mba",
        "title": "MBA (edited)",
        "kind": "academic",
        "mode": "qualification",
        "scope": "national",
        "capabilities": re.findall(r'name="capabilities"[^>]*value="([^"]+)"[^>]*checked', page),
        "roles": re.findall(r'name="roles"[^>]*value="([^"]+)"[^>]*checked', page),
        "sw_specific": "no",
        "status": "optional",
        "embedded": "no",
        "duration": "2 years",
        "link": "not a link",
        "note": "Retitled",
    }
    response = editor.post("/framework/training/mba/edit", data=data)
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and "is not a web address" in body
    data["link"] = "https://example.org/mba"
    assert editor.post("/framework/training/mba/edit", data=data).status_code == 302
    changes = editor.get("/framework/compare").get_data(as_text=True)
    assert "MBA (edited)" in changes and "link: none → https://example.org/mba" in changes


def test_a_second_editor_working_from_an_old_version_is_refused(app, editor):
    stale = _role_form(editor, "team_manager")  # both open the form on the same version
    fresh = dict(stale)
    fresh.update(title="Team manager (first edit)", note="First", positional="yes")
    assert editor.post("/framework/roles/team_manager/edit", data=fresh).status_code == 302
    count = _count(app)
    stale.update(title="Team manager (second edit)", note="Second", positional="yes")
    response = editor.post("/framework/roles/team_manager/edit", data=stale)
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "Someone else changed the framework while you were editing" in body
    assert "Team manager (second edit)" in body  # their typing is still on the page
    assert _count(app) == count
    assert "Team manager (first edit)" in editor.get("/roles/team_manager").get_data(as_text=True)
    # restoring from a stale page is refused the same way
    first = count - 1
    response = editor.post(
        f"/framework/versions/{first}/restore", data={"base": first, "confirm": "yes"}
    )
    assert response.status_code == 409


def test_yaml_import_reports_problems_by_line_and_changes_nothing(app, editor):
    before = _count(app)
    text = editor.get("/framework.yaml").get_data(as_text=True)
    broken = text.replace("track: practice", "track: practise", 1)
    response = editor.post(
        "/framework/import",
        data={
            "base": str(_current(app).id),
            "note": "x",
            "file": (io.BytesIO(broken.encode()), "f.yaml"),
        },
        content_type="multipart/form-data",
    )
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and "Nothing has been changed" in body
    assert "unknown track 'practise'" in body and "did you mean 'practice'" in body
    assert _count(app) == before
    # the unchanged file is recognised as the current version
    response = editor.post(
        "/framework/import",
        data={
            "base": str(_current(app).id),
            "note": "x",
            "file": (io.BytesIO(text.encode()), "f.yaml"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and _count(app) == before


def test_plans_keep_their_version_and_show_what_changed(app, client, make_user, login):
    make_user("prac@example.org")
    login("prac@example.org")
    location = client.post(
        "/plans",
        data={"target": "senior_practitioner", "route": "social_worker,senior_practitioner"},
    ).headers["Location"]
    plan_version = _current(app).id
    client.post("/logout")
    make_user("editor@example.org", roles=("national_editor",), current_role=None)
    login("editor@example.org")
    data = _role_form(client, "senior_practitioner")
    data.update(req_vision="5", note="Raise vision", positional="no")
    assert client.post("/framework/roles/senior_practitioner/edit", data=data).status_code == 302
    client.post("/logout")
    login("prac@example.org")
    page = html.unescape(client.get(location).get_data(as_text=True))
    assert "The framework has changed since you made this plan" in page
    changes = page[page.index('id="plan-changes"') :].split("</ul>")[0]
    assert "Vision required level 3 → 5" in changes
    with app.app_context():
        from planner.models import Plan

        assert db.session.scalar(sa.select(Plan.framework_version_id)) == plan_version
