"""The planner page and saved plans, with and without htmx."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from html import unescape

import pytest
import sqlalchemy as sa

from pathways.loader import default_framework_path
from planner.extensions import db
from planner.frameworks import store_framework
from planner.models import Plan, PlanItem
from tests.conftest import PASSWORD
from tests.pdf import OPEN_ROLE, ROUTE_RED, assert_pages_render, colour_share, pdf_words

HX = {"HX-Request": "true"}
ROUTE = "social_worker,research_practitioner,consultant_social_worker"


def save_plan(client, route=ROUTE, target="consultant_social_worker"):
    response = client.post("/plans", data={"target": target, "route": route, "label": "Quickest"})
    assert response.status_code == 302, response.get_data(as_text=True)[-400:]
    return response.headers["Location"]


def test_options_list_every_reachable_role(client, make_user, login, framework):
    make_user()
    login()
    html = client.get("/planner").get_data(as_text=True)
    assert "Your options" in html
    for slug in ("senior_practitioner", "consultant_social_worker", "cswo"):
        assert f"/planner?target={slug}" in html
    assert 'href="/planner?target=nqsw"' not in html  # not reachable from social worker


def test_planner_full_page_and_htmx_partial(client, make_user, login):
    make_user()
    login()
    page = client.get("/planner?target=cswo")
    partial = client.get("/planner?target=cswo", headers=HX)
    for response in (page, partial):
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "Routes to Chief Social Work Officer (CSWO)" in html
        assert "How this route measures up to the Iriss recommendations" in html
        assert html.count('class="app-card app-card--') == 7
    assert "<html" in page.get_data(as_text=True)
    assert "<html" not in partial.get_data(as_text=True) and "<h1" not in partial.get_data(
        as_text=True
    )


def test_route_is_plotted_with_badges_and_alternatives(client, make_user, login, framework):
    make_user()
    login()
    html = client.get("/planner?target=cswo").get_data(as_text=True)
    svg = html[html.index('<svg class="role-map"') : html.index("</svg>")]
    # the route shown is the one the page names first, drawn edge by edge with its own
    # (red) arrowheads; the other routes compared in blue with theirs
    names = re.findall(
        r'<li>(?:<span class="app-meta">Now: </span>)?<a class="govuk-link" href="/roles/(\w+)"',
        html,
    )
    assert names[0] == "social_worker" and names[-1] == "cswo" and len(names) >= 5
    on_route = re.findall(r'class="edge \w+ on-route" marker-end="url\(#([\w-]+)\)"', svg)
    assert on_route == ["arrow-route"] * (len(names) - 1)
    alternative = re.findall(r'class="edge \w+ alternative" marker-end="url\(#([\w-]+)\)"', svg)
    assert alternative and set(alternative) == {"arrow-alternative"}
    assert svg.count('class="badge"') == len(names) - 1
    # with no ratings, each step's badge counts every capability its role asks for
    labels = re.findall(r'aria-label="([^"]*) on this step"', svg)
    assert labels == [
        f"{framework.roles[slug].title}, "
        f"{'management' if framework.roles[slug].positional else 'non-management'} role, "
        f"{len(framework.roles[slug].requirements)} capability gaps"
        for slug in names[1:]
    ]
    assert "Route 1 step by step" in html  # text alternative
    assert "Your capabilities against Chief Social Work Officer (CSWO)" in html


def _compared(html: str) -> list[tuple[str, str, int]]:
    """(route name, line management, capabilities to develop) for each row of the comparison."""
    rows = re.findall(
        r'<span class="app-routes__name">([^<]+)</span>.*?data-label="Capabilities to develop">(\d+)'
        r'.*?data-label="Line management">([^<]+)<',
        html,
        re.S,
    )
    return [(unescape(name), unescape(manage), int(count)) for name, count, manage in rows]


def test_three_distinct_routes_compared_and_switching(client, make_user, login):
    make_user(line_management=False)
    login()
    html = client.get("/planner?target=consultant_social_worker").get_data(as_text=True)
    rows = _compared(html)
    # three routes, never collapsed into one when one route wins every count
    assert len(rows) == 3
    assert rows[0][0].startswith("Route 1: Quickest") and "without line management" in rows[0][0]
    assert all(name.startswith(f"Route {n}: ") for n, (name, _, _) in enumerate(rows, 1))
    assert rows[0][1] == "No"  # a person who would rather not line-manage sees that first
    assert "Shown below" in html and html.count("Choose route ") == 2
    second = client.get("/planner?target=consultant_social_worker&route=1").get_data(as_text=True)
    assert '<h2 class="govuk-heading-l" id="chosen" tabindex="-1">Route 2: ' in second
    assert second.count("Choose route ") == 2 and "Choose route 1" in second
    partial = client.get("/planner?target=consultant_social_worker&route=2", headers=HX)
    assert "<!doctype" not in partial.get_data(as_text=True).lower()
    assert "Route 3: " in partial.get_data(as_text=True)
    assert client.get("/planner?target=cswo&route=99").status_code == 200  # falls back to the first
    assert client.get("/planner?target=cswo&route=abc").status_code == 200


def test_a_saved_route_is_the_one_chosen(client, make_user, login):
    make_user()
    login()
    page = client.get("/planner?target=cswo&route=2").get_data(as_text=True)
    route = re.search(r'name="route" type="hidden" value="([^"]+)"', page) or re.search(
        r'id="route" name="route" type="hidden" value="([^"]+)"', page
    )
    chosen = re.findall(
        r'<li>(?:<span class="app-meta">Now: </span>)?<a class="govuk-link" href="/roles/(\w+)"',
        page,
    )
    assert route and route.group(1).split(",") == chosen
    # the save button comes straight after the comparison, before the map and the steps
    assert page.index("Save this route as my plan") < page.index('<svg class="role-map"')


def test_capabilities_to_develop_are_counted_once_per_route(client, make_user, login, framework):
    make_user()
    login()
    html = client.get("/planner?target=cswo").get_data(as_text=True)
    # with no ratings every capability is short; a route of five steps still has 11 to develop
    # (a sum over its steps would read 49 or more)
    assert {count for _, _, count in _compared(html)} == {len(framework.capabilities)}
    assert f"You would develop {len(framework.capabilities)} capabilities" in html


def test_ordering_by_fewest_capabilities(client, make_user, login, framework):
    make_user()
    login()
    for slug in framework.capabilities:
        client.post(f"/profile/ratings/{slug}", data={f"{slug}-level": str(framework.max_level)})
    client.post("/profile/ratings/research_evidence", data={"research_evidence-level": "4"})
    quickest = _compared(
        client.get("/planner?target=consultant_social_worker").get_data(as_text=True)
    )
    fewest = _compared(
        client.get("/planner?target=consultant_social_worker&order=fewest_gaps").get_data(
            as_text=True
        )
    )
    assert [c for _, _, c in fewest] == sorted(c for _, _, c in fewest)
    assert fewest[0][2] == 0 and quickest[0][2] == 1  # the research practitioner asks for 5


def test_each_branch_offers_the_other_moves(client, make_user, login):
    make_user(current_role="senior_social_worker")
    login()
    html = client.get("/planner?target=team_manager").get_data(as_text=True)
    assert "A choice at Senior social worker" in html
    choice = html[html.index("A choice at Senior social worker") :]
    choice = choice[: choice.index("</ul>")]
    assert "Senior practitioner" in choice and "a sideways move" in choice
    assert 'href="/planner?target=senior_practitioner"' in choice


def test_a_step_expecting_a_qualification_recommends_it(client, make_user, login):
    make_user(years_qualified=3)
    login()
    html = client.get("/planner?target=mental_health_officer").get_data(as_text=True)
    assert "meets: Hold the Mental Health Officer Award" in unescape(html)


def test_steps_show_gaps_prerequisites_training_tags_and_catalogue_gaps(client, make_user, login):
    make_user(years_qualified=1)
    login()
    html = client.get("/planner?target=mental_health_officer").get_data(as_text=True)
    assert "Capability gaps for Mental Health Officer (MHO)" in html
    assert "Required and not yet met" in html and "Hold the Mental Health Officer Award" in html
    assert "(required by Mental Health (Care and Treatment) (Scotland) Act 2003, s. 32(2)" in html
    assert "Social-work specific" in html and "National" in html
    senior = client.get("/planner?target=senior_social_worker").get_data(as_text=True)
    assert "Catalogue gap" in senior and "no role-specific leadership training" in senior
    # qualifications nothing in law requires are advice, not entry rules
    educator = client.get("/planner?target=practice_educator").get_data(as_text=True)
    assert "Required and not yet met" not in educator
    assert "Often held or recommended, not required" in educator
    assert "Practice Learning Qualification (practice educator award) (often held)" in educator
    assert "(an estimate)" in senior and "How sure are these figures?" in senior
    # the step's supports say what is in place and what is only recommended
    assert "Support on this step" in senior
    assert "Recommended by Iriss" in senior
    assert "your organisation has not said whether it offers this" in senior


def test_unknown_or_unreachable_target_is_a_clear_error(client, make_user, login):
    make_user()
    login()
    unknown = client.get("/planner?target=astronaut")
    assert unknown.status_code == 400 and "There is no role called" in unknown.get_data(
        as_text=True
    )
    backwards = client.get("/planner?target=nqsw", headers=HX)
    assert backwards.status_code == 400 and "cannot be reached" in backwards.get_data(as_text=True)


def test_save_plan_and_view_it(app, client, make_user, login):
    make_user()
    login()
    location = save_plan(client)
    html = client.get(location).get_data(as_text=True)
    assert "Consultant social worker (senior expert / advisory)" in html
    assert "0 of 0 actions done" in html and "No actions yet" in html
    assert "The framework has changed" not in html
    listing = client.get("/plans").get_data(as_text=True)
    assert "0 of 0 actions done" in listing


def test_saving_a_route_that_is_not_in_the_framework_is_refused(client, make_user, login):
    make_user()
    login()
    bad = client.post("/plans", data={"target": "cswo", "route": "social_worker,cswo"})
    assert bad.status_code == 400 and "not in the current framework" in bad.get_data(as_text=True)
    wrong_start = client.post("/plans", data={"target": "cswo", "route": "nqsw,social_worker"})
    assert (
        wrong_start.status_code == 400
        and "must start at your current role" in wrong_start.get_data(as_text=True)
    )


def test_plan_items_count_in_the_iriss_check(client, make_user, login):
    make_user()
    login()
    location = save_plan(client)
    before = unescape(client.get(location).get_data(as_text=True))
    supervision = "Missing supervision that covers support, not just cases at: "
    assert (
        f"{supervision}Research practitioner (hybrid), Consultant social worker (senior expert "
        "/ advisory)." in before
    )
    client.post(
        f"{location}/items",
        data={
            "kind": "training",
            "training_item": "reflective_supervision",
            "title": "",
            "role": "consultant_social_worker",
            "service_area": "",
        },
    )
    client.post(
        f"{location}/items",
        data={
            "kind": "reflection",
            "training_item": "",
            "title": "",
            "role": "",
            "service_area": "",
        },
    )
    after = unescape(client.get(location).get_data(as_text=True))
    assert "0 of 2 actions done" in after
    # the supervision item, for the consultant step, meets REC3 there
    assert f"{supervision}Research practitioner (hybrid)." in after
    # the reflection kind maps to its catalogue item
    rows = re.findall(r'<tr class="govuk-table__row" id="item-\d+">\s*<td[^>]*>([^<]*)', after)
    assert rows == [
        "Reflective support and supervision (not just case discussion)",
        "Protected time for reflection and critical analysis",
    ]


def test_add_item_validation_and_dates(client, make_user, login):
    make_user()
    login()
    location = save_plan(client)
    empty = client.post(
        f"{location}/items",
        data={"kind": "other", "training_item": "", "title": "", "role": "", "service_area": ""},
    )
    assert (
        empty.status_code == 400
        and "Choose a catalogue item or describe the action" in empty.get_data(as_text=True)
    )
    bad_date = client.post(
        f"{location}/items",
        data={
            "kind": "shadowing",
            "title": "Shadow the duty manager",
            "training_item": "",
            "role": "",
            "service_area": "",
            "due": ["31", "2", "2027"],
        },
    )
    assert bad_date.status_code == 400 and "Not a valid date" in bad_date.get_data(as_text=True)
    ok = client.post(
        f"{location}/items",
        data={
            "kind": "shadowing",
            "title": "Shadow the duty manager",
            "training_item": "",
            "role": "",
            "service_area": "",
            "due": ["1", "2", "2020"],
        },
    )
    assert ok.status_code == 302
    html = client.get(location).get_data(as_text=True)
    assert "Shadow the duty manager" in html and "Overdue" in html


def test_mark_done_with_and_without_htmx(app, client, make_user, login):
    make_user()
    login()
    location = save_plan(client)
    client.post(
        f"{location}/items",
        data={
            "kind": "mentoring",
            "training_item": "",
            "title": "",
            "role": "research_practitioner",
            "service_area": "",
        },
    )
    with app.app_context():
        item_id = db.session.scalar(sa.select(PlanItem.id))
    partial = client.post(f"{location}/items/{item_id}/done", data={"done": "1"}, headers=HX)
    html = partial.get_data(as_text=True)
    assert partial.status_code == 200 and html.lstrip().startswith(
        f'<tr class="govuk-table__row" id="item-{item_id}">'
    )
    assert "Done" in html and "marked done" in html
    assert "1 of 1 action done" in client.get(location).get_data(as_text=True)
    plain = client.post(f"{location}/items/{item_id}/done", data={"done": "0"})
    assert plain.status_code == 302
    assert "0 of 1 action done" in client.get(location).get_data(as_text=True)


def test_plan_notices_a_newer_framework_version(app, client, make_user, login):
    make_user()
    login()
    location = save_plan(client)
    changed = default_framework_path().read_text().replace('version: "2026.1"', 'version: "2026.2"')
    with app.app_context():
        store_framework(changed, "scotland-2026.2.yaml")
    html = client.get(location).get_data(as_text=True)
    assert "The framework has changed since you made this plan" in html
    assert "version 2026.1" in html and "2026.2" in html


def test_plan_pdf_and_json(client, make_user, login, tmp_path):
    make_user()
    login()
    location = save_plan(client)
    action = {"kind": "other", "training_item": "", "role": "", "service_area": ""}
    for title, due in (("Shadow the duty senior", {"due": ["30", "6", "2027"]}), ("Read", {})):
        response = client.post(f"{location}/items", data={**action, "title": title, **due})
        assert response.status_code == 302
    pdf = client.get(f"{location}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]
    words = pdf_words(pdf.data)
    assert words.startswith("Pathways career plan for Prac")
    assert f"printed {date.today():%d %B %Y}" in words
    assert "Consultant social worker (senior expert / advisory)" in words  # the plan's title
    assert (
        "Social worker → Research practitioner (hybrid) → Consultant social worker (senior "
        "expert / advisory): about 8 years. 0 of 2 actions done." in words
    )
    assert "Shadow the duty senior Whole plan 30 June 2027 To do" in words
    assert "Read Whole plan To do" in words
    assert "Step 1: Social worker to Research practitioner (hybrid) (about 4 years)" in words
    assert "Step 2: Research practitioner (hybrid) to Consultant social worker" in words
    # a capability gap: required, and held ("not rated" is not a level the person chose)
    assert "Research and evidence use 5 Not rated (0)" in words
    assert "Iriss recommendations" in words and "1. Clear journey" in words
    pages = assert_pages_render(pdf.data, tmp_path)
    # the route map is drawn in its colours: red for the route, pale blue for open roles
    assert max(colour_share(page, ROUTE_RED) for page in pages) > 0.0005
    assert max(colour_share(page, OPEN_ROLE) for page in pages) > 0.002
    data = json.loads(client.get(f"{location}.json").get_data(as_text=True))
    assert data["route"] == ROUTE.split(",") and data["framework_version"] == "2026.1"


def test_delete_plan(app, client, make_user, login):
    make_user()
    login()
    location = save_plan(client)
    # One click on the plan's button only opens the confirmation page (GOV.UK pattern).
    plan_page = client.get(location).get_data(as_text=True)
    assert f'href="{location}/delete"' in plan_page
    for asked in (client.get(f"{location}/delete"), client.post(f"{location}/delete")):
        page = asked.get_data(as_text=True)
        assert asked.status_code == 200 and "This cannot be undone" in page
        assert "Yes, delete this plan" in page and 'name="confirm" value="yes"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 1
    assert client.post(f"{location}/delete", data={"confirm": "yes"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 0
    assert client.get(location).status_code == 404


def test_notes_saved_from_a_stale_page_are_refused_not_lost(app, client, make_user, login):
    make_user()
    login()
    location = client.post(
        "/plans",
        data={"target": "senior_practitioner", "route": "social_worker,senior_practitioner"},
    ).headers["Location"]
    import re

    page = client.get(location).get_data(as_text=True)
    revision = re.search(r'name="revision"[^>]*value="(\d+)"', page).group(1)
    # window A saves
    assert (
        client.post(location + "/notes", data={"notes": "from A", "revision": revision}).status_code
        == 302
    )
    # window B, opened before A saved, saves too: refused, both texts on the page
    response = client.post(location + "/notes", data={"notes": "from B", "revision": revision})
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Your notes were not saved" in body and "from A" in body and "from B" in body
    with app.app_context():
        from planner.models import Plan

        assert db.session.scalar(sa.select(Plan.private_notes)) == "from A"
    # saving again from the refreshed form works
    new_revision = re.search(r'name="revision"[^>]*value="(\d+)"', body).group(1)
    assert new_revision != revision
    response = client.post(location + "/notes", data={"notes": "A and B", "revision": new_revision})
    assert response.status_code == 302


def test_the_database_refuses_a_lost_update_of_a_plan(app, make_user):
    """Two sessions load the same plan; the second commit is refused (StaleDataError)."""
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    from planner.frameworks import current_version
    from planner.models import Plan, User

    user_id = make_user()
    with app.app_context():
        plan = Plan(
            user_id=user_id,
            target_role="cswo",
            route_json='["social_worker"]',
            framework_version_id=current_version().id,
        )
        db.session.add(plan)
        db.session.commit()
        plan_id = plan.id
        with Session(db.engine) as one, Session(db.engine) as two:
            a, b = one.get(Plan, plan_id), two.get(Plan, plan_id)
            a.private_notes = "one"
            one.commit()
            b.private_notes = "two"
            with pytest.raises(StaleDataError):
                two.commit()
        db.session.expire_all()
        assert db.session.get(Plan, plan_id).private_notes == "one"
        assert db.session.get(User, user_id) is not None


# The planner's routes and the API's route JSON are kept in memory per worker, keyed by the
# framework, the person and the request (planner/viewcache.py): they must never go stale
# and never carry one person's session into another's page.


def _gap_counts(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-label="Capabilities to develop">(\d+)', html)]


def test_the_planner_follows_new_ratings_at_once(app, client, make_user, login, framework):
    make_user()
    login()
    before = _gap_counts(client.get("/planner?target=cswo").get_data(as_text=True))
    assert before and max(before) > 0
    top = framework.max_level
    for slug in framework.capabilities:
        response = client.post(f"/profile/ratings/{slug}", data={f"{slug}-level": str(top)})
        assert response.status_code == 302
    after = _gap_counts(client.get("/planner?target=cswo").get_data(as_text=True))
    assert after and set(after) == {0}  # (fewer alternatives: with no gaps, two coincide)


def test_a_shared_view_carries_each_users_own_name_and_form_token(app, make_user, login):
    make_user("alice@example.org", name="Alice Example")
    make_user("bob@example.org", name="Bob Example")  # the same profile: the same cached view
    alice = login("alice@example.org")
    bob = app.test_client()
    bob.post("/login", data={"email": "bob@example.org", "password": PASSWORD})
    app.config["WTF_CSRF_ENABLED"] = True
    pages = {}
    for name, client in (("alice", alice), ("bob", bob)):
        pages[name] = client.get("/planner?target=cswo").get_data(as_text=True)
    tokens = {
        name: re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        for name, html in pages.items()
    }
    assert tokens["alice"] != tokens["bob"]
    assert "Alice Example" in pages["alice"] and "Alice Example" not in pages["bob"]
    assert "Bob Example" in pages["bob"] and "Bob Example" not in pages["alice"]
    form = {"target": "consultant_social_worker", "route": ROUTE, "label": "Quickest"}
    assert bob.post("/plans", data={**form, "csrf_token": tokens["alice"]}).status_code == 400
    assert bob.post("/plans", data={**form, "csrf_token": tokens["bob"]}).status_code == 302


def test_the_page_is_the_same_with_the_view_cache_off(app, client, make_user, login):
    make_user()
    login()
    import re

    def page() -> str:  # the CSRF token is signed with the time, so differs second to second
        body = client.get("/planner?target=cswo&route=1").get_data(as_text=True)
        body, tokens = re.subn(r'name="csrf_token"[^>]*value="[^"]*"', "csrf", body)
        assert tokens, "the page has CSRF tokens to take out"
        return body

    cached = page()
    app.config["VIEW_CACHE"] = False
    fresh = page()
    assert fresh == cached and "Route 2" in fresh


def test_leadership_shown_without_a_post_is_recorded_and_counted(client, make_user, login):
    """Iriss REC7.a4: leadership shown without a post can be recorded on the plan and is
    recognised in the route check (and seen by a manager the plan is shared with)."""
    make_user()
    login()
    location = save_plan(client)
    before = client.get(location).get_data(as_text=True)
    assert "Neither your plan nor your learning record shows leadership without a post." in before
    response = client.post(
        location + "/items",
        data={
            "kind": "leadership",
            "title": "Ran the team's practice session on the new ASP guidance",
            "training_item": "",
            "role": "",
            "service_area": "",
        },
    )
    assert response.status_code == 302
    after = client.get(location).get_data(as_text=True)
    assert "Ran the team&#39;s practice session on the new ASP guidance" in after
    assert (
        "Leadership without a post on your plan: Lead a practice area or share a specialism "
        "(step-in leadership) (none done yet)." in after
    )


def test_the_service_area_of_the_post_is_checked_and_kept_on_the_plan(client, make_user, login):
    """Iriss REC4.a2: a first management post in an area the person has never worked in."""
    make_user(current_role="senior_social_worker")
    login()
    unknown = client.get("/planner?target=team_manager").get_data(as_text=True)
    assert "Not assessed: which service area is the Team manager post in?" in unknown
    html = client.get("/planner?target=team_manager&area=justice").get_data(as_text=True)
    assert "You would be managing in Justice social work without having worked there." in html
    assert '<option value="justice" selected>' in html
    assert 'name="area" type="hidden" value="justice"' in html
    response = client.post(
        "/plans",
        data={
            "target": "team_manager",
            "route": "senior_social_worker,team_manager",
            "label": "Quickest",
            "area": "justice",
        },
    )
    plan = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The post you are aiming for is in Justice social work." in plan
    assert "You would be managing in Justice social work without having worked there." in plan
    # an area that does not exist is ignored, not an error
    odd = client.get("/planner?target=team_manager&area=astronomy")
    assert odd.status_code == 200
    assert "which service area is the Team manager post in?" in odd.get_data(as_text=True)


def test_a_senior_social_worker_can_reach_consultant_and_managers_can_return(
    client, make_user, login
):
    make_user(current_role="senior_social_worker")
    login()
    html = client.get("/planner?target=consultant_social_worker")
    assert html.status_code == 200  # once "cannot be reached from Senior social worker"
    rows = _compared(html.get_data(as_text=True))
    assert len(rows) == 3 and any(manage == "No" for _, manage, _ in rows)


def test_role_pages_show_moves_by_kind_and_the_cswo_designation(client):
    manager = unescape(client.get("/roles/team_manager").get_data(as_text=True))
    assert "Back into practice, non-management" in manager  # to senior practitioner and others
    consultant = client.get("/roles/consultant_social_worker").get_data(as_text=True)
    assert "most senior role" not in consultant  # stage 5 of 7: it leads on
    cswo = unescape(client.get("/roles/cswo").get_data(as_text=True))
    assert "A designation, held with another post" in cswo
    assert 'href="/roles/head_of_service"' in cswo and "para. 11" in cswo
    head = unescape(client.get("/roles/head_of_service").get_data(as_text=True))
    assert "may also be designated" in head and "A designation" in head
    leader = unescape(client.get("/roles/team_leader").get_data(as_text=True))
    assert "do not say how the two relate" in leader
    # signed out, a role page offers the planner without an account
    assert 'href="/planner/try?target=team_leader"' in leader


def test_the_planner_without_an_account(client):
    start = client.get("/planner/try?target=cswo")
    assert start.status_code == 200 and "Where are you starting from?" in start.get_data(
        as_text=True
    )
    page = client.get("/planner/try?from=student&target=cswo").get_data(as_text=True)
    assert len(_compared(page)) == 3
    assert "Nothing you choose here is saved" in page and "Save this route" not in page
    assert 'href="/planner/try?from=student&amp;target=cswo&amp;route=1' in page
    wrong = client.get("/planner/try?from=astronaut")
    assert wrong.status_code == 400 and "There is no role called" in wrong.get_data(as_text=True)
    unreachable = client.get("/planner/try?from=cswo&target=student")
    assert unreachable.status_code == 400
    assert "cannot be reached from" in unescape(unreachable.get_data(as_text=True))


def test_a_plan_can_be_named_and_renamed_and_its_name_is_never_cut(app, client, make_user, login):
    make_user()
    login()
    long_label = "Quickest, fewest capabilities to develop, without line management"
    response = client.post(
        "/plans", data={"target": "consultant_social_worker", "route": ROUTE, "label": long_label}
    )
    location = response.headers["Location"]
    assert f"My plan: {long_label}" in html.unescape(client.get(location).get_data(as_text=True))
    form = client.get(f"{location}/name").get_data(as_text=True)
    assert "Name your plan" in form and html.escape(long_label, quote=True) in form
    empty = client.post(f"{location}/name", data={"name": "  "})
    assert empty.status_code == 400 and "Enter a name for the plan" in empty.get_data(as_text=True)
    too_long = client.post(f"{location}/name", data={"name": "x" * 121})
    assert too_long.status_code == 400 and "under 120 characters" in too_long.get_data(as_text=True)
    renamed = client.post(f"{location}/name", data={"name": "Practice educator first"})
    assert renamed.headers["Location"] == location
    assert "My plan: Practice educator first" in client.get(location).get_data(as_text=True)
    assert "Practice educator first" in client.get("/plans").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Plan.label)) == "Practice educator first"


def test_saving_a_route_again_offers_the_plan_already_saved(app, client, make_user, login):
    make_user()
    login()
    first = save_plan(client)
    again = client.post(
        "/plans", data={"target": "consultant_social_worker", "route": ROUTE, "label": "Quickest"}
    )
    page = again.get_data(as_text=True)
    assert again.status_code == 200 and "You already have this route as a plan" in page
    assert f'href="{first}"' in page and "Open that plan" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Plan.id))) == 1
    # Saving a copy on purpose is still possible, from that page's own button.
    copy = client.post(
        "/plans",
        data={"target": "consultant_social_worker", "route": ROUTE, "label": "", "again": "1"},
    )
    assert copy.status_code == 302 and copy.headers["Location"] != first
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Plan.id))) == 2


def test_a_catalogue_gap_the_plan_answers_is_no_longer_reported(
    client, make_user, login, framework
):
    """Once an item on the plan develops the capability, the step says so instead of
    reporting that no training develops it."""
    make_user()
    login()
    location = save_plan(client)
    creativity = framework.capabilities["creativity_innovation"].title
    gap = f"no training in the catalogue for this role develops {creativity}"
    assert gap in html.unescape(client.get(location).get_data(as_text=True))
    item = framework.training["step_into_leadership"]
    assert "creativity_innovation" in item.capabilities
    client.post(
        f"{location}/items",
        data={"kind": "training", "training_item": item.id, "role": "", "service_area": ""},
    )
    page = html.unescape(client.get(location).get_data(as_text=True))
    assert gap not in page and f"{item.title} develops {creativity}" in page
    printed = pdf_words(client.get(f"{location}.pdf").data)  # the PDF says the same
    assert f"{item.title} develops {creativity}" in printed and gap not in printed


@pytest.mark.parametrize(
    ("roles", "plans", "home"),
    [
        (("admin", "manager"), 0, "/admin/users"),
        (("ld",), 0, "/coverage"),
        (("manager", "practitioner"), 0, "/team"),
        (("practitioner",), 0, "/planner"),
        (("practitioner",), 1, "/plans/"),
    ],
)
def test_each_role_lands_on_its_own_home_after_signing_in(
    client, make_user, login, roles, plans, home
):
    make_user(roles=roles)
    login()
    if plans:
        save_plan(client)
        client.post("/logout")
    response = client.post("/login", data={"email": "prac@example.org", "password": PASSWORD})
    assert response.headers["Location"].startswith(home)
    assert client.get("/login").headers["Location"].startswith(home)  # already signed in
    # A page asked for before signing in still wins.
    client.post("/logout")
    asked = client.post(
        "/login?next=/account", data={"email": "prac@example.org", "password": PASSWORD}
    )
    assert asked.headers["Location"] == "/account"


def test_a_new_person_without_a_current_role_lands_on_their_profile(client, make_user, login):
    make_user(current_role=None)
    assert login().get("/login").headers["Location"] == "/profile"
