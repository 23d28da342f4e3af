"""A whole career conversation in real Chromium: the practitioner shares a plan, the line
manager rates, picks prompts, records notes and actions; the practitioner reads the record.
axe-core runs on every page visited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.browser.conftest import check_accessibility
from tests.browser.test_planner_flow import PASSWORD, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pair(live_server_app):
    from planner.auth.operations import create_user
    from planner.extensions import db
    from planner.models import Profile, User

    with live_server_app.app_context():
        if db.session.scalar(sa.select(User).filter_by(email="lm@example.org")) is None:
            boss = create_user("Lee Manager", "lm@example.org", ["manager"], password=PASSWORD)
            member = create_user(
                "Max Member",
                "max@example.org",
                ["practitioner"],
                password=PASSWORD,
                line_manager_id=boss.id,
            )
            profile = db.session.get(Profile, member.id)
            profile.current_role, profile.years_qualified = "social_worker", 5
            db.session.commit()
    return "max@example.org", "lm@example.org"


def _sign_out(page):
    page.click("button:has-text('Sign out')")


def test_full_career_conversation(page, live_server, pair):
    member, boss = pair
    # The practitioner saves a plan, keeps a private note and shares the plan.
    sign_in(page, live_server, member, axe=False)
    page.goto(live_server + "/planner?target=senior_practitioner")
    page.click("button:has-text('Save this route as my plan')")
    page.wait_for_url("**/plans/*")
    plan_url = page.url
    page.fill("#notes", "I am not sure I want to manage a team")
    page.click("button:has-text('Save my notes')")
    page.locator(".govuk-notification-banner:has-text('private notes are saved')").wait_for()
    page.click("button:has-text('Share with Lee Manager')")
    page.locator("strong.govuk-tag:has-text('Shared')").wait_for()
    check_accessibility(page, "plan-shared")
    _sign_out(page)

    # The manager finds the plan on the team page and opens the conversation.
    sign_in(page, live_server, boss, axe=False)
    page.goto(live_server + "/team")
    check_accessibility(page, "team")
    page.click("a:has-text('Max Member')")
    page.locator("h1:has-text('Max Member')").wait_for()
    assert "not sure I want to manage" not in page.content()
    assert page.locator(".app-card").count() == 7
    check_accessibility(page, "conversation")

    # Manager ratings alone: the button beside them saves them and makes no record.
    page.select_option("#rating_vision", "4")
    page.locator("button:has-text('Save ratings and conversation record')").first.click()
    page.locator(".govuk-notification-banner:has-text('Saved 1 rating')").wait_for()
    assert "No conversation record was made" in page.content()
    assert page.locator("#cap-vision").count() == 1

    # Prompts, notes and two agreed actions (keyboard: the details open with Enter). GOV.UK
    # Frontend first: it moves focus to the success banner when it starts, and would take
    # the Enter meant for the details if it started in between.
    page.locator("body.govuk-frontend-supported").wait_for(state="attached")
    page.locator("summary:has-text('Conversation prompts')").focus()
    page.keyboard.press("Enter")
    page.check("#prompt-nussbaum_2")
    page.check("#prompt-tool3_4")
    page.fill("#notes", "Interested in practice education before management.")
    page.fill("#actions-0-title", "Apply for the PLQ")
    page.fill("#actions-0-due-day", "31")
    page.fill("#actions-0-due-month", "5")
    page.fill("#actions-0-due-year", "2027")
    page.fill("#actions-1-title", "Find a practice educator mentor")
    page.select_option("#actions-1-kind", "mentoring")
    page.select_option("#actions-1-owner", "manager")
    # A rating changed up the page is saved with the record (one form: nothing lost).
    page.select_option("#rating_vision", "3")
    page.locator("button:has-text('Save ratings and conversation record')").last.click()
    page.locator(".govuk-notification-banner:has-text('and 1 rating saved')").wait_for()
    assert "Apply for the PLQ" in page.content() and "Active listening" in page.content()
    check_accessibility(page, "conversation-record")
    _sign_out(page)

    # The practitioner sees the record and the agreed actions on the plan.
    sign_in(page, live_server, member, axe=False)
    page.goto(plan_url)
    assert page.locator("tbody tr:has-text('Apply for the PLQ')").count() == 1
    assert (
        page.locator(
            "tbody tr:has-text('Find a practice educator mentor') td:has-text('line manager')"
        ).count()
        == 1
    )
    page.click("#conversations + ul a")
    page.locator("text=Interested in practice education").wait_for()
    check_accessibility(page, "conversation-record-practitioner")
    # The practitioner answers: a comment and the acknowledgement, by keyboard.
    page.locator("#comment").focus()
    page.keyboard.type("Happy with this; shadowing first would help.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator(
        ".govuk-notification-banner:has-text('You have acknowledged the record')"
    ).wait_for()
    assert page.locator("strong.govuk-tag:has-text('Acknowledged')").count() == 1
    check_accessibility(page, "conversation-record-acknowledged")

    # Withdraw: the manager can no longer open it.
    page.goto(plan_url)
    page.click("button:has-text('Stop sharing this plan')")
    page.locator("strong.govuk-tag:has-text('Private')").wait_for()
    _sign_out(page)
    sign_in(page, live_server, boss, axe=False)
    page.goto(live_server + "/team")
    assert page.locator("a:has-text('Max Member')").count() == 0
