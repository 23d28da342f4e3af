"""The learning record in real Chromium: an entry added with the keyboard-friendly form,
shown under its year, and axe-core clean before and after."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.browser.conftest import check_accessibility
from tests.browser.test_planner_flow import PASSWORD, practitioner, sign_in  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_learning_record_entry_is_added(page, live_server, practitioner):  # noqa: F811
    sign_in(page, live_server, practitioner, axe=False)
    page.goto(live_server + "/profile/learning")
    check_accessibility(page, "learning")
    if not page.locator("#title").is_visible():  # the form opens by itself when empty
        page.click("summary:has-text('Add learning')")
    page.fill("#title", "Shadowed the duty senior")
    page.fill("#learned_on-day", "2")
    page.fill("#learned_on-month", "11")
    page.fill("#learned_on-year", "2026")
    page.check("input[name=kind][value=shadowing]")
    page.check("input[name=capabilities][value=statutory_duties]")
    page.fill("#reflection", "I know the duty rota's escalation steps now.")
    page.click("button:has-text('Save to my learning record')")
    page.locator(".govuk-notification-banner:has-text('Added to your learning record')").wait_for()
    entry = page.locator("li[id^='entry-']:has-text('Shadowed the duty senior')")
    assert "develops Legal and statutory duties" in entry.inner_text()
    check_accessibility(page, "learning-saved")


@pytest.fixture(scope="module")
def verifying_pair(live_server_app):
    from planner.auth.operations import create_user
    from planner.extensions import db
    from planner.models import Organisation, User

    with live_server_app.app_context():
        if db.session.scalar(sa.select(User).filter_by(email="vera@example.org")) is None:
            org = Organisation(name="Verification council")
            db.session.add(org)
            db.session.flush()
            boss = create_user(
                "Vera Verifier",
                "vera@example.org",
                ["manager"],
                password=PASSWORD,
                organisation_id=org.id,
            )
            create_user(
                "Rory Registrant",
                "rory@example.org",
                ["practitioner"],
                password=PASSWORD,
                organisation_id=org.id,
                line_manager_id=boss.id,
            )
            db.session.commit()
    return "rory@example.org", "vera@example.org"


def test_the_line_manager_verifies_an_entry_without_javascript(
    browser, page, live_server, verifying_pair
):
    """The practitioner tags an entry and asks for verification (axe on each page); the
    manager verifies it in a browser with JavaScript off; the practitioner sees who and when."""
    member, boss = verifying_pair
    sign_in(page, live_server, member, axe=False)
    page.goto(live_server + "/profile/learning")
    if not page.locator("#title").is_visible():
        page.click("summary:has-text('Add learning')")
    page.fill("#title", "Adult support and protection refresher")
    page.fill("#learned_on-day", "2")
    page.fill("#learned_on-month", "11")
    page.fill("#learned_on-year", "2026")
    page.check("input[name=kind][value=course]")
    page.check("input[name=topics][value=adult_protection]")
    page.fill("#reflection", "I check capacity before the case conference now.")
    page.click("button:has-text('Save to my learning record')")
    page.click("button:has-text('Ask Vera Verifier to verify')")
    page.locator(".govuk-notification-banner:has-text('Vera Verifier has been asked')").wait_for()
    assert "Waiting for verification" in page.locator("li[id^='entry-']").inner_text()
    check_accessibility(page, "learning-asked")
    page.click("button:has-text('Sign out')")

    context = browser.new_context(java_script_enabled=False)
    nojs = context.new_page()
    try:
        sign_in(nojs, live_server, boss, axe=False)
        nojs.goto(live_server + "/team")
        nojs.click("a:has-text('1 learning record entry waiting for you to verify')")
        section = nojs.locator("section:has-text('Adult support and protection refresher')")
        assert "I check capacity before the case conference now." in section.inner_text()
        section.locator("label:has-text('Return it unverified')").click()
        section.locator("button:has-text('Save my decision')").click()
        nojs.locator(
            ".govuk-error-summary:has-text('Write a note saying what is missing')"
        ).wait_for()
        nojs.locator("label:has-text('Verify: this learning took place')").click()
        nojs.locator("button:has-text('Save my decision')").click()
        nojs.locator(".govuk-notification-banner:has-text('Verified Rory Registrant')").wait_for()
    finally:
        context.close()
    sign_in(page, live_server, boss, axe=False)
    page.goto(live_server + "/team/learning")
    check_accessibility(page, "team-learning")
    page.click("button:has-text('Sign out')")
    sign_in(page, live_server, member, axe=False)
    page.goto(live_server + "/profile/learning")
    entry = page.locator("li[id^='entry-']").inner_text()
    assert "Verified" in entry and "by Vera Verifier on" in entry
