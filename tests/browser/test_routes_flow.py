"""Choosing between routes in real Chromium, with and without JavaScript, and the planner
for visitors without an account."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.browser.conftest import check_accessibility

pytestmark = pytest.mark.browser
PASSWORD = "browser test password"


@pytest.fixture(scope="module")
def chooser(live_server_app):
    from planner.auth.operations import create_user
    from planner.extensions import db
    from planner.models import Profile, User

    email = "chooser@example.org"
    with live_server_app.app_context():
        if db.session.scalar(sa.select(User).filter_by(email=email)) is None:
            user = create_user("Chris Chooser", email, ["practitioner"], password=PASSWORD)
            profile = db.session.get(Profile, user.id)
            profile.current_role, profile.years_qualified, profile.line_management = (
                "senior_social_worker",
                6,
                False,
            )
            db.session.commit()
    return email


def _sign_in(page, live_server, email):
    page.goto(live_server + "/login?next=/profile")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/profile")


def _route_of_heading(page) -> list[str]:
    return page.locator("ol.app-route-list li a").all_inner_texts()


def test_compare_choose_and_save_a_route(page, live_server, chooser):
    _sign_in(page, live_server, chooser)
    page.goto(live_server + "/planner")
    page.select_option("#target", "consultant_social_worker")
    page.click("button:has-text('Show routes')")
    rows = page.locator("table.app-routes tbody tr")
    rows.first.wait_for()
    assert rows.count() == 3  # three distinct routes, compared side by side
    # a person who would rather not line-manage sees the route without it first
    assert rows.nth(0).locator("td[data-label='Line management']").inner_text() == "No"
    assert "Yes" in rows.nth(1).locator("td[data-label='Line management']").inner_text()
    second = rows.nth(1).locator(".app-routes__roles").inner_text().split(" → ")
    check_accessibility(page, "planner-compare")
    # choose route 2: htmx swaps the page in place, the address follows
    page.click("a:has-text('Choose route 2')")
    page.locator("h2#chosen:has-text('Route 2:')").wait_for()
    assert "route=1" in page.url
    assert _route_of_heading(page) == second
    assert page.locator("svg.role-map .edge.on-route").count() == len(second) - 1
    assert page.locator("svg.role-map .here:has-text('You are here')").count() == 1
    # the steps fold away; a choice is offered where the route branches
    assert page.locator("details.app-step").count() == len(second) - 1
    assert page.locator(".app-choice h4").first.inner_text().startswith("A choice at ")
    check_accessibility(page, "planner-route-2")
    page.click("button:has-text('Save this route as my plan')")
    page.wait_for_url("**/plans/*")
    assert page.locator("ol.app-steps > li").count() == len(second) - 1
    assert page.locator("h1").inner_text().endswith(second[-1])


def test_choosing_a_route_works_without_javascript(browser, live_server, chooser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    _sign_in(page, live_server, chooser)
    page.goto(live_server + "/planner?target=consultant_social_worker")
    third = page.locator("table.app-routes tbody tr").nth(2)
    roles = third.locator(".app-routes__roles").inner_text().split(" → ")
    page.click("a:has-text('Choose route 3')")
    page.wait_for_url("**route=2**")
    assert page.locator("h2#chosen").inner_text().startswith("Route 3:")
    assert _route_of_heading(page) == roles
    # without JavaScript every step is open (details elements need no script)
    page.click("button:has-text('Save this route as my plan')")
    page.wait_for_url("**/plans/*")
    assert page.locator("h1").inner_text().endswith(roles[-1])
    context.close()


def test_anyone_can_try_the_planner_from_a_role_page(page, live_server):
    page.goto(live_server + "/roles/team_manager")
    page.click("a:has-text('Plan a route here')")
    page.wait_for_url("**/planner/try?target=team_manager")
    check_accessibility(page, "try-start")
    page.select_option("#from", "social_worker")
    page.click("button:has-text('Show the routes')")
    page.locator("h2:has-text('Routes to Team manager')").wait_for()
    assert page.locator("table.app-routes tbody tr").count() >= 2
    assert "Nothing you choose here is saved" in page.content()
    assert page.locator("button:has-text('Save this route')").count() == 0
    page.click("a:has-text('Choose route 2')")
    page.locator("h2#chosen:has-text('Route 2:')").wait_for()
    assert "from=social_worker" in page.url
    check_accessibility(page, "try-route")
