"""The organisation profile: L&D and administrators say what their organisation offers and
how it works; the Iriss audit and their colleagues' route checks use the answers."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.models import AuditEvent, OrganisationAnswer
from tests.conftest import answer_profile, local_item_form


@pytest.fixture
def council(make_org, make_user):
    org = make_org("Profile council")
    make_user("ld@example.org", name="Lee Learning", roles=("ld",), organisation_id=org)
    make_user(
        "prac@example.org",
        name="Pat Practitioner",
        organisation_id=org,
        current_role="service_manager",
    )
    return org


def _status(page: str, number: int) -> str:
    """The tag beside recommendation ``number`` in the audit's summary list."""
    match = re.search(
        rf'href="#rec-{number}">[^<]*</a></dt><dd class="govuk-summary-list__value">'
        r'<strong class="govuk-tag[^"]*">([^<]+)</strong>',
        page,
    )
    assert match, f"no status for recommendation {number}"
    return match.group(1)


def test_answers_change_the_audit_and_are_kept_with_their_author(client, council, login):
    login("ld@example.org")
    before = client.get("/audit").get_data(as_text=True)
    assert "Your organisation has not answered yet" in before
    assert _status(before, 4) == "Not assessed" and _status(before, 5) == "Not assessed"
    assert "43% of CSWOs were fully involved in budget setting" in before
    form = client.get("/organisation").get_data(as_text=True)
    assert "Protected time to keep a small caseload" in form
    assert "Recommended by Iriss" in form
    assert "57% of CSWOs said there was no dedicated learning and development function" in form
    response = answer_profile(
        client,
        offer_protected_caseload="yes",
        offer_secondment="yes",
        offer_cswo_duties_familiarisation="yes",
        offer_induction_plan="yes",
        offer_protected_reflection_time="yes",
        fact_workload_measures="yes",
        fact_representation_above_team_leader="yes",
        fact_governance_seats="yes",
        fact_budget_setting="partly",
        fact_chief_executive_access="structured",
        fact_representation_invited="yes",
    )
    assert response.status_code == 302
    saved = client.get("/organisation").get_data(as_text=True)
    assert "11 answers saved" in saved
    assert "Last answered by Lee Learning on" in saved
    after = client.get("/audit").get_data(as_text=True)
    assert _status(after, 4) == "Met"
    # budget setting answered "partly": the report's criterion is full involvement
    assert _status(after, 5) == "Partly met"
    assert "The organisation answers \u201cPartly involved\u201d" in after
    history = client.get("/organisation/history").get_data(as_text=True)
    assert "11 answers given" in history and "Lee Learning" in history
    assert "Offers: Protected time to keep a small caseload" in history
    # withdrawing an answer makes the question unanswered again, and is kept in the history
    answer_profile(client, offer_protected_caseload="")
    withdrawn = client.get("/audit").get_data(as_text=True)
    assert _status(withdrawn, 4) == "Partly met"
    assert (
        "it depends on whether the organisation offers Protected time to keep a small" in withdrawn
    )
    assert "Answer withdrawn" in client.get("/organisation/history").get_data(as_text=True)


def test_a_colleagues_route_counts_what_the_organisation_offers(client, council, login):
    login("prac@example.org")
    page = client.get("/planner?target=head_of_service").get_data(as_text=True)
    assert "Protected time to keep a small caseload" in page
    assert "your organisation has not said whether it offers this" in page
    assert "Missing protected time for a small caseload at: Head of service" in page
    client.post("/logout")
    login("ld@example.org")
    assert answer_profile(client, offer_protected_caseload="yes").status_code == 302
    client.post("/logout")
    login("prac@example.org")
    page = client.get("/planner?target=head_of_service").get_data(as_text=True)

    assert "your organisation says it offers this" in page
    assert "Missing protected time for a small caseload" not in page


def test_a_save_from_an_out_of_date_page_is_refused(client, council, login, app):
    login("ld@example.org")
    page = client.get("/organisation").get_data(as_text=True)
    stale = re.search(r'name="revision"[^>]*value="([0-9]+)"', page).group(1)
    answer_profile(client, offer_secondment="yes")  # someone else saves first
    response = client.post("/organisation", data={"offer_secondment": "no", "revision": stale})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert (
        "While you had this page open, Lee Learning changed: Offers: Secondment to another "
        "team or service area. Your answers below are not saved yet" in body
    )
    # the page keeps what this person chose, and a second save (having seen the warning) is
    # checked against the other person's answers, so it goes through
    assert re.search(r'name="offer_secondment"[^>]*value="no"[^>]*checked', body)
    newer = re.search(r'name="revision"[^>]*value="([0-9]+)"', body).group(1)
    assert newer != stale
    missing = client.post("/organisation", data={"offer_secondment": "no"})
    assert missing.status_code == 400
    with app.app_context():
        values = db.session.scalars(
            sa.select(OrganisationAnswer.value).filter_by(question="secondment")
        ).all()
    assert values == ["yes"]
    again = client.post("/organisation", data={"offer_secondment": "no", "revision": newer})
    assert again.status_code == 302
    with app.app_context():
        values = db.session.scalars(
            sa.select(OrganisationAnswer.value).filter_by(question="secondment")
        ).all()
    assert values == ["yes", "no"]


def test_a_question_left_out_of_the_request_keeps_its_answer(client, council, login, app):
    login("ld@example.org")
    answer_profile(client, offer_secondment="yes", fact_value_statement="yes")
    page = client.get("/organisation").get_data(as_text=True)
    revision = re.search(r'name="revision"[^>]*value="([0-9]+)"', page).group(1)
    client.post("/organisation", data={"fact_value_statement": "no", "revision": revision})
    with app.app_context():
        rows = db.session.scalars(sa.select(OrganisationAnswer).order_by(OrganisationAnswer.id))
        assert [(r.question, r.value) for r in rows] == [
            ("secondment", "yes"),
            ("value_statement", "yes"),
            ("value_statement", "no"),
        ]


def test_an_answer_that_is_not_a_choice_is_an_error_on_its_question(client, council, login, app):
    login("ld@example.org")
    page = client.get("/organisation").get_data(as_text=True)
    revision = re.search(r'name="revision"[^>]*value="([0-9]+)"', page).group(1)
    response = client.post(
        "/organisation",
        data={"fact_budget_setting": "always", "offer_secondment": "yes", "revision": revision},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "setting the budget?: choose one of the answers" in body
    with app.app_context():  # nothing half-written: the valid answer was not saved either
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OrganisationAnswer)) == 0


def test_only_learning_and_development_and_administrators_answer(client, council, login, make_user):
    login("prac@example.org")
    assert client.get("/organisation").status_code == 403
    assert client.get("/organisation/history").status_code == 403
    client.post("/logout")
    make_user("admin@example.org", roles=("admin",), organisation_id=council)
    login("admin@example.org")
    assert answer_profile(client, fact_value_statement="yes").status_code == 302


def test_each_save_is_in_the_audit_log(client, council, login, app):
    login("ld@example.org")
    answer_profile(client, fact_value_statement="yes", offer_secondment="no")
    answer_profile(client)  # nothing changed: nothing recorded
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).filter_by(action="organisation_profile.update")
        ).all()
        assert [e.summary for e in events] == ["2 answers in the organisation profile changed"]
        assert events[0].organisation_id == council


def test_the_audit_names_teams_where_nqsws_have_no_senior_colleague(
    client, make_org, make_user, login, app
):
    from planner.models import Team

    org = make_org("Teams council", "North", "South")
    other = make_org("Other council", "Elsewhere")
    with app.app_context():
        teams = {t.name: t.id for t in db.session.scalars(sa.select(Team))}
    make_user("ld@example.org", roles=("ld",), organisation_id=org, current_role=None)
    make_user("n1@example.org", organisation_id=org, team_id=teams["North"], current_role="nqsw")
    make_user(
        "m1@example.org", organisation_id=org, team_id=teams["North"], current_role="team_manager"
    )
    make_user("n2@example.org", organisation_id=org, team_id=teams["South"], current_role="nqsw")
    senior = make_user(
        "s2@example.org",
        organisation_id=org,
        team_id=teams["South"],
        current_role="senior_practitioner",
    )
    # another organisation's lone NQSW is not this organisation's concern
    make_user(
        "n3@example.org", organisation_id=other, team_id=teams["Elsewhere"], current_role="nqsw"
    )
    login("ld@example.org")
    page = client.get("/audit").get_data(as_text=True)
    assert "newly qualified social workers have no senior colleague: North." in page
    assert "Elsewhere" not in page
    # a senior colleague who has left no longer counts
    with app.app_context():
        from planner.models import User

        db.session.get(User, senior).active = False
        db.session.commit()
    page = client.get("/audit").get_data(as_text=True)
    assert "newly qualified social workers have no senior colleague: North, South." in page


def test_the_catalogue_says_what_is_in_place_and_what_the_organisation_offers(
    client, council, login
):
    login("ld@example.org")
    items = {i["id"]: i for i in client.get("/catalogue.json").get_json()}
    assert items["protected_caseload"]["evidence"] == "recommended"
    assert items["nqsw_supported_year"]["evidence"] == "in_place"
    page = client.get("/catalogue").get_data(as_text=True)
    assert "not described as in place anywhere yet: ask whether it is offered" in page
    answer_profile(client, offer_protected_caseload="yes", offer_secondment="no")
    page = client.get("/catalogue").get_data(as_text=True)
    assert "your organisation offers this" in page
    assert "your organisation says it does not offer this" in page


def test_the_organisations_own_items_count_for_its_people(client, council, login, app):
    """An organisation's own local item is offered by definition: the answers its people's
    pages and route checks read say so without any answer in the profile."""
    login("ld@example.org")
    response = client.post(
        "/catalogue/new",
        data=local_item_form("our_caseload_time", "Our protected caseload days", mode="caseload"),
    )
    assert response.status_code == 302
    with app.test_request_context():
        from planner.catalogue.operations import framework_for_user
        from planner.catalogue.profile import answers_for_user
        from planner.models import User

        user = db.session.scalar(sa.select(User).filter_by(email="prac@example.org"))
        framework = framework_for_user(user)
        answers = answers_for_user(user, framework)
        assert answers.item_state(framework.training["our_caseload_time"]) == "available"
        assert answers.item_state(framework.training["protected_caseload"]) == "unknown"
