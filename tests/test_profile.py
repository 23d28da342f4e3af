"""Profile, self-assessment (htmx and plain form) and completed training."""

from __future__ import annotations

import sqlalchemy as sa

from planner.extensions import db
from planner.models import CompletedTraining, Profile, Rating, ServiceAreaYears

HX = {"HX-Request": "true"}


def test_new_user_sees_what_to_do_next(client, make_user, login):
    make_user(current_role=None)
    login()
    html = client.get("/profile").get_data(as_text=True)
    assert "Start here" in html and "rate your capabilities" in html
    planner = client.get("/planner").get_data(as_text=True)
    assert "First, tell us where you are now" in planner


def test_profile_saves_and_errors_name_the_field(app, client, make_user, login):
    user_id = make_user(current_role=None)
    login()
    bad = client.post(
        "/profile", data={"current_role": "", "years_qualified": "-3", "line_management": ""}
    )
    html = bad.get_data(as_text=True)
    assert "Choose your current role" in html
    assert "Years since you qualified must be between 0 and 60" in html
    assert 'href="#current_role"' in html  # error summary links to the field
    ok = client.post(
        "/profile",
        data={
            "current_role": "senior_practitioner",
            "years_qualified": "6",
            "registered": "y",
            "line_management": "no",
            "area_justice": "2",
            "area_children_families": "4",
            "extra_hours_per_week": "5",
        },
    )
    assert ok.status_code == 302
    with app.app_context():
        profile = db.session.get(Profile, user_id)
        assert (profile.current_role, profile.years_qualified, profile.line_management) == (
            "senior_practitioner",
            6,
            False,
        )
        areas = dict(
            db.session.execute(
                sa.select(ServiceAreaYears.area, ServiceAreaYears.years).filter_by(user_id=user_id)
            ).all()
        )
        assert areas == {"justice": 2, "children_families": 4}


def test_rating_page_shows_every_capability_with_level_descriptors(
    client, make_user, login, framework
):
    make_user()
    login()
    html = client.get("/profile/ratings").get_data(as_text=True)
    for cap in framework.capabilities.values():
        assert cap.title in html
    # one page, one form, one save; each level's meaning once, behind "What each level means"
    assert html.count('action="/profile/ratings"') == 1 and html.count("Save my ratings") == 1
    assert html.count("Plans and acts independently in most situations") == 1
    assert "What each level means" in html
    # never rated is its own state, not level 0
    assert html.count("Not rated yet") == len(framework.capabilities)
    assert "0 of 11 rated so far" in html and " checked" not in html
    assert "You have not rated any capabilities yet" in html


def test_rating_with_htmx_returns_the_partial(client, make_user, login):
    make_user()
    login()
    response = client.post("/profile/ratings/vision", data={"vision-level": "3"}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<form class="app-rating" id="rating-vision"')
    assert "<html" not in html and "Saved: Vision is now 3 (Competent)" in html


def test_rating_without_javascript_redirects_back(client, make_user, login):
    make_user()
    login()
    response = client.post("/profile/ratings/vision", data={"vision-level": "2"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/profile/ratings#rating-vision"
    )
    page = client.get("/profile/ratings").get_data(as_text=True)
    assert "Your rating for Vision is saved" in page and "Rated 2</strong>" in page


def test_the_self_assessment_saves_every_change_at_once_and_only_changes(
    app, client, make_user, login
):
    user_id = make_user()
    login()
    response = client.post(
        "/profile/ratings",
        data={"vision-level": "3", "empowering-level": "2", "self_leadership-level": ""},
    )
    assert response.headers["Location"].endswith("/profile/ratings")
    page = client.get("/profile/ratings").get_data(as_text=True)
    assert "Saved 2 ratings: Vision 3, Empowering 2." in page
    assert "2 of 11 rated so far" in page and page.count("Not rated yet") == 9
    # the same levels again add nothing to the history
    client.post("/profile/ratings", data={"vision-level": "3", "empowering-level": "2"})
    assert "No rating changed" in client.get("/profile/ratings").get_data(as_text=True)
    # one bad value: nothing saved, the message names the capability, choices are kept
    bad = client.post("/profile/ratings", data={"vision-level": "4", "empowering-level": "9"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Empowering: choose a level from 0 to 5" in body
    assert 'href="#empowering-level-0"' in body
    assert 'id="vision-level-4" name="vision-level" type="radio" value="4" checked' in body
    with app.app_context():
        rows = db.session.scalars(sa.select(Rating).filter_by(user_id=user_id)).all()
        assert sorted((r.capability, r.level) for r in rows) == [("empowering", 2), ("vision", 3)]
    # a person who has rated nothing is told to rate first on the planner
    assert "rate-first" not in client.get("/planner").get_data(as_text=True)


def test_a_new_person_is_told_to_rate_first_and_unrated_gaps_say_so(client, make_user, login):
    make_user()
    login()
    planner = client.get("/planner?target=senior_practitioner").get_data(as_text=True)
    assert 'id="rate-first"' in planner and "counts as level 0" in planner
    assert "Not rated <span" in planner  # the gap table, not "0 (Not yet)"
    client.post("/profile/ratings", data={"vision-level": "1"})
    planner = client.get("/planner?target=senior_practitioner").get_data(as_text=True)
    assert 'id="rate-first"' not in planner


def test_ratings_keep_their_history(app, client, make_user, login):
    user_id = make_user()
    login()
    for level in ("1", "3", "4"):
        client.post("/profile/ratings/empowering", data={"empowering-level": level}, headers=HX)
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Rating).filter_by(user_id=user_id, capability="empowering")
        ).all()
        assert [r.level for r in rows] == [1, 3, 4]
        assert all(r.rated_by_id == user_id and r.kind == "self" for r in rows)
    html = client.get("/profile/ratings").get_data(as_text=True)
    assert "Your self-ratings over time" in html and "Every rating, newest first" in html
    assert html.count(">Empowering</td>") == 3


def test_bad_ratings_are_refused_with_a_message(client, make_user, login):
    make_user()
    login()
    response = client.post("/profile/ratings/vision", data={"vision-level": "9"}, headers=HX)
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)
    plain = client.post("/profile/ratings/vision", data={})
    assert plain.status_code == 422 and "Choose a level" in plain.get_data(as_text=True)
    assert (
        client.post("/profile/ratings/telepathy", data={"telepathy-level": "2"}).status_code == 404
    )


def test_completed_training(app, client, make_user, login):
    user_id = make_user()
    login()
    future = client.post(
        "/profile/training", data={"item": "mba", "completed_on": ["1", "1", "2999"]}
    )
    assert "The date must be today or in the past" in future.get_data(as_text=True)
    missing = client.post("/profile/training", data={"item": "", "completed_on": ["", "", ""]})
    assert "Choose the training you completed" in missing.get_data(as_text=True)
    ok = client.post(
        "/profile/training", data={"item": "mho_award", "completed_on": ["3", "4", "2023"]}
    )
    assert ok.status_code == 302
    assert "Mental Health Officer Award" in client.get("/profile/training").get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(sa.select(CompletedTraining).filter_by(user_id=user_id))
        row_id = row.id
    # one click only asks (GOV.UK confirmation page); the page's own "Yes" removes it
    for asked in (
        client.get(f"/profile/training/{row_id}/delete"),
        client.post(f"/profile/training/{row_id}/delete"),
    ):
        page = asked.get_data(as_text=True)
        assert asked.status_code == 200 and "Remove Mental Health Officer Award" in page
        assert "stops counting towards" in page
    with app.app_context():
        assert db.session.scalar(sa.select(CompletedTraining).filter_by(user_id=user_id))
    removed = client.post(f"/profile/training/{row_id}/delete", data={"confirm": "yes"})
    assert removed.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(CompletedTraining).filter_by(user_id=user_id)) is None
