"""An administrator reads their own organisation's audit log and nothing else. Finding:
/admin/audit selected every organisation's events, so a second council's administrator read
"Priya Practitioner plan.create ... Plan to senior_practitioner made"."""

from __future__ import annotations

import sqlalchemy as sa

from planner.extensions import db
from planner.models import AuditEvent
from tests.conftest import fill_user_data
from tests.test_editor import _role_form


def _two_councils(make_user, make_org):
    first, second = make_org("First council"), make_org("Second council")
    make_user("admin1@example.org", name="Ada First-Admin", roles=("admin",), organisation_id=first)
    make_user("prac1@example.org", name="Pia First-Practitioner", organisation_id=first)
    make_user(
        "admin2@example.org", name="Bo Second-Admin", roles=("admin",), organisation_id=second
    )
    make_user("prac2@example.org", name="Sol Second-Practitioner", organisation_id=second)
    return first, second


def test_each_administrator_reads_only_their_organisations_events(
    app, client, make_user, make_org, login
):
    first, second = _two_councils(make_user, make_org)
    for email in ("prac1@example.org", "prac2@example.org"):
        login(email)
        fill_user_data(client)
        client.post("/logout")
    login("admin2@example.org")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Sol Second-Practitioner" in page and "plan.create" in page
    assert "Pia First-Practitioner" not in page and "First-Admin" not in page
    client.post("/logout")
    login("admin1@example.org")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Pia First-Practitioner" in page and "Sol Second-Practitioner" not in page
    with app.app_context():  # every event is in the log of the organisation it happened in
        by_actor = dict(
            db.session.execute(
                sa.select(AuditEvent.actor_name, AuditEvent.organisation_id).where(
                    AuditEvent.action == "plan.create"
                )
            ).all()
        )
    assert by_actor == {"Pia First-Practitioner": first, "Sol Second-Practitioner": second}


def test_national_framework_events_are_in_no_organisations_log(
    app, client, make_user, make_org, login
):
    _two_councils(make_user, make_org)
    make_user("editor@example.org", name="Eden National-Editor", roles=("national_editor",))
    login("editor@example.org")
    data = _role_form(client, "senior_practitioner")
    data.update(note="A national edit", positional="no")
    assert client.post("/framework/roles/senior_practitioner/edit", data=data).status_code == 302
    with app.app_context():
        saved = db.session.scalar(
            sa.select(AuditEvent).filter_by(action="framework.save").order_by(AuditEvent.id.desc())
        )
        assert saved.actor_name == "Eden National-Editor" and saved.organisation_id is None
    client.post("/logout")
    for admin in ("admin1@example.org", "admin2@example.org"):
        login(admin)
        page = client.get("/admin/audit").get_data(as_text=True)
        assert "National-Editor" not in page and "framework." not in page
        client.post("/logout")


def test_an_administrator_without_an_organisation_has_no_log_to_read(client, make_user, login):
    make_user("loose@example.org", roles=("admin",))
    login("loose@example.org")
    assert client.get("/admin/audit").status_code == 403


def test_any_page_number_gives_a_page(client, make_user, make_org, login):
    _two_councils(make_user, make_org)
    login("admin1@example.org")
    for page in ("0", "-3", "x", "2", "99999999999999999999999999", "9" * 5000):
        response = client.get("/admin/audit", query_string={"page": page})
        assert response.status_code == 200, page
        assert "account.create" in response.get_data(as_text=True), page  # a page with events
