"""A practitioner's journey in real Chromium: sign in, rate, plan, save, act, export.
axe-core runs on every page visited; screenshots are kept in tests/artifacts/."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.browser.conftest import check_accessibility
from tests.pdf import ROUTE_RED, assert_pages_render, colour_share, pdf_text, pdf_words

pytestmark = pytest.mark.browser
PASSWORD = "browser test password"


@pytest.fixture(scope="module")
def practitioner(live_server_app):
    from planner.auth.operations import create_user
    from planner.extensions import db
    from planner.models import Profile, User

    with live_server_app.app_context():
        existing = db.session.scalar(sa.select(User).filter_by(email="flow@example.org"))
        if existing is None:
            user = create_user(
                "Flo Practitioner", "flow@example.org", ["practitioner"], password=PASSWORD
            )
            profile = db.session.get(Profile, user.id)
            profile.current_role, profile.years_qualified, profile.line_management = (
                "social_worker",
                4,
                False,
            )
            db.session.commit()
    return "flow@example.org"


def sign_in(page, live_server, email, axe=True):
    page.goto(live_server + "/login?next=/profile")  # each role's own home is tested apart
    if axe:  # axe needs JavaScript in the page
        check_accessibility(page, "sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/profile")


def test_wrong_password_shows_an_accessible_error(page, live_server, practitioner):
    page.goto(live_server + "/login")
    page.fill("#email", practitioner)
    page.fill("#password", "not the password")
    page.click("button:has-text('Sign in')")
    assert page.locator(".govuk-error-summary").is_visible()
    assert (
        "Enter a correct email address and password"
        in page.locator(".govuk-error-summary").inner_text()
    )
    check_accessibility(page, "sign-in-error")


def test_full_planning_journey(page, live_server, practitioner, tmp_path):
    sign_in(page, live_server, practitioner)
    check_accessibility(page, "profile")

    # The self-assessment: one page, one save; two capabilities rated, the rest left unrated.
    page.goto(live_server + "/profile/ratings")
    check_accessibility(page, "ratings")
    assert page.locator("strong.govuk-tag:has-text('Not rated yet')").count() == 11
    page.locator("#rating-vision label:has-text('3 – Competent')").click()
    page.locator("#rating-research_evidence label:has-text('4 – Proficient')").click()
    page.locator("button:has-text('Save my ratings')").click()
    page.locator(".govuk-notification-banner:has-text('Saved 2 ratings')").wait_for()
    assert page.locator("#rating-vision strong.govuk-tag:has-text('Rated 3')").count() == 1
    assert page.locator("strong.govuk-tag:has-text('Not rated yet')").count() == 9
    check_accessibility(page, "ratings-saved")

    # Choose a target: the planner swaps in the routes (htmx) and updates the address.
    page.goto(live_server + "/planner")
    check_accessibility(page, "planner-options")
    page.select_option("#target", "consultant_social_worker")
    page.click("button:has-text('Show routes')")
    page.locator("h2:has-text('Routes to Consultant social worker')").wait_for()
    assert "target=consultant_social_worker" in page.url
    assert page.locator("svg.role-map .edge.on-route").count() >= 2
    assert page.locator("svg.role-map .badge").count() >= 2
    assert page.locator(".app-card").count() == 7
    assert page.locator("table:has-text('Capability gaps')").count() >= 1
    check_accessibility(page, "planner-route")

    # Save the route as a plan, add a mentoring action and mark it done (htmx row swap).
    page.click("button:has-text('Save this route as my plan')")
    page.wait_for_url("**/plans/*")
    check_accessibility(page, "plan-new")
    page.locator(".app-steps button:has-text('Add to plan')").first.click()
    page.wait_for_url("**/plans/*")
    assert "0 of 1 action done" in page.locator("#progress").inner_text()
    page.locator("button:has-text('Mark done')").first.click()
    page.locator("td strong.govuk-tag--green:has-text('Done')").wait_for()
    # The count and the bar follow at once, without a reload (they once stayed stale).
    page.locator("#progress:has-text('1 of 1 action done')").wait_for()
    assert page.locator("progress").get_attribute("value") == "1"
    assert page.locator("#plan-progress").count() == 1
    page.reload()
    assert "1 of 1 action done" in page.locator("#progress").inner_text()
    check_accessibility(page, "plan-progress")

    # Print view hides navigation and forms; the PDF downloads.
    page.emulate_media(media="print")
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert not page.locator("button:has-text('Mark')").first.is_visible()
    page.emulate_media(media="screen")
    title = page.locator("h1").inner_text().split("\n")[-1]
    action, step = page.locator("tr[id^='item-'] td").all_inner_texts()[:2]
    with page.expect_download() as download_info:
        page.click("a:has-text('Download this plan as a PDF')")
    path = tmp_path / "plan.pdf"
    download_info.value.save_as(path)
    words = pdf_words(path.read_bytes())
    assert title == "Consultant social worker (senior expert / advisory)" and title in words
    assert "Social worker → Research practitioner (hybrid) → Consultant social worker" in words
    assert "1 of 1 actions done." in words
    lines = [" ".join(line.split()) for line in pdf_text(path.read_bytes()).splitlines()]
    assert f"{action.splitlines()[0]} {step} Done" in lines  # action, step, no due date, status
    pages = assert_pages_render(path.read_bytes(), tmp_path)
    assert max(colour_share(p, ROUTE_RED) for p in pages) > 0.0005  # the map, drawn

    # My data page.
    page.goto(live_server + "/account")
    check_accessibility(page, "my-data")
    page.goto(live_server + "/plans")
    check_accessibility(page, "plans")
    page.goto(live_server + "/profile/training")
    check_accessibility(page, "training")


def test_the_planner_works_without_javascript(browser, live_server, practitioner):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, practitioner, axe=False)
        page.goto(live_server + "/planner")
        page.select_option("#target", "senior_practitioner")
        page.click("button:has-text('Show routes')")
        page.locator("h2:has-text('Routes to Senior practitioner')").wait_for()
        page.goto(live_server + "/profile/ratings")
        page.locator("#rating-vision label:has-text('2 – Advanced beginner')").click()
        page.locator("button:has-text('Save my ratings')").click()
        page.locator(".govuk-notification-banner:has-text('Saved 1 rating: Vision 2')").wait_for()
    finally:
        context.close()


def test_admin_invites_someone(browser, live_server, live_server_app):
    from planner.auth.operations import create_user
    from planner.extensions import db
    from planner.models import Organisation, Team, User

    with live_server_app.app_context():
        if db.session.scalar(sa.select(User).filter_by(email="boss@example.org")) is None:
            org = Organisation(name="Browser Council")
            db.session.add_all([org, Team(name="North", organisation=org)])
            db.session.commit()
            create_user(
                "Bo Admin", "boss@example.org", ["admin"], password=PASSWORD, organisation_id=org.id
            )
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, live_server, "boss@example.org")
        page.goto(live_server + "/admin/users")
        check_accessibility(page, "admin-users")
        page.click("summary:has-text('Invite someone')")
        page.fill("#name", "Ina Invited")
        page.fill("#email", "ina@example.org")
        page.select_option("#team", label="North")
        page.click("button:has-text('Make an invitation link')")
        link = page.locator("#invite-link").inner_text()
        assert "/invitations/" in link
        assert page.locator("caption:has-text('Invited, not joined yet')").is_visible()
        check_accessibility(page, "admin-invited")
        page.goto(live_server + "/admin/audit")
        assert page.locator("td:has-text('invited someone to Pathways')").count() >= 1
        check_accessibility(page, "admin-audit")
    finally:
        context.close()
    # the invitee opens the link in their own browser and chooses a password
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(link)
        check_accessibility(page, "invitation-accept")
        page.fill("#password", "ina's own long passphrase 2026")
        page.fill("#confirm", "ina's own long passphrase 2026")
        page.click("button:has-text('Set password')")
        page.locator(".govuk-notification-banner:has-text('Your account is ready')").wait_for()
    finally:
        context.close()
