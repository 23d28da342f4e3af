"""An administrator in real Chromium: moves a person to another team, marks a manager as
leaving (their report goes to a named successor), checks an import without saving it, and
finds the accessibility statement and privacy notice from the footer. axe-core runs on each
page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.browser.conftest import check_accessibility
from tests.browser.test_planner_flow import PASSWORD, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def council(live_server_app):
    from planner.auth.operations import create_user
    from planner.extensions import db
    from planner.models import Organisation, Team, User

    with live_server_app.app_context():
        if db.session.scalar(sa.select(User).filter_by(email="admin@people.gov.uk")) is None:
            org = Organisation(name="People council", email_domains="people.gov.uk")
            org.teams = [Team(name="North"), Team(name="South")]
            db.session.add(org)
            db.session.commit()
            north = org.teams[0].id
            create_user(
                "Ada Admin",
                "admin@people.gov.uk",
                ["admin"],
                password=PASSWORD,
                organisation_id=org.id,
            )
            leaving = create_user(
                "Lou Leaving",
                "lou@people.gov.uk",
                ["manager"],
                password=PASSWORD,
                organisation_id=org.id,
                team_id=north,
            )
            create_user(
                "Sid Successor",
                "sid@people.gov.uk",
                ["manager"],
                password=PASSWORD,
                organisation_id=org.id,
                team_id=north,
            )
            create_user(
                "Pat Report",
                "pat@people.gov.uk",
                ["practitioner"],
                password=PASSWORD,
                organisation_id=org.id,
                team_id=north,
                line_manager_id=leaving.id,
            )
    return "admin@people.gov.uk"


def test_an_administrator_moves_a_person_and_a_manager_leaves(page, live_server, council):
    sign_in(page, live_server, council, axe=False)
    page.get_by_role("link", name="People").first.click()
    check_accessibility(page, "people")
    page.get_by_label("Team").last.select_option(label="North")  # the filter, not the invite
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="Pat Report").click()
    check_accessibility(page, "person")
    page.get_by_label("Team", exact=True).select_option(label="South")
    page.get_by_role("button", name="Save changes").click()
    assert "Team changed from North to South" in page.inner_text(
        ".govuk-notification-banner, .app-flash, main"
    )

    page.get_by_role("link", name="People", exact=True).first.click()
    page.get_by_role("link", name="Lou Leaving").click()
    page.get_by_role("button", name="Lou Leaving is leaving").click()
    check_accessibility(page, "leaving")
    assert "They line manage 1 person: Pat Report" in page.inner_text("main")
    page.get_by_role("button", name="Deactivate their account").click()
    # no successor chosen: the error names the field, and focus can reach it from the summary
    summary = page.locator(".govuk-error-summary")
    assert "Choose who takes on the people this person line manages" in summary.inner_text()
    check_accessibility(page, "leaving-error")
    summary.get_by_role("link").first.click()
    page.keyboard.press("ArrowDown")  # a keyboard user picks the successor
    page.get_by_label("Who takes on the people they line manage").select_option(
        label="Sid Successor (sid@people.gov.uk)"
    )
    page.get_by_role("button", name="Deactivate their account").click()
    main = page.inner_text("main")
    assert "can no longer sign in" in main and "now report to Sid Successor" in main
    assert "Reactivate their account" in main
    # gone from the active list, there under Left
    page.get_by_role("link", name="People", exact=True).first.click()
    assert page.get_by_role("link", name="Lou Leaving").count() == 0
    page.get_by_label("Status").select_option(label="Left")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_role("link", name="Lou Leaving").count() == 1


def test_an_import_is_checked_before_anything_changes(page, live_server, council, tmp_path):
    sign_in(page, live_server, council, axe=False)
    page.goto(live_server + "/admin/users/import")
    check_accessibility(page, "people-import")
    bad = tmp_path / "people.csv"
    bad.write_text("email,name,team\nnew@people.gov.uk,,East\nstranger@gmail.com,Stranger,\n")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Check the file").click()
    problems = page.inner_text("#problems + ul")
    assert "line 2: name: enter the new person's full name" in problems
    assert "line 3: email: new people are added only at @people.gov.uk" in problems
    check_accessibility(page, "people-import-problems")
    good = tmp_path / "good.csv"
    good.write_text("email,name,team\nnew@people.gov.uk,Nell New,East\n")
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="Check the file").click()
    assert "1 to add, 0 to change" in page.inner_text("main")
    check_accessibility(page, "people-import-changes")
    page.get_by_role("button", name="Import these changes").click()
    assert "Imported good.csv: 1 added" in page.inner_text("main")


def test_the_statements_are_reachable_from_the_footer(page, live_server):
    page.goto(live_server + "/")
    page.locator("footer").get_by_role("link", name="Accessibility statement").click()
    assert page.locator("h1").inner_text() == "Accessibility statement for Pathways"
    check_accessibility(page, "accessibility-statement")
    page.locator("footer").get_by_role("link", name="Privacy notice").click()
    assert page.locator("h1").inner_text() == "Privacy notice"
    check_accessibility(page, "privacy-notice")
