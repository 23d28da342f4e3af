"""Learning and development in real Chromium: a CSV import with bad rows, then a good one;
the catalogue, coverage, insight and audit pages. axe-core runs on every page visited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.browser.conftest import check_accessibility
from tests.browser.test_planner_flow import PASSWORD, sign_in

pytestmark = pytest.mark.browser

HEADER = "id,title,kind,mode,capabilities,roles,sw_specific,status,embedded,duration"


@pytest.fixture(scope="module")
def ld_user(live_server_app):
    from planner.auth.operations import create_user
    from planner.extensions import db
    from planner.models import Organisation, User

    with live_server_app.app_context():
        if db.session.scalar(sa.select(User).filter_by(email="ldflow@example.org")) is None:
            org = Organisation(name="Browser council")
            db.session.add(org)
            db.session.commit()
            create_user(
                "Lee Learning",
                "ldflow@example.org",
                ["ld"],
                password=PASSWORD,
                organisation_id=org.id,
            )
    return "ldflow@example.org"


@pytest.fixture(scope="module")
def national_editor(live_server_app):
    """Edits the national framework for the whole deployment: in no organisation."""
    from planner.auth.operations import create_user
    from planner.extensions import db
    from planner.models import User

    with live_server_app.app_context():
        if db.session.scalar(sa.select(User).filter_by(email="editor@example.org")) is None:
            create_user("Eden Editor", "editor@example.org", ["national_editor"], password=PASSWORD)
    return "editor@example.org"


def test_csv_import_with_bad_rows_then_good(page, live_server, ld_user, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        (
            "\ufeff" + HEADER + "\r\n"
            "browser_ok,Fine course,training,course,vision,team_manager,yes,optional,no,1 day\r\n"
            "browser_bad,Bad course,trainnig,course,visoin,team_manager,yes,optional,no,1 day\r\n"
            ",,,,,,,,,\r\n"
        ).encode("utf-8")
    )
    good = tmp_path / "good.csv"
    good.write_bytes(
        bad.read_bytes().replace(b"trainnig", b"training").replace(b"visoin", b"vision")
    )
    sign_in(page, live_server, ld_user, axe=False)
    page.goto(live_server + "/catalogue")
    check_accessibility(page, "catalogue-empty")
    page.click("a:has-text('Import from CSV')")
    check_accessibility(page, "catalogue-import")
    page.set_input_files("input[type=file]", str(bad))
    page.click("button:has-text('Check and import')")
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Nothing has been changed" in summary.inner_text()
    problems = page.locator("#problems + table").inner_text()
    assert "trainnig" in problems and "visoin" in problems and "3" in problems
    assert "did you mean 'training'" in problems
    check_accessibility(page, "catalogue-import-errors")
    page.goto(live_server + "/catalogue")
    assert "Fine course" not in page.content()  # nothing half-imported

    page.click("a:has-text('Import from CSV')")
    page.set_input_files("input[type=file]", str(good))
    page.click("button:has-text('Check and import')")
    page.locator(".govuk-notification-banner:has-text('2 new items')").wait_for()
    assert page.locator("#main-content table").first.locator("tbody tr").count() == 2
    check_accessibility(page, "catalogue-imported")


def test_coverage_insight_and_audit_pages(page, live_server, ld_user):
    sign_in(page, live_server, ld_user, axe=False)
    page.goto(live_server + "/coverage")
    first = page.locator(".app-findings li").first.inner_text()
    assert "Senior social worker" in first and "Gap named in the sources" in first
    assert page.locator("svg.app-heatmap .cell").count() >= 15 * 11
    check_accessibility(page, "coverage")
    page.check("#sw_only")
    page.click("button:has-text('Apply')")
    page.wait_for_url("**sw_only=1**")
    assert page.locator("svg.app-heatmap .cov-generic").count() == 0
    check_accessibility(page, "coverage-sw-only")
    page.click("nav[aria-label='Learning and development'] a:has-text('Insight')")
    page.locator("h1:has-text('Organisation insight')").wait_for()
    check_accessibility(page, "insight-small-organisation")
    page.click("nav[aria-label='Learning and development'] a:has-text('Iriss audit')")
    assert page.locator("section.app-audit").count() == 7
    check_accessibility(page, "audit")
    page.emulate_media(media="print")
    assert not page.locator(".app-subnav").is_visible()
    assert page.locator("section.app-audit").first.is_visible()


def test_framework_edit_history_compare_and_restore(page, live_server, national_editor):
    sign_in(page, live_server, national_editor, axe=False)
    page.goto(live_server + "/framework")
    check_accessibility(page, "framework-versions")
    page.click("a[href$='/framework/roles/practice_educator/edit']")
    page.locator("h1:has-text('Change')").wait_for()
    check_accessibility(page, "framework-role-edit")
    # a bad value is shown on its field; nothing is saved
    page.fill("#typical_years", "three")
    page.fill("#note", "Longer in post")
    page.click("button:has-text('Save as a new version')")
    page.locator(".govuk-error-summary").wait_for()
    assert page.locator("#typical_years-error").is_visible()
    check_accessibility(page, "framework-role-error")
    page.fill("#typical_years", "4")
    page.click("button:has-text('Save as a new version')")
    page.locator(".govuk-notification-banner:has-text('Saved as version')").wait_for()
    page.click("a:has-text('What changed')")
    assert "typical years" in page.locator("main").inner_text()
    check_accessibility(page, "framework-compare")
    page.goto(live_server + "/framework")
    page.locator("a:has-text('Make current')").first.click()
    page.locator("h1:has-text('current again?')").wait_for()  # a confirmation page first
    check_accessibility(page, "framework-restore-confirm")
    page.locator("button:has-text('Yes, make version')").click()
    page.locator(".govuk-notification-banner:has-text('is current again')").wait_for()
    page.click("a:has-text('Import a framework file')")
    check_accessibility(page, "framework-import")


def test_insight_with_enough_staff_to_show(page, live_server, live_server_app):
    """The demo council (36 staff without logins): heatmaps, tables and hidden small counts."""
    from planner.demo import DEMO_PASSWORD, load_demo
    from planner.frameworks import current_framework

    with live_server_app.app_context():
        load_demo(current_framework())
    page.goto(live_server + "/login")
    page.fill("#email", "ld@demo.pathways")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/coverage")  # L&D's home after signing in
    page.goto(live_server + "/insight")
    assert page.locator("svg.app-heatmap").count() == 2
    assert page.locator("svg.app-heatmap .suppressed").count() >= 1
    assert "Demo staff" not in page.content() and "@demo.pathways" not in page.content()
    check_accessibility(page, "insight")


def test_answering_the_organisation_profile_changes_the_audit(page, live_server, ld_user):
    """Keyboard only: the L&D lead opens "What we offer", answers that the organisation keeps
    protected caseload time and the other supports recommendation 4 asks for, saves, and
    the audit's recommendation 4 turns from not assessed to met."""
    sign_in(page, live_server, ld_user, axe=False)
    page.goto(live_server + "/audit")
    rec4 = page.locator("a[href='#rec-4']").locator("xpath=../..").locator(".govuk-tag")
    assert rec4.inner_text() == "Not assessed"
    page.click("nav[aria-label='Learning and development'] a:has-text('What we offer')")
    page.locator("h1:has-text('What Browser council offers')").wait_for()
    check_accessibility(page, "organisation-profile")
    for name in (
        "offer_protected_caseload",
        "offer_secondment",
        "offer_cswo_duties_familiarisation",
        "offer_induction_plan",
        "fact_representation_above_team_leader",
    ):
        radio = page.locator(f"input[name='{name}'][value='yes']")
        radio.focus()
        page.keyboard.press("Space")
        assert radio.is_checked()
    page.locator("button:has-text('Save the answers')").focus()
    page.keyboard.press("Enter")
    page.locator(".govuk-notification-banner:has-text('5 answers saved')").wait_for()
    assert page.locator("text=Last answered by Lee Learning").count() == 5
    page.click("nav[aria-label='Learning and development'] a:has-text('Iriss audit')")
    rec4 = page.locator("a[href='#rec-4']").locator("xpath=../..").locator(".govuk-tag")
    assert rec4.inner_text() == "Met"
    check_accessibility(page, "audit-answered")
    page.goto(live_server + "/organisation/history")
    assert "5 answers given" in page.content()
    check_accessibility(page, "organisation-history")
