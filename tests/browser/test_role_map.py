"""The role map and role pages in a real browser: accessibility, keyboard, print."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_accessibility
from tests.pdf import MANAGEMENT_ROLE, OPEN_ROLE, assert_pages_render, colour_share, pdf_words

pytestmark = pytest.mark.browser


def test_map_is_accessible_and_shows_every_role(page, live_server, framework):
    page.goto(live_server + "/")
    assert page.locator("svg.role-map").is_visible()
    assert page.locator("svg.role-map a.node").count() == len(framework.roles)
    check_accessibility(page, "role-map")


def test_keyboard_user_reaches_a_role_page_from_the_map(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")  # skip link first
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    # Tab through to the first role in the picture (the student), then open it with Enter.
    for _ in range(10):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if label.startswith("Social work student"):
            break
    else:
        pytest.fail("the first role in the map never received keyboard focus")
    page.keyboard.press("Enter")
    page.wait_for_url("**/roles/student")
    assert page.locator("h1").inner_text() == "Social work student"


def test_role_pages_are_accessible(page, live_server):
    for slug in ("cswo", "senior_social_worker", "mental_health_officer"):
        page.goto(f"{live_server}/roles/{slug}")
        check_accessibility(page, f"role-{slug}")


def test_not_found_page_is_accessible(page, live_server):
    response = page.goto(live_server + "/roles/nobody")
    assert response.status == 404
    check_accessibility(page, "not-found")


def test_print_hides_navigation_and_keeps_the_map(page, live_server, framework, tmp_path):
    page.goto(live_server + "/")
    page.emulate_media(media="print")
    assert not page.locator(".govuk-header").is_visible()
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert page.locator("svg.role-map").is_visible()
    pdf = page.pdf()
    words = pdf_words(pdf)
    assert words.startswith("Role map")  # no skip link, header or navigation before it
    assert "Career pathways in social work, from student" not in words  # the header's tagline
    assert "Every role, requirement and training item cites its source" not in words  # footer
    for role in framework.roles.values():
        assert role.title in words, role.title
    pages = assert_pages_render(pdf, tmp_path)
    # the map is printed in its colours, both kinds of role box
    assert max(colour_share(p, OPEN_ROLE) for p in pages) > 0.002
    assert max(colour_share(p, MANAGEMENT_ROLE) for p in pages) > 0.002
