"""Joiners, movers and leavers: an administrator edits a person, deactivates a leaver (with a
successor for their reports) and reactivates them; the people list pages and filters; bulk
import and export of people as CSV and XLSX, checked whole with a dry run."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.models import AuditEvent, Team, User
from tests.conftest import PASSWORD


@pytest.fixture
def council(app, make_org, make_user):
    """A council with two teams, an administrator, two managers and two practitioners
    reporting to the first manager (one sharing a plan with her)."""
    from planner.models import Organisation

    org_id = make_org("Zenith council", "East", "West")
    with app.app_context():
        db.session.get(Organisation, org_id).email_domains = "zenith.gov.uk"
        teams = {t.name: t.id for t in db.session.scalars(sa.select(Team))}
        db.session.commit()
    ids = {"org": org_id, **teams}
    ids["admin"] = make_user(
        "admin@zenith.gov.uk", name="Ada Admin", roles=["admin"], organisation_id=org_id
    )
    for key, name in (("mia", "Mia Manager"), ("max", "Max Manager")):
        ids[key] = make_user(
            f"{key}@zenith.gov.uk",
            name=name,
            roles=["manager"],
            organisation_id=org_id,
            team_id=teams["East"],
        )
    for key, name in (("pat", "Pat Practitioner"), ("sam", "Sam Practitioner")):
        ids[key] = make_user(
            f"{key}@zenith.gov.uk",
            name=name,
            organisation_id=org_id,
            team_id=teams["East"],
            line_manager_id=ids["mia"],
        )
    return ids


def _share_a_plan(client, login, email="pat@zenith.gov.uk") -> str:
    login(email)
    location = client.post(
        "/plans",
        data={"target": "senior_practitioner", "route": "social_worker,senior_practitioner"},
    ).headers["Location"]
    client.post(location + "/share", data={"share": "1"})
    client.post("/logout")
    return location.rsplit("/", 1)[-1]


def _events(app, action: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.summary).filter_by(action=action)))


def test_an_administrator_moves_a_person_and_every_change_is_logged(app, client, council, login):
    login("admin@zenith.gov.uk")
    page = client.get(f"/admin/users/{council['pat']}").get_data(as_text=True)
    assert "Pat Practitioner" in page and "Max Manager (max@zenith.gov.uk)" in page
    response = client.post(
        f"/admin/users/{council['pat']}",
        data={
            "team": str(council["West"]),
            "line_manager": str(council["max"]),
            "roles": ["practitioner", "manager"],
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Team changed from East to West" in page
    with app.app_context():
        pat = db.session.get(User, council["pat"])
        assert (pat.team.name, pat.line_manager_id, pat.roles) == (
            "West",
            council["max"],
            {"practitioner", "manager"},
        )
    changes = _events(app, "account.update")
    assert "Team changed from East to West" in changes
    assert f"Line manager changed from account {council['mia']} to account {council['max']}" in (
        changes
    )
    assert "Roles added manager" in changes
    # no names in the log (it outlives erasure): teams and roles only
    assert not any("Mia" in c or "Max" in c for c in changes)


def test_a_person_cannot_manage_themselves_or_be_given_a_manager_from_elsewhere(
    app, client, council, login, make_org, make_user
):
    other_org = make_org("Elsewhere council")
    stranger = make_user("boss@elsewhere.org", roles=["manager"], organisation_id=other_org)
    login("admin@zenith.gov.uk")
    for manager, message in (
        (council["mia"], "A person cannot be their own line manager"),
        (stranger, "Choose an active manager in your organisation"),
    ):
        page = client.post(
            f"/admin/users/{council['mia']}",
            data={"team": "", "line_manager": str(manager), "roles": ["manager"]},
        ).get_data(as_text=True)
        assert message in page
    with app.app_context():
        assert db.session.get(User, council["mia"]).line_manager_id is None
    page = client.post(
        f"/admin/users/{council['admin']}", data={"team": "", "line_manager": "", "roles": ["ld"]}
    ).get_data(as_text=True)
    assert "You cannot remove your own administrator role" in page


def test_a_leaver_is_deactivated_and_their_reports_and_shared_plans_follow_the_successor(
    app, client, council, login
):
    plan_id = _share_a_plan(client, login)
    login("mia@zenith.gov.uk")  # Mia is signed in on another computer when she leaves
    mia_browser = client
    assert mia_browser.get(f"/team/plans/{plan_id}").status_code == 200
    admin = app.test_client()
    admin.post("/login", data={"email": "admin@zenith.gov.uk", "password": PASSWORD})
    page = admin.get(f"/admin/users/{council['mia']}/leave").get_data(as_text=True)
    assert "They line manage 2 people: Pat Practitioner, Sam Practitioner" in page
    today = date.today()
    # a successor is required while she line manages anyone
    page = admin.post(
        f"/admin/users/{council['mia']}/leave",
        data={"left_on": [str(today.day), str(today.month), str(today.year)], "successor": ""},
    ).get_data(as_text=True)
    assert "Choose who takes on the people this person line manages" in page
    with app.app_context():
        assert db.session.get(User, council["mia"]).active
    # not a future date
    later = today + timedelta(days=7)
    page = admin.post(
        f"/admin/users/{council['mia']}/leave",
        data={
            "left_on": [str(later.day), str(later.month), str(later.year)],
            "successor": str(council["max"]),
        },
    ).get_data(as_text=True)
    assert "The last day must be today or earlier" in page
    response = admin.post(
        f"/admin/users/{council['mia']}/leave",
        data={
            "left_on": [str(today.day), str(today.month), str(today.year)],
            "successor": str(council["max"]),
        },
    )
    assert response.status_code == 302
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "The 2 people they line managed now report to Max Manager" in page
    assert "Reactivate their account" in page
    # her open session ended at once, and she cannot sign in again
    assert mia_browser.get("/profile").status_code == 302
    assert (
        app.test_client()
        .post("/login", data={"email": "mia@zenith.gov.uk", "password": PASSWORD})
        .status_code
        == 200
    )
    # the shared plan followed Pat to Max
    max_browser = app.test_client()
    max_browser.post("/login", data={"email": "max@zenith.gov.uk", "password": PASSWORD})
    team = max_browser.get("/team").get_data(as_text=True)
    assert "Pat Practitioner" in team
    assert max_browser.get(f"/team/plans/{plan_id}").status_code == 200
    # she is gone from the active list and the line manager pickers
    people = admin.get("/admin/users").get_data(as_text=True)
    assert "Mia Manager" not in people
    assert "Mia Manager" in admin.get("/admin/users?status=left").get_data(as_text=True)
    assert "mia@zenith.gov.uk" not in admin.get(f"/admin/users/{council['sam']}").get_data(
        as_text=True
    )
    summary = _events(app, "account.deactivate")[-1]
    assert summary == (
        f"Account deactivated: left on {today.isoformat()}; 2 direct report(s) handed to "
        f"account {council['max']}"
    )
    # and she comes back
    admin.post(f"/admin/users/{council['mia']}/reactivate")
    assert (
        app.test_client()
        .post("/login", data={"email": "mia@zenith.gov.uk", "password": PASSWORD})
        .status_code
        == 302
    )
    with app.app_context():
        mia = db.session.get(User, council["mia"])
        assert mia.active and mia.left_on is None
        # her former reports stay with Max
        assert db.session.get(User, council["pat"]).line_manager_id == council["max"]


def test_a_leavers_shared_plan_is_closed_to_their_manager(app, client, council, login):
    plan_id = _share_a_plan(client, login)
    login("admin@zenith.gov.uk")
    today = date.today()
    client.post(
        f"/admin/users/{council['pat']}/leave",
        data={"left_on": [str(today.day), str(today.month), str(today.year)]},
    )
    client.post("/logout")
    login("mia@zenith.gov.uk")
    assert "Pat Practitioner" not in client.get("/team").get_data(as_text=True)
    assert client.get(f"/team/plans/{plan_id}").status_code == 404


def test_an_administrator_cannot_mark_themselves_as_leaving(app, client, council, login):
    login("admin@zenith.gov.uk")
    today = date.today()
    page = client.post(
        f"/admin/users/{council['admin']}/leave",
        data={"left_on": [str(today.day), str(today.month), str(today.year)]},
    ).get_data(as_text=True)
    assert "You cannot mark yourself as a leaver" in page
    with app.app_context():
        assert db.session.get(User, council["admin"]).active


def test_the_people_list_pages_and_filters(app, client, council, login, make_user):
    from planner.auth.operations import create_user

    with app.app_context():  # no passwords: hashing 55 of them took most of this test's time
        for i in range(55):
            create_user(
                f"Person {i:02d}",
                f"p{i:02d}@zenith.gov.uk",
                ["practitioner"],
                organisation_id=council["org"],
                team_id=council["West"],
                commit=False,
            )
        db.session.commit()
    login("admin@zenith.gov.uk")
    first = client.get("/admin/users").get_data(as_text=True)
    assert "60 people, page 1 of 2" in first and 'rel="next"' in first
    assert first.index('id="invite"') < first.index("60 people")  # the invite form first
    second = client.get("/admin/users?page=2").get_data(as_text=True).split("<tbody")[1]
    assert "Sam Practitioner" in second and "Ada Admin" not in second
    west = client.get(f"/admin/users?team={council['West']}").get_data(as_text=True)
    assert "55 people" in west and "Pat Practitioner" not in west
    managers = client.get("/admin/users?role=manager").get_data(as_text=True)
    assert "2 people" in managers and "Mia Manager" in managers and "Person 00" not in managers
    nobody = client.get("/admin/users?status=left").get_data(as_text=True)
    assert "No one matches these filters" in nobody
    # nonsense in the query string is ignored, never an error
    assert client.get("/admin/users?team=zz&role=boss&status=x&page=-4").status_code == 200


# --- bulk import and export -------------------------------------------------------------

HEADER = "email,name,team,line_manager_email,roles,status,left_on\n"


def _check(client, content: bytes | str, filename="people.csv"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post(
        "/admin/users/import",
        data={"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def _confirm(client, page: str):
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    assert fields.get("confirm") == "yes", "the check offered no import"
    return client.post("/admin/users/import", data=fields)


def test_an_import_is_checked_whole_and_names_line_and_column(app, client, council, login):
    login("admin@zenith.gov.uk")
    response = _check(
        client,
        HEADER
        + "new1@zenith.gov.uk,New One,North,mia@zenith.gov.uk,practitioner,,\n"
        + "new2@zenith.gov.uk,,East,,,,\n"
        + "pat@zenith.gov.uk,,East,sam@zenith.gov.uk,,,\n"
        + "outsider@gmail.com,Out Sider,,,,,\n"
        + "new1@zenith.gov.uk,Again,,,,,\n"
        + "new3@zenith.gov.uk,Three,,,boss,,\n"
        + "max@zenith.gov.uk,,,,,left,31/02/2026\n",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for problem in (
        "line 3: name: enter the new person&#39;s full name",
        "line 4: line_manager_email: sam@zenith.gov.uk is not a manager",
        "line 5: email: new people are added only at @zenith.gov.uk",
        "line 6: email: new1@zenith.gov.uk is also on line 2",
        "line 7: roles: &#39;boss&#39; is not a role",
        "line 8: left_on: &#39;31/02/2026&#39; is not a date",
    ):
        assert problem in page, problem
    assert "Nothing has been changed" in page
    with app.app_context():
        assert db.session.scalar(sa.select(User).filter_by(email="new1@zenith.gov.uk")) is None
        assert db.session.scalar(sa.select(Team).filter_by(name="North")) is None


def test_an_import_shows_what_it_would_change_then_does_exactly_that(app, client, council, login):
    plan_id = _share_a_plan(client, login)
    login("admin@zenith.gov.uk")
    today = date.today().isoformat()
    csv_text = (
        HEADER
        + "lee@zenith.gov.uk,Lee Lead,North,,manager;practitioner,,\n"
        + "new@zenith.gov.uk,New Person,North,lee@zenith.gov.uk,,,\n"
        + "pat@zenith.gov.uk,,North,lee@zenith.gov.uk,,,\n"
        + "sam@zenith.gov.uk,,East,max@zenith.gov.uk,,,\n"
        + f"mia@zenith.gov.uk,,East,,manager,left,{today}\n"
    )
    page = _check(client, csv_text).get_data(as_text=True)
    assert "What importing people.csv would change" in page
    assert "2 to add, 2 to change, 1 leaving, 0 returning, 0 unchanged; new team: North" in page
    assert "team: East → North" in page
    assert f"leaves: last day {today}" in page
    with app.app_context():  # the dry run wrote nothing
        assert db.session.scalar(sa.select(User).filter_by(email="lee@zenith.gov.uk")) is None
        assert db.session.get(User, council["mia"]).active
    done = _confirm(client, page)
    assert done.status_code == 302
    assert "Imported people.csv: 2 added, 2 changed, 1 left, 0 returned" in client.get(
        "/admin/users"
    ).get_data(as_text=True)
    with app.app_context():
        lee = db.session.scalar(sa.select(User).filter_by(email="lee@zenith.gov.uk"))
        new = db.session.scalar(sa.select(User).filter_by(email="new@zenith.gov.uk"))
        pat = db.session.get(User, council["pat"])
        assert lee.roles == {"manager", "practitioner"} and lee.team.name == "North"
        assert new.line_manager_id == lee.id and new.organisation_id == council["org"]
        assert (pat.team.name, pat.line_manager_id) == ("North", lee.id)
        assert not db.session.get(User, council["mia"]).active
    summary = _events(app, "account.import")[-1]
    assert summary == "People imported: 2 added, 2 changed, 1 left, 0 returned, 1 team(s) made"
    # Pat's shared plan went with Pat to Lee, who can sign in by single sign-on or a link
    assert client.get("/admin/users/export.csv").status_code == 200
    with app.app_context():
        from planner.team.operations import shared_plan

        assert shared_plan(db.session.get(User, lee.id), int(plan_id)) is not None


def test_a_leaver_whose_reports_have_no_new_manager_is_refused(app, client, council, login):
    login("admin@zenith.gov.uk")
    page = _check(client, HEADER + "mia@zenith.gov.uk,,,,,left,\n").get_data(as_text=True)
    assert (
        "line 2: status: mia@zenith.gov.uk line manages 2 people; give them a new "
        "line_manager_email in this file first"
    ) in page


def test_export_then_import_changes_nothing_in_csv_and_xlsx(app, client, council, login):
    login("admin@zenith.gov.uk")
    for fmt in ("csv", "xlsx"):
        exported = client.get(f"/admin/users/export.{fmt}")
        assert exported.status_code == 200
        assert f"pathways-people.{fmt}" in exported.headers["Content-Disposition"]
        page = _check(client, exported.data, f"people.{fmt}").get_data(as_text=True)
        assert "there is nothing to import" in page, fmt
        assert "0 to add, 0 to change, 0 leaving, 0 returning, 5 unchanged" in page


def test_an_xlsx_import_is_read(app, client, council, login):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Email", "Name", "Team", "Roles"])
    sheet.append(["xl@zenith.gov.uk", "Excel Person", "West", "Learning and development"])
    sheet.append(["pat@zenith.gov.uk", None, "West", None])
    out = io.BytesIO()
    book.save(out)
    login("admin@zenith.gov.uk")
    page = _check(client, out.getvalue(), "staff.xlsx").get_data(as_text=True)
    assert "1 to add, 1 to change" in page
    assert _confirm(client, page).status_code == 302
    with app.app_context():
        person = db.session.scalar(sa.select(User).filter_by(email="xl@zenith.gov.uk"))
        assert person.roles == {"ld"} and person.team.name == "West"
        # no line_manager_email column: Pat keeps Mia
        assert db.session.get(User, council["pat"]).line_manager_id == council["mia"]


def test_an_unreadable_or_changed_import_is_refused(app, client, council, login):
    login("admin@zenith.gov.uk")
    page = _check(client, b"\x00\x01not a workbook", "people.xlsx").get_data(as_text=True)
    assert "file: this is not a readable XLSX workbook" in page
    page = _check(client, "mail,nom\nx,y\n").get_data(as_text=True)
    assert "line 1: columns: no email column" in page
    page = _check(client, b"\xff\xfe\x00bad", "people.csv").get_data(as_text=True)
    assert "save the CSV file as UTF-8" in page
    # checked, then someone changes Pat before the import is confirmed
    page = _check(client, HEADER + "pat@zenith.gov.uk,,West,mia@zenith.gov.uk,,,\n").get_data(
        as_text=True
    )
    with app.app_context():
        db.session.get(User, council["pat"]).team_id = council["West"]
        db.session.commit()
    changed = _confirm(client, page).get_data(as_text=True)
    assert "People have changed since you checked this file" in changed
    assert "there is nothing to import" in changed  # and the check shown again is current


def test_organisation_command_sets_domains_and_tenant(app, runner, council):
    from planner.models import Organisation

    result = runner.invoke(
        args=["organisation", "Zenith council", "--domain", "@Zenith.GOV.uk", "--sso-tenant", "t1"]
    )
    assert result.exit_code == 0, result.output
    assert "email domains zenith.gov.uk, single sign-on tenant t1" in result.output
    clash = runner.invoke(args=["organisation", "Other", "--domain", "zenith.gov.uk"])
    assert clash.exit_code != 0 and "already another organisation's domain" in clash.output
    made = runner.invoke(args=["organisation", "Nadir council", "--domain", "nadir.gov.uk"])
    assert made.exit_code == 0 and "Made Nadir council" in made.output
    user = runner.invoke(
        args=[
            "create-user",
            "--email",
            "first@nadir.gov.uk",
            "--name",
            "First Admin",
            "--organisation",
            "Nadir council",
        ]
    )
    assert user.exit_code == 0, user.output
    with app.app_context():
        nadir = db.session.scalar(sa.select(Organisation).filter_by(name="Nadir council"))
        first = db.session.scalar(sa.select(User).filter_by(email="first@nadir.gov.uk"))
        assert first.organisation_id == nadir.id and nadir.email_domains == "nadir.gov.uk"
