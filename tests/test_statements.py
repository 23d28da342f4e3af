"""What a public body must publish and keep: the accessibility statement and privacy notice
(linked from every page, with each organisation's own contacts), and erasing leavers' records
after the retention period."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from planner.extensions import db
from planner.models import AuditEvent, Plan, User
from tests.conftest import fill_user_data


def test_the_statements_are_linked_from_every_page_footer(client, make_user, login):
    for url in ("/", "/login", "/roles/cswo"):
        footer = client.get(url).get_data(as_text=True).split("<footer", 1)[1]
        assert 'href="/accessibility"' in footer and 'href="/privacy"' in footer, url
    make_user()
    login()
    footer = client.get("/profile").get_data(as_text=True).split("<footer", 1)[1]
    assert 'href="/accessibility"' in footer and 'href="/privacy"' in footer


def test_the_accessibility_statement_has_what_the_regulations_expect(client):
    page = client.get("/accessibility").get_data(as_text=True)
    for heading in (
        "Accessibility statement for Pathways",
        "How accessible this service is",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assert heading in page, heading
    assert "partially compliant with the" in page and "2.2</a> AA standard" in page
    assert "Equality and Human Rights Commission (EHRC)" in page
    assert "plan and conversation PDFs are not tagged" in page  # a known issue, said plainly


def test_each_organisation_publishes_its_own_contacts(app, client, make_org, make_user, login):
    east = make_org("East council")
    west = make_org("West council")
    make_user("admin@east.gov.uk", roles=["admin"], organisation_id=east)
    make_user("staff@east.gov.uk", organisation_id=east)
    make_user("staff@west.gov.uk", organisation_id=west)
    login("staff@east.gov.uk")
    assert client.get("/admin/contact").status_code == 403
    before = client.get("/privacy").get_data(as_text=True)
    assert "East council is the controller" in before and "not published here yet" in before
    client.post("/logout")
    login("admin@east.gov.uk")
    bad = client.post("/admin/contact", data={"contact_email": "not an address"})
    assert "Enter an email address in the correct format" in bad.get_data(as_text=True)
    response = client.post(
        "/admin/contact",
        data={
            "contact_email": "Pathways@East.gov.uk",
            "data_protection_contact": "Data Protection Officer, dpo@east.gov.uk",
            "lawful_basis": "Article 6(1)(e): public task, staff development",
        },
    )
    assert response.status_code == 302
    client.post("/logout")
    login("staff@east.gov.uk")
    privacy = client.get("/privacy").get_data(as_text=True)
    assert "mailto:pathways@east.gov.uk" in privacy
    assert "Data protection officer: Data Protection Officer, dpo@east.gov.uk" in privacy
    assert "Article 6(1)(e): public task, staff development" in privacy
    assert "mailto:pathways@east.gov.uk" in client.get("/accessibility").get_data(as_text=True)
    client.post("/logout")
    login("staff@west.gov.uk")  # another organisation's staff see their own, not East's
    west_page = client.get("/privacy").get_data(as_text=True)
    assert "east.gov.uk" not in west_page and "West council is the controller" in west_page
    client.post("/logout")
    assert "east.gov.uk" not in client.get("/privacy").get_data(as_text=True)  # signed out
    with app.app_context():
        (summary,) = db.session.scalars(
            sa.select(AuditEvent.summary).filter_by(action="organisation.contact")
        ).all()
        assert "dpo@" not in summary


def _leaver(app, make_user, email: str, org: int, days_ago: int) -> int:
    user_id = make_user(email, organisation_id=org)
    with app.app_context():
        user = db.session.get(User, user_id)
        user.active, user.left_on = False, date.today() - timedelta(days=days_ago)
        db.session.commit()
    return user_id


def test_leavers_records_are_erased_after_the_retention_period(
    app, client, runner, make_org, make_user, login
):
    org = make_org("East council")
    make_user("kept@east.gov.uk", organisation_id=org)
    login("kept@east.gov.uk")
    fill_user_data(client)
    client.post("/logout")
    with app.app_context():
        kept = db.session.scalar(sa.select(User).filter_by(email="kept@east.gov.uk"))
        kept.active, kept.left_on = False, date.today() - timedelta(days=400)
        db.session.commit()
        kept_id = kept.id
    recent = _leaver(app, make_user, "recent@east.gov.uk", org, days_ago=30)
    dry = runner.invoke(args=["erase-leavers", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would erase 1 leaver account(s) whose last day was over 365 days ago" in dry.output
    assert f"account {kept_id} " in dry.output and f"account {recent} " not in dry.output
    with app.app_context():
        assert db.session.get(User, kept_id) is not None  # a dry run changes nothing
    done = runner.invoke(args=["erase-leavers"])
    assert "Erased 1 leaver account(s)" in done.output
    with app.app_context():
        assert db.session.get(User, kept_id) is None
        assert db.session.scalar(sa.select(Plan).filter_by(user_id=kept_id)) is None
        assert db.session.get(User, recent) is not None
        erased = db.session.scalars(sa.select(AuditEvent).filter_by(action="account.erase")).all()
        assert [(e.object_id, e.actor_name) for e in erased] == [(str(kept_id), "Deleted account")]
        assert "kept@" not in erased[0].summary and "retention period" in erased[0].summary
    # a shorter period set for the deployment reaches the recent leaver too
    assert "Erased 1 leaver" in runner.invoke(args=["erase-leavers", "--days", "10"]).output
