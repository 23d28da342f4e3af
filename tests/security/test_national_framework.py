"""The national framework, shared by every organisation on a deployment, is edited only by a
national editor. Finding: any organisation's L&D could edit it, and one council planted
=HYPERLINK(...) in a national title that another council's export then carried."""

from __future__ import annotations

import html
import io

import sqlalchemy as sa

from planner.extensions import db
from planner.models import FrameworkVersion, User
from tests.test_editor import _role_form


def _versions(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(FrameworkVersion.id)))


def test_no_organisation_role_can_change_the_national_framework(
    app, client, make_user, make_org, login
):
    org = make_org()
    make_user("editor@example.org", roles=("national_editor",))
    login("editor@example.org")
    form = _role_form(client, "senior_practitioner")
    yaml_text = client.get("/framework.yaml").get_data()
    client.post("/logout")
    form.update(title='=HYPERLINK("http://evil.example")', note="x", positional="no")
    before = _versions(app)
    for roles in (("ld",), ("admin",), ("ld", "admin", "manager", "practitioner")):
        email = f"{'-'.join(roles)}@example.org"
        make_user(email, roles=roles, organisation_id=org)
        login(email)
        attempts = [
            client.get("/framework"),
            client.post("/framework/roles/senior_practitioner/edit", data=form),
            client.post("/framework/roles/new", data=form),
            client.post(
                "/framework/import",
                data={"base": form["base"], "note": "x", "file": (io.BytesIO(yaml_text), "f.yaml")},
                content_type="multipart/form-data",
            ),
            client.post(f"/framework/versions/{form['base']}/restore", data={"base": form["base"]}),
        ]
        assert [r.status_code for r in attempts] == [403] * 5, roles
        assert 'href="/framework"' not in client.get("/catalogue").get_data(as_text=True)
        client.post("/logout")
    assert _versions(app) == before
    assert "HYPERLINK" not in client.get("/roles/senior_practitioner").get_data(as_text=True)


def test_a_national_editor_can(app, client, make_user, login):
    make_user("editor@example.org", roles=("national_editor",))
    login("editor@example.org")
    assert 'href="/framework"' in client.get("/profile").get_data(as_text=True)  # in the menu
    page = client.get("/framework").get_data(as_text=True)
    assert "shared by every organisation" in page
    assert 'href="/catalogue"' not in page  # no links to pages a national editor cannot open
    form = _role_form(client, "senior_practitioner")
    form.update(title="Senior practitioner (national)", note="Renamed", positional="no")
    before = _versions(app)
    assert client.post("/framework/roles/senior_practitioner/edit", data=form).status_code == 302
    assert _versions(app) == before + 1


def test_an_organisations_administrator_cannot_grant_the_national_role(
    app, client, make_user, make_org, login
):
    org = make_org("Council", "Team")
    make_user("admin@example.org", roles=("admin",), organisation_id=org)
    login("admin@example.org")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "national_editor" not in page
    response = client.post(
        "/admin/users",
        data={
            "name": "Would Be",
            "email": "wouldbe@example.org",
            "roles": ["practitioner", "national_editor"],
            "team": "",
            "line_manager": "",
        },
    )
    assert "'national_editor' is not a valid choice" in html.unescape(
        response.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.scalar(sa.select(User).filter_by(email="wouldbe@example.org")) is None


def test_the_deployments_operator_grants_it_from_the_command_line(app, runner):
    result = runner.invoke(
        args=["create-user", "--email", "n@example.org", "--name", "N", "--role", "national_editor"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).filter_by(email="n@example.org"))
        assert user.roles == {"national_editor"} and user.organisation_id is None
