"""Sharing a plan with a line manager, the team page and the career conversation."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from pathways.prompts import conversation_prompts, prompt_index
from planner.extensions import db
from planner.models import Conversation, Plan, PlanItem, Rating
from tests.conftest import save_notes
from tests.pdf import assert_pages_render, pdf_words
from tests.seeds import normalise, seed_texts


def test_every_prompt_and_source_quote_is_verbatim_in_its_seed():
    seeds = seed_texts()
    groups = conversation_prompts()
    assert {g.id for g in groups} >= {"tool3_self", "four_behaviours", "nussbaum"}
    assert len(prompt_index()) == 20 + 4 + 7  # Tool 3's 20 questions, 4 behaviours, 7 dimensions
    for group in groups:
        for source in group.sources:
            assert normalise(source.quote) in seeds[source.doc], (group.id, source.quote)
        docs = [s.doc for s in group.sources]
        for prompt in group.prompts:
            assert any(normalise(prompt.text) in seeds[d] for d in docs), prompt.id


@pytest.fixture
def team(app, make_user):
    boss = make_user("boss@example.org", roles=("manager", "practitioner"), name="Bea Boss")
    member = make_user("member@example.org", line_manager_id=boss, name="Mo Member")
    loner = make_user("loner@example.org", name="Lone Worker")
    return boss, member, loner


def _plan(client, target="senior_practitioner", route="social_worker,senior_practitioner"):
    location = client.post("/plans", data={"target": target, "route": route}).headers["Location"]
    return int(location.rsplit("/", 1)[1])


def _add(client, plan_id, title, due=None):
    data = {"kind": "other", "title": title, "training_item": "", "role": "", "service_area": ""}
    if due:
        data["due"] = [str(due.day), str(due.month), str(due.year)]
    assert client.post(f"/plans/{plan_id}/items", data=data).status_code == 302


def test_nothing_is_visible_to_the_manager_until_shared_and_after_withdrawal(client, team, login):
    login("member@example.org")
    plan_id = _plan(client)
    _add(client, plan_id, "Shadow the duty senior")
    client.post("/logout")
    login("boss@example.org")
    page = client.get("/team").get_data(as_text=True)
    assert "Mo Member" not in page and "1 of your direct reports has not shared a plan" in page
    assert client.get(f"/team/plans/{plan_id}").status_code == 404
    client.post("/logout")

    login("member@example.org")
    response = client.post(f"/plans/{plan_id}/share", data={"share": "1"}, follow_redirects=True)
    assert "Shared with Bea Boss" in response.get_data(as_text=True)
    client.post("/logout")
    login("boss@example.org")
    page = client.get("/team").get_data(as_text=True)
    assert "Mo Member" in page and "Senior practitioner" in page and "0 of 1 done" in page
    assert client.get(f"/team/plans/{plan_id}").status_code == 200
    client.post("/logout")

    login("member@example.org")
    response = client.post(f"/plans/{plan_id}/share", data={"share": "0"}, follow_redirects=True)
    assert "can no longer see this plan" in response.get_data(as_text=True)
    client.post("/logout")
    login("boss@example.org")
    assert "Mo Member" not in client.get("/team").get_data(as_text=True)
    assert client.get(f"/team/plans/{plan_id}").status_code == 404


def test_without_a_line_manager_sharing_is_refused_with_a_reason(app, client, team, login):
    login("loner@example.org")
    plan_id = _plan(client)
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "no line manager recorded for you" in page
    response = client.post(f"/plans/{plan_id}/share", data={"share": "1"})
    assert response.status_code == 400
    assert "no line manager in Pathways" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Plan, plan_id).shared_at is None


def test_team_page_lists_overdue_and_soon_due_actions(client, team, login):
    login("member@example.org")
    plan_id = _plan(client)
    today = date.today()
    _add(client, plan_id, "Late reading", today - timedelta(days=3))
    _add(client, plan_id, "Soon shadowing", today + timedelta(days=10))
    _add(client, plan_id, "Far course", today + timedelta(days=200))
    client.post(f"/plans/{plan_id}/share", data={"share": "1"})
    client.post("/logout")
    login("boss@example.org")
    page = client.get("/team").get_data(as_text=True)
    row = page[page.index("Mo Member") :]
    overdue, soon = row.split("</td>")[3], row.split("</td>")[4]
    assert "1 overdue" in overdue and "Late reading" in overdue
    assert "Soon shadowing" in soon and "Far course" not in row.split("</tr>")[0]


def test_ratings_side_by_side_with_differences_and_history(app, client, team, login):
    boss, member, _ = team
    login("member@example.org")
    client.post("/profile/ratings/vision", data={"vision-level": "2"})
    client.post(
        "/profile/ratings/collaborating_influencing", data={"collaborating_influencing-level": "3"}
    )
    plan_id = _plan(client)
    client.post(f"/plans/{plan_id}/share", data={"share": "1"})
    client.post("/logout")
    login("boss@example.org")
    # the manager rates vision higher and collaborating the same
    response = client.post(
        f"/team/plans/{plan_id}/ratings",
        data={"rating_vision": "4", "rating_collaborating_influencing": "3"},
    )
    assert response.status_code == 302
    page = client.get(f"/team/plans/{plan_id}").get_data(as_text=True)
    vision_row = page[page.index('id="cap-vision"') :].split("</tr>")[0]
    collab_row = page[page.index('id="cap-collaborating_influencing"') :].split("</tr>")[0]
    assert "You rate 2 higher" in vision_row
    assert "Same" in collab_row and "higher" not in collab_row
    assert page.count("app-compare--differs") == 1
    # a second save keeps the first: history, with author and date
    client.post(
        f"/team/plans/{plan_id}/ratings",
        data={"rating_vision": "3", "rating_collaborating_influencing": "3"},
    )
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Rating).filter_by(user_id=member, kind="manager").order_by(Rating.id)
        ).all()
        # each rating is the manager's; the two of one save may be stored in either order
        assert sorted((r.capability, r.level, r.rated_by_id) for r in rows) == [
            ("collaborating_influencing", 3, boss),
            ("vision", 3, boss),
            ("vision", 4, boss),
        ]
        assert [r.level for r in rows if r.capability == "vision"] == [4, 3]  # history order
        assert all(r.created_at is not None for r in rows)
        # self ratings untouched
        own = db.session.scalars(sa.select(Rating).filter_by(user_id=member, kind="self")).all()
        assert sorted((r.capability, r.level) for r in own) == [
            ("collaborating_influencing", 3),
            ("vision", 2),
        ]
    client.post("/logout")
    # the practitioner sees what the manager wrote
    login("member@example.org")
    page = client.get("/profile/ratings").get_data(as_text=True)
    manager_part = page[page.index('id="manager-ratings"') :]
    assert "Bea Boss" in manager_part and "3 (Competent)" in manager_part


def assert_record_pdf(data: bytes, tmp_path) -> None:
    """The conversation record as a PDF: who, when, the notes, the agreed actions with their
    owners and dates, and the prompts used; every page renders."""
    words = pdf_words(data)
    assert words.startswith("Pathways career conversation record Mo Member, 20 November 2026")
    assert "Line manager Bea Boss Plan Social worker → Senior practitioner" in words
    assert "Notes Agreed to look at practice education first. Revisit in March. Agreed" in words
    assert "Book the Practice Learning Qualification Practitioner 31 March 2027 To do" in words
    assert "Ask L&D about a secondment Line manager No date To do" in words
    assert "Active listening – stimulating the person to tell their story" in words
    assert "When have you felt at your best at work" in words
    assert_pages_render(data, tmp_path)


def test_recording_a_conversation_puts_agreed_actions_on_the_plan(
    app, client, team, login, tmp_path
):
    login("member@example.org")
    plan_id = _plan(client)
    save_notes(client, f"/plans/{plan_id}", "Not sure I want to manage people")
    client.post(f"/plans/{plan_id}/share", data={"share": "1"})
    client.post("/logout")
    login("boss@example.org")
    page = client.get(f"/team/plans/{plan_id}").get_data(as_text=True)
    assert "Not sure I want to manage people" not in page
    assert "How alive are your organisation" in page and "Active listening" in page
    assert "Iriss" in page and "Step 1: Social worker to Senior practitioner" in page
    response = client.post(
        f"/team/plans/{plan_id}/conversations",
        data={
            "held_on": ["20", "11", "2026"],
            "notes": "Agreed to look at practice education first.\nRevisit in March.",
            "prompts": ["tool3_2", "nussbaum_2"],
            "actions-0-title": "Book the Practice Learning Qualification",
            "actions-0-owner": "practitioner",
            "actions-0-due": ["31", "3", "2027"],
            "actions-1-title": "Ask L&D about a secondment",
            "actions-1-owner": "manager",
            "actions-2-title": "",
            "actions-2-owner": "practitioner",
        },
    )
    assert response.status_code == 302
    record = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Revisit in March." in record and "Book the Practice Learning Qualification" in record
    assert "Active listening" in record and "When have you felt at your best" in record
    assert "Line manager" in record and "31 March 2027" in record
    pdf = client.get(response.headers["Location"] + ".pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert_record_pdf(pdf.data, tmp_path)
    client.post("/logout")

    login("member@example.org")
    plan_page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    own, managers = (
        plan_page[plan_page.index(title) :].split("</td>")[0]
        for title in ("Book the Practice Learning Qualification", "Ask L&amp;D about a secondment")
    )
    assert own.endswith("Agreed in a career conversation</span>")
    assert managers.endswith("Agreed in a career conversation; your line manager's action</span>")
    assert "20 November 2026" in plan_page
    with app.app_context():
        conversation = db.session.scalar(sa.select(Conversation))
        items = db.session.scalars(
            sa.select(PlanItem).filter_by(conversation_id=conversation.id).order_by(PlanItem.id)
        ).all()
        assert [(i.title, i.owner, i.due) for i in items] == [
            ("Book the Practice Learning Qualification", "practitioner", date(2027, 3, 31)),
            ("Ask L&D about a secondment", "manager", None),
        ]
        conversation_id = conversation.id
    # the practitioner reads the whole record, and can download it
    record = client.get(f"/plans/{plan_id}/conversations/{conversation_id}")
    assert record.status_code == 200 and "Revisit in March." in record.get_data(as_text=True)
    pdf = client.get(f"/plans/{plan_id}/conversations/{conversation_id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert_record_pdf(pdf.data, tmp_path)


def test_bad_conversation_input_names_the_field_and_writes_nothing(app, client, team, login):
    login("member@example.org")
    plan_id = _plan(client)
    client.post(f"/plans/{plan_id}/share", data={"share": "1"})
    client.post("/logout")
    login("boss@example.org")
    cases = [
        (
            {"held_on": ["20", "11", "2026"], "notes": "", "prompts": ["tool3_2"]},
            "Write some notes or agree at least one action",
        ),
        ({"held_on": ["31", "2", "2026"], "notes": "x"}, "Date of the conversation"),
        (
            {"held_on": ["1", "1", "2026"], "notes": "x", "actions-0-due": ["1", "2", "2027"]},
            "Describe the action, or clear its due date",
        ),
        (
            {"held_on": ["1", "1", "2026"], "notes": "x", "prompts": ["made_up"]},
            "choose prompts from the list",
        ),
        (
            {
                "held_on": ["1", "1", "2026"],
                "notes": "x",
                "actions-0-title": "t",
                "actions-0-owner": "ceo",
            },
            "Not a valid choice",
        ),
    ]
    for data, message in cases:
        response = client.post(f"/team/plans/{plan_id}/conversations", data=data)
        body = response.get_data(as_text=True)
        assert response.status_code == 400, data
        assert "govuk-error-summary" in body and message in body, (data, message)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Conversation.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(PlanItem.id))) == 0


def test_ratings_and_the_record_are_one_form_and_nothing_typed_is_lost(app, client, team, login):
    """The page's one form: ratings and record saved together; a problem in either keeps
    both on the page and saves neither; ratings alone make no record."""
    login("member@example.org")
    plan_id = _plan(client)
    client.post(f"/plans/{plan_id}/share", data={"share": "1"})
    client.post("/logout")
    login("boss@example.org")
    url = f"/team/plans/{plan_id}/conversations"
    page = client.get(f"/team/plans/{plan_id}").get_data(as_text=True)
    assert page.count('form="conversation-form"') >= 10  # every rating belongs to the form
    assert page.count("<form") == page.count("</form>")

    def counts():
        with app.app_context():
            return tuple(
                db.session.scalar(sa.select(sa.func.count(model.id)))
                for model in (Rating, Conversation, PlanItem)
            )

    # A mistake in the record: neither part is saved, and both are still on the page.
    bad = client.post(
        url,
        data={
            "rating_vision": "4",
            "held_on": ["1", "3", "2027"],
            "next_on": ["1", "2", "2027"],
            "notes": "Talked about practice education",
        },
    )
    body = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "The next conversation must be after this one" in body
    assert re.search(r'<option value="4" selected>', body)
    assert "Talked about practice education" in body
    assert counts() == (0, 0, 0)
    # A mistake in a rating: the record is not saved either, and keeps its text.
    bad = client.post(
        url, data={"rating_vision": "9", "held_on": ["1", "3", "2027"], "notes": "Kept"}
    )
    assert bad.status_code == 400 and "Kept</textarea>" in bad.get_data(as_text=True)
    assert counts() == (0, 0, 0)

    # Ratings with nothing written in the record: ratings saved, no record made.
    alone = client.post(url, data={"rating_vision": "4", "held_on": ["1", "3", "2027"]})
    assert alone.headers["Location"].endswith(f"/team/plans/{plan_id}#ratings")
    assert "No conversation record was made" in client.get(alone.headers["Location"]).get_data(
        as_text=True
    )
    assert counts() == (1, 0, 0)
    nothing = client.post(url, data={"rating_vision": "4", "held_on": ["1", "3", "2027"]})
    assert "Nothing to save" in client.get(nothing.headers["Location"]).get_data(as_text=True)

    # Both together: one save keeps the changed rating and the record with its actions.
    both = client.post(
        url,
        data={
            "rating_vision": "3",
            "held_on": ["1", "3", "2027"],
            "notes": "Agreed a mentor",
            "actions-0-title": "Find a mentor",
            "actions-0-kind": "mentoring",
            "actions-0-owner": "practitioner",
        },
    )
    assert both.status_code == 302
    shown = client.get(both.headers["Location"]).get_data(as_text=True)
    assert "recorded with 1 agreed action, on Mo Member&#39;s plan, and 1 rating saved" in shown
    assert counts() == (2, 1, 1)


def test_agreed_actions_have_a_kind_and_count_in_the_iriss_checks(app, client, team, login):
    """A mentoring action agreed in a conversation counts as mentoring, as one the
    practitioner adds; a catalogue item chosen names the action."""
    from pathways.iriss import check_route
    from pathways.routes import route_from_roles
    from planner.people import person_for
    from planner.plans.views import plan_view_framework

    login("member@example.org")
    plan_id = _plan(client)
    client.post(f"/plans/{plan_id}/share", data={"share": "1"})
    client.post("/logout")
    login("boss@example.org")

    def topic_and_skill():
        """REC2.a3: both topic- and skill-specific development on the route."""
        with app.app_context():
            plan = db.session.get(Plan, plan_id)
            framework = plan_view_framework(plan.user)
            route = route_from_roles(framework, plan.route)
            person = person_for(plan.user, framework, plan)
            checks = check_route(framework, route, person)
            return [c.passed for r in checks for c in r.criteria if c.code == "REC2.a3"]

    assert topic_and_skill() == [False]
    page = client.get(f"/team/plans/{plan_id}").get_data(as_text=True)
    assert 'id="actions-0-kind"' in page and 'id="actions-0-training_item"' in page
    response = client.post(
        f"/team/plans/{plan_id}/conversations",
        data={
            "held_on": ["1", "3", "2027"],
            "actions-0-title": "Meet a mentor monthly",
            "actions-0-kind": "mentoring",
            "actions-0-owner": "practitioner",
            "actions-1-title": "",
            "actions-1-training_item": "practice_learning_qualification",
            "actions-1-owner": "practitioner",
            "actions-2-kind": "made_up",
        },
    )
    assert response.status_code == 400  # an unknown kind is refused, naming the field
    assert "Kind of action" in response.get_data(as_text=True)
    response = client.post(
        f"/team/plans/{plan_id}/conversations",
        data={
            "held_on": ["1", "3", "2027"],
            "actions-0-title": "Meet a mentor monthly",
            "actions-0-kind": "mentoring",
            "actions-0-owner": "practitioner",
            "actions-1-title": "",
            "actions-1-kind": "training",
            "actions-1-training_item": "practice_learning_qualification",
            "actions-1-owner": "practitioner",
            "actions-2-title": "",  # a kind alone is an action too, named by its kind
            "actions-2-kind": "shadowing",
            "actions-2-owner": "practitioner",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        items = db.session.scalars(sa.select(PlanItem).order_by(PlanItem.id)).all()
        assert [(i.kind, i.training_item) for i in items] == [
            ("mentoring", "mentoring_senior_leaders"),
            ("training", "practice_learning_qualification"),
            ("shadowing", None),
        ]
        assert items[2].title == "Shadowing"
        assert items[1].title.startswith("Practice Learning Qualification")
    assert topic_and_skill() == [True]  # an action typed "other" would not count


def test_manager_ratings_reject_levels_off_the_scale(app, client, team, login):
    login("member@example.org")
    plan_id = _plan(client)
    client.post(f"/plans/{plan_id}/share", data={"share": "1"})
    client.post("/logout")
    login("boss@example.org")
    response = client.post(f"/team/plans/{plan_id}/ratings", data={"rating_vision": "9"})
    assert response.status_code == 400
    assert re.search(r"Not a valid choice", response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Rating.id))) == 0


def test_the_ratings_page_title_is_plain_text(client, team, login):
    """The manager's ratings section once landed inside the <title> block as well."""
    login("member@example.org")
    page = client.get("/profile/ratings").get_data(as_text=True)
    title = page[page.index("<title>") : page.index("</title>")]
    assert title == "<title>Rate your capabilities – Pathways"
    assert page.count('id="manager-ratings"') == 1


def test_the_practitioner_acknowledges_a_record_and_comments_and_the_manager_sees_it(
    app, client, team, login
):
    login("member@example.org")
    plan_id = _plan(client)
    client.post(f"/plans/{plan_id}/share", data={"share": "1"})
    client.post("/logout")
    login("boss@example.org")
    recorded = client.post(
        f"/team/plans/{plan_id}/conversations",
        data={"held_on": ["1", "3", "2027"], "notes": "Agreed to try practice education"},
    )
    manager_view = recorded.headers["Location"]
    conversation_id = int(manager_view.rsplit("/", 1)[1])
    assert "has not acknowledged this record yet" in client.get(manager_view).get_data(as_text=True)
    respond = f"/plans/{plan_id}/conversations/{conversation_id}/response"
    # The manager cannot answer for the practitioner.
    assert client.post(respond, data={"comment": "Fine by me"}).status_code == 404
    client.post("/logout")

    login("member@example.org")
    own_view = f"/plans/{plan_id}/conversations/{conversation_id}"
    page = client.get(own_view).get_data(as_text=True)
    assert "Acknowledge this record" in page and "does not say you agree" in page
    too_long = client.post(respond, data={"comment": "x" * 5001})
    assert too_long.status_code == 400
    assert "Keep your comment under 5,000 characters" in too_long.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Conversation, conversation_id).acknowledged_at is None
    done = client.post(respond, data={"comment": "I would rather start with shadowing."})
    assert done.status_code == 302
    page = client.get(own_view).get_data(as_text=True)
    assert "You have acknowledged the record. Bea Boss can see that, and your comment." in page
    assert "Change your comment" in page and "Save my comment" in page
    assert "You acknowledged this record on" in page and "Mo Member acknowledged" not in page
    client.post("/logout")

    login("boss@example.org")
    page = client.get(manager_view).get_data(as_text=True)
    assert "Mo Member acknowledged this record on" in page
    assert "I would rather start with shadowing." in page
    team_page = client.get(f"/team/plans/{plan_id}").get_data(as_text=True)
    assert "Acknowledged, with a comment" in team_page
    with app.app_context():
        conversation = db.session.get(Conversation, conversation_id)
        assert conversation.practitioner_comment == "I would rather start with shadowing."
        assert conversation.notes == "Agreed to try practice education"  # the record unchanged


def test_the_conversation_page_draws_self_manager_and_next_step_as_one_shape(client, team, login):
    login("member@example.org")
    client.post("/profile/ratings", data={"vision-level": "2", "empowering-level": "3"})
    plan_id = _plan(client)
    client.post(f"/plans/{plan_id}/share", data={"share": "1"})
    client.post("/logout")
    login("boss@example.org")
    page = client.get(f"/team/plans/{plan_id}").get_data(as_text=True)
    radar = page[page.index('<figure class="app-radar') : page.index("</figure>")]
    assert 'class="radar-self"' in radar and 'class="radar-required"' in radar
    assert 'class="radar-manager"' not in radar  # no manager ratings yet: no empty shape
    assert "Mo Member&#39;s self-rating" in radar and "Senior practitioner asks for" in radar
    assert radar.count('class="radar-label"') == 11 and "<desc" in radar
    client.post(
        f"/team/plans/{plan_id}/conversations",
        data={"rating_vision": "3", "held_on": ["1", "3", "2027"]},
    )
    page = client.get(f"/team/plans/{plan_id}").get_data(as_text=True)
    assert 'class="radar-manager"' in page and "Your rating" in page


def test_no_capability_id_can_clash_with_the_ratings_forms_own_names(app):
    """A framework may name a capability 'submit', 'levels' or 'notes': the manager's ratings
    are fields of their own (rating_<id>), so the form keeps its button and its levels(), and
    the conversation record's notes stay the record's."""
    from types import SimpleNamespace

    from werkzeug.datastructures import MultiDict

    from planner.team.forms import manager_ratings_form_class

    framework = SimpleNamespace(
        capabilities={
            slug: SimpleNamespace(title=slug.title()) for slug in ("submit", "levels", "notes")
        },
        levels=[SimpleNamespace(level=n, label=f"Level {n}") for n in range(5)],
    )
    with app.test_request_context(method="POST"):
        app.config["WTF_CSRF_ENABLED"] = False
        form = manager_ratings_form_class(framework)(
            formdata=MultiDict({"rating_submit": "2", "rating_levels": "3", "notes": "My record"})
        )
        assert form.validate()
        assert form.levels() == {"submit": 2, "levels": 3}
        assert form.submit.type == "SubmitField"
