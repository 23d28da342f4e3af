"""The learning record in real Chromium: an entry added with the keyboard-friendly form,
shown under its year, and axe-core clean before and after."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_accessibility
from tests.browser.test_planner_flow import practitioner, sign_in  # noqa: F401 (fixture)

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
