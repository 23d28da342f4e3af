"""The Content Security Policy (no inline script or style) holds in a real browser: pages and
htmx swaps raise no violation. Run without axe-core, which sets inline styles itself."""

from __future__ import annotations

import pytest

from tests.browser.test_planner_flow import practitioner, sign_in  # noqa: F401

pytestmark = pytest.mark.browser


def test_no_content_security_policy_violations(browser, live_server, practitioner):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda m: (
            violations.append(f"{page.url}: {m.text[:120]}")
            if "Content Security Policy" in m.text
            else None
        ),
    )
    try:
        sign_in(page, live_server, practitioner, axe=False)
        for path in ("/", "/roles/cswo", "/profile", "/plans", "/account"):
            page.goto(live_server + path)
        # htmx swaps: an inline rating, the planner's routes
        page.goto(live_server + "/profile/ratings")
        page.locator("#rating-vision label:has-text('2 – Advanced beginner')").click()
        page.locator("#rating-vision button").click()
        page.locator("#rating-vision [role=status]").wait_for()
        page.goto(live_server + "/planner")
        page.select_option("#target", "senior_practitioner")
        page.click("button:has-text('Show routes')")
        page.locator("h2:has-text('Routes to Senior practitioner')").wait_for()
        # GOV.UK Frontend's components run (details, error summary focus)
        page.goto(live_server + "/login")
    finally:
        context.close()
    assert violations == []
    assert page.is_closed()
