"""Flask client tests: the role map, role pages, errors, the load command and migrations."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from planner.extensions import db
from planner.models import FrameworkVersion
from tests.conftest import add_learning_entry, fill_user_data, local_item_form


def test_map_shows_an_svg_with_every_role_linked(client, framework):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'aria-labelledby="map-title map-desc"' in svg
    for slug in framework.roles:
        assert f'href="/roles/{slug}"' in svg
    assert svg.count('class="node positional"') == sum(
        r.positional for r in framework.roles.values()
    )
    assert svg.count('class="node non-positional"') == sum(
        not r.positional for r in framework.roles.values()
    )
    drawn = re.findall(r'class="edge (\w+)"', svg)
    assert len(drawn) == len(framework.transitions)
    # sideways and return moves are drawn (and styled) as such, as many as the framework has
    kinds = [t.kind for t in framework.transitions]
    assert sorted(drawn) == sorted(kinds)
    assert kinds.count("sideways") >= 4 and kinds.count("return") >= 4


def test_map_has_a_text_alternative_by_track_and_stage(client, framework):
    html = client.get("/").get_data(as_text=True)
    alt = html[html.index('id="roles-list"') :]
    for role in framework.roles.values():
        assert f">{role.title}</a>" in alt.replace("&#39;", "'")
    assert "Expert and research (non-management)" in alt
    assert "non-management role" in alt and "leads to" in alt
    assert (
        "<noscript" not in html and "<form" not in html.split('id="roles-list"')[1]
    )  # plain links


def test_every_role_page(client, framework):
    for slug, role in framework.roles.items():
        response = client.get(f"/roles/{slug}")
        assert response.status_code == 200, slug
        html = response.get_data(as_text=True).replace("&#39;", "'").replace("&amp;", "&")
        assert f'<h1 class="govuk-heading-xl">{role.title}</h1>' in html
        assert "Capabilities required" in html and "Sources" in html
        assert (
            "Management (positional) role" if role.positional else "Non-management role"
        ) in html


def test_cswo_page_lists_duties_and_sources(client):
    html = client.get("/roles/cswo").get_data(as_text=True)
    assert "secure accommodation" in html
    assert "Social Work (Scotland) Act 1968" in html
    assert "<q>in terms of leadership in a local authority" in html


def test_senior_social_worker_page_shows_the_training_gap(client):
    html = client.get("/roles/senior_social_worker").get_data(as_text=True)
    assert (
        "Training gap." in html and "there is no specific training for that level of worker" in html
    )


def test_role_page_shows_levels_with_descriptors_and_moves(client):
    html = client.get("/roles/social_worker").get_data(as_text=True)
    assert "3 – Competent" in html and "Plans and acts independently" in html
    assert (
        'href="/roles/mental_health_officer"' in html
        and "Hold the Mental Health Officer Award" in html
    )


def test_unknown_role_is_a_friendly_404(client):
    response = client.get("/roles/chief")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert (
        "There is no role called 'chief'" in html.replace("&#39;", "'") and "Traceback" not in html
    )


def test_without_a_framework_the_map_explains_what_to_do(empty_app):
    response = empty_app.test_client().get("/")
    assert response.status_code == 503
    assert "load-framework" in response.get_data(as_text=True)


def test_load_framework_command_is_idempotent(empty_app, tmp_path):
    runner = empty_app.test_cli_runner()
    first = runner.invoke(args=["load-framework"])
    assert first.exit_code == 0 and "loaded; it is now current" in first.output
    second = runner.invoke(args=["load-framework"])
    assert "already loaded" in second.output
    with empty_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FrameworkVersion)) == 1


def test_load_framework_command_rejects_a_bad_file_and_writes_nothing(empty_app, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("framework: {id: x}\n")
    result = empty_app.test_cli_runner().invoke(args=["load-framework", str(bad)])
    assert result.exit_code != 0 and "bad.yaml:1" in result.output
    with empty_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FrameworkVersion)) == 0


def test_static_css_is_served_locally(client):
    html = client.get("/").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html)
    assert links and all(link.startswith("/static/") for link in links)
    response = client.get(links[0])
    assert response.status_code == 200
    response.close()


def test_migrations_downgrade_to_base_and_upgrade_again(app, client, make_user, login):
    from planner.models import Organisation

    with app.app_context():
        org = Organisation(name="Migrating council")
        db.session.add(org)
        db.session.commit()
        org_id = org.id
    boss = make_user("boss@example.org", roles=("manager", "ld"), organisation_id=org_id)
    make_user(line_manager_id=boss, organisation_id=org_id)
    login()
    location = fill_user_data(client)  # profile, ratings, training, plan, items
    client.post(location + "/share", data={"share": "1"})
    client.post("/logout")
    login("boss@example.org")
    client.post(
        location.replace("/plans/", "/team/plans/") + "/conversations",
        data={"held_on": ["1", "11", "2026"], "notes": "n", "actions-0-title": "Agreed"},
    )
    client.post("/catalogue/new", data=local_item_form())
    client.post("/logout")
    login()
    add_learning_entry(client)
    with app.app_context():
        for table in (
            "user_account",
            "rating",
            "completed_training",
            "plan",
            "plan_item",
            "framework_version",
            "conversation",
            "local_training",
            "audit_event",
            "current_rating",
            "learning_entry",
        ):
            assert db.session.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() > 0, table
        db.session.remove()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {
            "framework_version",
            "user_account",
            "rating",
            "plan",
            "plan_item",
            "profile",
            "conversation",
            "local_training",
            "audit_event",
        } <= tables


def test_plan_names_migrate_down_cut_to_40_and_up_keep_120(app, client, make_user, login):
    """7a41c0de9b12 widens plan.label; going down cuts longer names rather than failing
    (PostgreSQL refuses to shorten a column holding longer values)."""
    make_user()
    login()
    name = "Quickest, fewest capabilities to develop, without line management"
    client.post(
        "/plans",
        data={
            "target": "consultant_social_worker",
            "route": "social_worker,research_practitioner,consultant_social_worker",
            "label": name,
        },
    )
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT label FROM plan")) == name
        db.session.remove()
        downgrade(revision="d3ee841071b0")
        assert db.session.scalar(sa.text("SELECT label FROM plan")) == name[:40]
        db.session.remove()
        upgrade()
        db.session.execute(sa.text("UPDATE plan SET label = :name"), {"name": (name * 2)[:120]})
        db.session.commit()
        assert db.session.scalar(sa.text("SELECT label FROM plan")) == (name * 2)[:120]


def test_learning_verification_migrates_down_and_up_keeping_the_entries(
    app, client, make_user, login
):
    """f1c4d2e8a7b3 adds verification, SSSC topics and the declaration date; going down
    keeps every entry (without them), and coming up again gives them back empty."""
    boss = make_user("boss@example.org", roles=("manager",))
    make_user(line_manager_id=boss)
    login()
    client.post(
        "/profile/learning",
        data={
            "title": "Child protection update",
            "learned_on": ["1", "6", "2026"],
            "kind": "course",
            "topics": ["child_protection"],
        },
    )
    client.post("/profile/learning/declaration", data={"due_on": ["31", "3", "2027"]})
    client.post("/profile/learning/1/verification", data={"ask": "1"})
    with app.app_context():
        row = db.session.execute(
            sa.text("SELECT title, topics_json, verification_requested_at FROM learning_entry")
        ).one()
        assert row[0] == "Child protection update" and "child_protection" in row[1] and row[2]
        db.session.remove()
        downgrade(revision="e5b2a9d4c310")
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("learning_entry")}
        assert "verified_by_id" not in columns and "topics_json" not in columns
        assert db.session.scalar(sa.text("SELECT title FROM learning_entry")) == row[0]
        db.session.remove()
        upgrade()
        again = db.session.execute(
            sa.text("SELECT title, topics_json, verification_note FROM learning_entry")
        ).one()
        assert tuple(again) == ("Child protection update", "[]", "")


UNREACHABLE = [
    "sqlite:////nonexistent-directory/pathways.sqlite",
    "postgresql+psycopg://pathways@127.0.0.1:9/pathways?connect_timeout=2",  # nothing listens
]


@pytest.mark.parametrize("url", UNREACHABLE, ids=["sqlite", "postgresql"])
def test_an_unreachable_database_gives_a_clear_503(url):
    from planner import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    for method, path in (("GET", "/"), ("POST", "/login")):
        response = client.open(
            path, method=method, data={"email": "a@example.org", "password": "x" * 12}
        )
        body = response.get_data(as_text=True)
        assert response.status_code == 503, (path, response.status_code)
        assert "The database is not available at the moment" in body
        assert "Traceback" not in body and "psycopg" not in body and "sqlite3" not in body
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("url", UNREACHABLE, ids=["sqlite", "postgresql"])
def test_the_health_check_answers_without_the_database(url):
    from planner import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok\n"
    assert response.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in response.headers


def test_huge_ids_in_urls_are_not_found(client, make_user, login):
    """Found by schemathesis: an id past the database's integer range must be a 404."""
    make_user()
    login()
    for url in ("/plans/9223372036854775808", "/plans/2147483648.pdf", "/team/plans/99999999999"):
        assert client.get(url).status_code == 404, url


def test_role_page_says_how_sure_its_figures_are(client):
    """Estimates, inferences and evidence are marked where the person reads the figure."""
    html = client.get("/roles/social_worker").get_data(as_text=True).replace("&#39;", "'")
    assert "Typically about 3 years in role (an estimate)" in html
    assert "Required capability levels are Pathways' inference" in html
    assert "why this scale" in html and "Benner, P. (1984) From Novice to Expert" in html
    # a move the sources do not describe says so; advice is not worded as a requirement
    assert "Pathways' inference: the sources do not describe how a social worker becomes" in html
    assert "At least 3 years qualified (often held)" in html
    assert "Hold the Mental Health Officer Award (required)" in html
    head = client.get("/roles/head_of_service").get_data(as_text=True).replace("&#39;", "'")
    assert "About this role: Pathways' inference: the Scottish report speaks only of" in head
    nqsw = client.get("/roles/nqsw").get_data(as_text=True)
    assert "Typically 1 year in role</span>" in nqsw  # the first year is not an estimate
    assert "NQSW Supported Year" in nqsw and "Yes, nationally" in nqsw
