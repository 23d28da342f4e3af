"""The Content Security Policy (no inline script or style) holds in a real browser: pages and
htmx swaps raise no violation. Run without axe-core, which sets inline styles itself."""

from __future__ import annotations

import pytest

from tests.browser.test_planner_flow import practitioner, sign_in  # noqa: F401

pytestmark = pytest.mark.browser
PATHS = ("/", "/roles/cswo", "/profile", "/plans", "/account")


def _is_violation(message) -> bool:
    return "Content Security Policy" in message.text


def test_no_content_security_policy_violations(browser, live_server, practitioner):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    violations, policies = [], {}
    page.on(
        "console",
        lambda m: violations.append(f"{page.url}: {m.text[:120]}") if _is_violation(m) else None,
    )
    page.on(
        "response",
        lambda r: (
            policies.__setitem__(
                r.url.removeprefix(live_server), r.headers.get("content-security-policy")
            )
            if r.request.resource_type == "document" and r.status == 200
            else None
        ),
    )
    try:
        sign_in(page, live_server, practitioner, axe=False)
        for path in PATHS:
            page.goto(live_server + path)
        # the self-assessment's save, then htmx swaps: the planner's routes
        page.goto(live_server + "/profile/ratings")
        page.locator("#rating-vision label:has-text('2 – Advanced beginner')").click()
        page.locator("button:has-text('Save my ratings')").click()
        page.locator(".govuk-notification-banner").wait_for()  # saved, or nothing changed
        page.goto(live_server + "/planner")
        page.select_option("#target", "senior_practitioner")
        page.click("button:has-text('Show routes')")
        page.locator("h2:has-text('Routes to Senior practitioner')").wait_for()
        # GOV.UK Frontend's components run (details, error summary focus)
        page.goto(live_server + "/login")
        found = list(violations)
        # The listener does hear a violation: an inline style, as a template that broke the
        # policy would have, is refused and reported.
        with page.expect_console_message(_is_violation, timeout=5000):
            page.evaluate("document.head.insertAdjacentHTML('beforeend', '<style>p {}</style>')")
    finally:
        context.close()
    assert found == []
    assert len(violations) == 1 and "inline style" in violations[0]
    # every page was served under the policy that forbids inline script and style
    assert set(policies) >= {*PATHS, "/profile/ratings", "/planner"}
    assert any(path.startswith("/login") for path in policies)
    for path, policy in policies.items():
        assert policy and "script-src 'self';" in policy and "style-src 'self';" in policy, path
