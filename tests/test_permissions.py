"""Every URL in the app, tried as an anonymous visitor, as other people of the same
organisation, and as every role of a second organisation on the same deployment.

The matrix is generated from ``app.url_map``. Every endpoint declares who may reach it
(planner/permissions.py) and the classification here must agree with the declaration, so a
new route, or a changed rule, fails ``test_every_endpoint_declares_the_access_classified_here``
until it is classified (and so tested) here too."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import url_for

from planner.extensions import db
from planner.models import CompletedTraining, LearningEntry, Plan, PlanItem, Rating
from planner.permissions import Access, access_of
from tests.conftest import answer_profile, local_item_form, save_notes
from tests.pdf import pdf_text

PUBLIC = {
    "static",
    "healthz",
    "explore.role_map",
    "explore.role_page",
    "plans.try_planner",  # the planner without an account: nothing personal, nothing saved
    "auth.login",
    "auth.register",
    "auth.set_password",
    "auth.accept_invitation",
    "auth.forgot_password",
    "statements.accessibility",
    "statements.privacy",
    "auth.sso_start",  # single sign-on: off (404) unless configured; tests/test_sso.py
    "auth.sso_callback",
}
ADMIN_ONLY = {
    "statements.contact",
    "auth.users",
    "auth.person",
    "auth.leave",
    "auth.reactivate_person",
    "auth.user_link",
    "auth.import_people",
    "auth.export_people_file",
    "auth.audit_log",
}
SIGNED_IN = {  # any signed-in user, acting on their own data only
    "auth.logout",
    "profile.profile",
    "profile.ratings",
    "profile.rate",
    "profile.training",
    "profile.delete_training",
    "profile.learning",
    "profile.learning_entry",
    "profile.delete_learning_entry",
    "profile.learning_export",
    "profile.learning_pdf",
    "profile.learning_import",
    "profile.learning_declaration",
    "profile.learning_verification",
    "plans.planner",
    "plans.create_plan",
    "plans.plan_list",
    "plans.plan_detail",
    "plans.plan_add_item",
    "plans.plan_item_done",
    "plans.plan_delete",
    "plans.plan_rename",
    "plans.plan_pdf",
    "plans.plan_json",
    "plans.plan_share",
    "plans.plan_notes",
    "plans.plan_conversation",
    "plans.plan_conversation_pdf",
    "plans.plan_conversation_ics",
    "plans.plan_conversation_response",
    "account.account",
    "account.export",
    "account.reminders",
    "account.delete",
    "account.make_api_token",
    "account.revoke_api_token",
}
# The JSON API: a bearer token, never the session cookie (tests/test_api.py covers tokens).
API = {
    "api.framework",
    "api.roles",
    "api.role",
    "api.routes",
    "api.my_ratings",
    "api.add_rating",
    "api.my_plans",
    "api.add_plan_item",
    "api.update_plan_item",
    "api.insight",
}
PUBLIC_API = {"api.openapi"}
# Line managers, about plans their own direct reports have shared with them.
MANAGER = {
    "team.team",
    "team.conversation",
    "team.manager_ratings",
    "team.record",
    "team.conversation_detail",
    "team.conversation_ics",
    "team.conversation_detail_pdf",
    "team.learning_to_verify",
    "team.verify_learning",
}
# Learning and development (and administrators), about their own organisation only:
# the catalogue, coverage, aggregates and the audit. Never an individual.
LD = {
    "catalogue.catalogue",
    "catalogue.new_item",
    "catalogue.edit_item",
    "catalogue.retire_item",
    "catalogue.import_csv",
    "catalogue.export_csv",
    "catalogue.export_json",
    "catalogue.export_xlsx",
    "catalogue.export_coverage",
    "catalogue.export_insight",
    "catalogue.coverage_page",
    "catalogue.insight_page",
    "catalogue.audit",
    "catalogue.audit_pdf",
    "catalogue.organisation_profile",
    "catalogue.organisation_history",
}
# National framework editors (deployment level, in no organisation): the framework's
# versions and edits. No organisation's L&D or administrator.
EDITOR = {
    "editor.versions",
    "editor.version_detail",
    "editor.version_yaml",
    "editor.restore",
    "editor.compare",
    "editor.new_role",
    "editor.edit_role",
    "editor.new_transition",
    "editor.edit_transition",
    "editor.delete_transition",
    "editor.new_training",
    "editor.edit_training",
    "editor.export_yaml",
    "editor.import_yaml",
}
OWNED_ARGS = {"plan_id", "item_id", "row_id", "conversation_id", "token_id", "entry_id"}
ORGANISATION_ARGS = {"local_id", "user_id"}
# The L&D endpoints of the API: tokens of L&D staff or administrators.
LD_API = {"api.insight"}


def rules(app):
    return list(app.url_map.iter_rules())


def _expected_access(endpoint: str) -> Access:
    if endpoint in PUBLIC | PUBLIC_API:
        return Access("public")
    if endpoint in SIGNED_IN:
        return Access("signed_in")
    if endpoint in API:
        return Access("token", frozenset({"ld", "admin"} if endpoint in LD_API else ()))
    for group, roles in (
        (ADMIN_ONLY, {"admin"}),
        (MANAGER, {"manager"}),
        (LD, {"ld", "admin"}),
        (EDITOR, {"national_editor"}),
    ):
        if endpoint in group:
            return Access("role", frozenset(roles))
    raise AssertionError(f"classify {endpoint} in tests/test_permissions.py")


def test_every_endpoint_declares_the_access_classified_here(app):
    for rule in rules(app):
        declared = access_of(app, rule.endpoint)
        assert declared is not None, f"{rule.endpoint} declares no access"
        assert declared == _expected_access(rule.endpoint), rule.endpoint


def test_an_endpoint_that_declares_nothing_is_refused(app, client, make_user, login):
    """Deny by default: forgetting the declaration closes a page rather than opening it."""
    app.add_url_rule("/undeclared", "undeclared", lambda: "open to all")
    assert client.get("/undeclared").status_code == 403
    make_user("admin@example.org", roles=("admin", "ld", "manager", "national_editor"))
    login("admin@example.org")
    response = client.get("/undeclared")
    assert response.status_code == 403 and "open to all" not in response.get_data(as_text=True)


# In every name of the first organisation (people, teams, the organisation itself), so that
# one search of a response finds any of them.
MARK = "Zorblax"
SECRET = "Private action"
PRIVATE_NOTE = "My secret worry about the move"
CONVERSATION_NOTE = "Talked about the step to senior practitioner"
LOCAL_TITLE = "East council supervision course"


def _owner_data(app, client, make_user, login):
    """Practitioner A (reporting to manager "boss") with a plan shared with boss, an action,
    private notes, a completed-training row, a rating, and a recorded career conversation."""
    with app.app_context():
        from planner.models import Organisation, Team

        org = Organisation(name=f"{MARK} council")
        db.session.add(org)
        db.session.flush()
        teams = [Team(organisation_id=org.id, name=f"{MARK} {n}") for n in ("East", "West")]
        db.session.add_all(teams)
        db.session.commit()
        org_id, east, west = org.id, teams[0].id, teams[1].id
    boss = make_user(
        "boss@example.org",
        name=f"Bea {MARK}",
        roles=("manager",),
        organisation_id=org_id,
        team_id=east,
    )
    owner_id = make_user(
        "owner@example.org",
        name=f"Olu {MARK}",
        organisation_id=org_id,
        team_id=east,
        line_manager_id=boss,
    )
    login("owner@example.org")
    location = client.post(
        "/plans",
        data={"target": "senior_practitioner", "route": "social_worker,senior_practitioner"},
    ).headers["Location"]
    client.post(
        location + "/items",
        data={
            "kind": "other",
            "title": SECRET,
            "training_item": "",
            "role": "",
            "service_area": "",
        },
    )
    save_notes(client, location, PRIVATE_NOTE)
    client.post(location + "/share", data={"share": "1"})
    client.post("/profile/training", data={"item": "mba", "completed_on": ["1", "2", "2020"]})
    client.post("/profile/ratings/vision", data={"vision-level": "4"})
    client.post("/account/tokens", data={"name": "HR system"})
    learned = client.post(
        "/profile/learning",
        data={
            "title": f"Learning {SECRET}",
            "learned_on": ["3", "3", "2026"],
            "kind": "reading",
            "reflection": PRIVATE_NOTE,
        },
    )
    assert learned.status_code == 302, learned.get_data(as_text=True)[-600:]
    client.post("/logout")
    login("boss@example.org")
    plan_id = int(location.rsplit("/", 1)[1])
    client.post(
        f"/team/plans/{plan_id}/conversations",
        data={
            "held_on": ["1", "11", "2026"],
            "next_on": ["1", "2", "2027"],
            "notes": CONVERSATION_NOTE,
        },
    )
    client.post("/logout")
    # everyone else: a practitioner in the same team, a manager of another team, L&D, admin
    make_user("intruder@example.org", organisation_id=org_id, team_id=east, line_manager_id=boss)
    make_user("othermanager@example.org", roles=("manager",), organisation_id=org_id, team_id=west)
    make_user("ld@example.org", name=f"Lee {MARK}", roles=("ld",), organisation_id=org_id)
    make_user("admin@example.org", name=f"Ali {MARK}", roles=("admin",), organisation_id=org_id)
    # the organisation profile, answered by "Lee MARK": their name is on the answers' history
    login("ld@example.org")
    assert (
        answer_profile(client, offer_secondment="yes", fact_budget_setting="fully").status_code
        == 302
    )
    client.post("/logout")
    with app.app_context():
        from planner.models import ApiToken, Conversation, LocalTraining, Organisation

        elsewhere = Organisation(name="Another council")
        db.session.add(elsewhere)
        db.session.commit()
        other_org = elsewhere.id
    make_user("otherld@example.org", roles=("ld",), organisation_id=other_org)
    login("ld@example.org")
    client.post("/catalogue/new", data=local_item_form("our_course", LOCAL_TITLE))
    client.post("/logout")
    with app.app_context():
        plan = db.session.scalar(sa.select(Plan).filter_by(user_id=owner_id))
        assert plan.shared and plan.private_notes == PRIVATE_NOTE
        values = {
            "plan_id": plan.id,
            "item_id": plan.items[0].id,
            "conversation_id": db.session.scalar(sa.select(Conversation.id)),
            "local_id": db.session.scalar(sa.select(LocalTraining.id)),
            "token_id": db.session.scalar(sa.select(ApiToken.id)),
            "row_id": db.session.scalar(
                sa.select(CompletedTraining.id).filter_by(user_id=owner_id)
            ),
            "user_id": owner_id,
            "entry_id": db.session.scalar(sa.select(LearningEntry.id)),
            "slug": "cswo",
            "capability": "vision",
            "token": "not-a-token",
            "filename": "css/app.css",
            "version_id": 1,
            "source": "social_worker",
            "target": "senior_practitioner",
            "training_id": "mba",
            "fmt": "csv",
        }
    return owner_id, values


def _urls(app, values):
    with app.test_request_context():
        for rule in rules(app):
            args = {name: values[name] for name in rule.arguments}
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method, url_for(rule.endpoint, **args)


def test_anonymous_visitors_are_sent_to_sign_in(app, client, make_user, login):
    _, values = _owner_data(app, client, make_user, login)
    for rule, method, url in _urls(app, values):
        response = client.open(url, method=method, data={})
        if rule.endpoint in API:  # JSON, and no redirect to a sign-in page
            assert response.status_code == 401 and response.is_json, (method, url)
        elif rule.endpoint in PUBLIC_API:
            assert response.status_code == 200, url
        elif rule.endpoint in PUBLIC:
            assert response.status_code != 302 or "/login" not in response.headers.get(
                "Location", ""
            ), url
        else:
            assert response.status_code == 302, (method, url, response.status_code)
            assert response.headers["Location"].startswith("/login?next="), (method, url)
        response.close()


def _snapshot(app, owner_id):
    from planner.models import Conversation, LocalTraining, User

    with app.app_context():
        plan = db.session.scalar(sa.select(Plan).filter_by(user_id=owner_id))
        owner = db.session.get(User, owner_id)
        return (
            (owner.active, owner.left_on, owner.team_id, owner.line_manager_id),
            sorted(owner.roles),
            plan.shared,
            plan.private_notes,
            [(i.title, i.status) for i in plan.items],
            db.session.scalar(sa.select(sa.func.count(Conversation.id))),
            db.session.scalar(sa.select(sa.func.count(Rating.id))),
            db.session.scalar(sa.select(sa.func.count(CompletedTraining.id))),
            [
                (t.title, t.retired)
                for t in db.session.scalars(sa.select(LocalTraining).order_by(LocalTraining.id))
            ],
        )


ATTEMPT = {  # a plausible body for every form, so a missing check would change something
    "done": "1",
    "share": "0",
    "notes": "overwritten",
    "kind": "other",
    "title": "x",
    "training_item": "",
    "role": "",
    "service_area": "",
    "vision": "1",
    "rating_vision": "1",
    "held_on": ["2", "11", "2026"],
    "retire": "1",
    "confirm": "yes",  # the confirmation pages' "Yes"
    "ask": "1",
    "decision": "verify",
}

PERSONAS = {  # email: (is an administrator, is L&D or admin in the owner's organisation)
    "intruder@example.org": (False, False),
    "othermanager@example.org": (False, False),
    "ld@example.org": (False, True),
    "otherld@example.org": (False, False),
    "admin@example.org": (True, True),
}


def test_no_one_else_can_read_or_change_someone_elses_data(app, client, make_user, login):
    """Every URL with an object id, as a practitioner in the same team, a manager of another
    team, L&D and an administrator: not found or forbidden, and nothing leaks or changes."""
    owner_id, values = _owner_data(app, client, make_user, login)
    before = _snapshot(app, owner_id)
    for email, (admin, same_org_ld) in PERSONAS.items():
        login(email)
        tried = 0
        for rule, method, url in _urls(app, values):
            if rule.endpoint in API:
                expected = {401}  # a session cookie never opens the API
            elif rule.endpoint in PUBLIC_API:
                continue
            elif rule.endpoint in EDITOR:
                if "ld@" in email or admin:
                    continue  # editors: see test_editor.py
                expected = {403}
            elif rule.endpoint in LD:
                if same_org_ld:
                    continue  # their own organisation's catalogue: see test_catalogue.py
                is_ld = "ld@" in email
                expected = (
                    ({404} if ORGANISATION_ARGS & set(rule.arguments) else {200, 302, 400})
                    if is_ld
                    else {403}
                )
            elif rule.endpoint in ADMIN_ONLY:
                expected = {200, 302, 400} if admin else {403}
            elif rule.endpoint in MANAGER:
                has_role = "manager" in email
                # their own (empty) team page is fine; the owner's plan is not found
                expected = (
                    ({404} if OWNED_ARGS & set(rule.arguments) else {200}) if has_role else {403}
                )
            elif OWNED_ARGS & set(rule.arguments):
                expected = {404}
            else:
                continue
            response = client.open(url, method=method, data=ATTEMPT)
            body = response.get_data().decode(errors="replace")
            assert response.status_code in expected, (email, method, url, response.status_code)
            secrets = (SECRET, PRIVATE_NOTE, CONVERSATION_NOTE)
            if not same_org_ld:
                secrets += (LOCAL_TITLE,)
            for secret in secrets:
                assert secret not in body, (email, url, secret)
            tried += 1
        assert tried >= 12, email
        client.post("/logout")
    assert _snapshot(app, owner_id) == before
    # the intruder's own views show only their own data
    login("intruder@example.org")
    assert SECRET not in client.get("/plans").get_data(as_text=True)
    export = client.get("/account/export.json").get_data(as_text=True)
    assert "owner@example.org" not in export and SECRET not in export


def test_the_line_manager_sees_the_shared_plan_but_never_private_notes(
    app, client, make_user, login
):
    owner_id, values = _owner_data(app, client, make_user, login)
    login("boss@example.org")
    for rule, method, url in _urls(app, values):
        if rule.endpoint in MANAGER and method == "GET":
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.get_data()
            text = pdf_text(body) if url.endswith(".pdf") else body.decode()
            if rule.endpoint.startswith("team.conversation_detail"):  # the record, page or PDF
                assert CONVERSATION_NOTE in text, url  # so the text was really read
            assert PRIVATE_NOTE not in text, url
    assert CONVERSATION_NOTE in client.get(
        f"/team/plans/{values['plan_id']}/conversations/{values['conversation_id']}"
    ).get_data(as_text=True)
    # once the owner withdraws the plan, every manager URL about it is gone
    client.post("/logout")
    login("owner@example.org")
    client.post(f"/plans/{values['plan_id']}/share", data={"share": "0"})
    client.post("/logout")
    login("boss@example.org")
    for rule, method, url in _urls(app, values):
        if rule.endpoint in MANAGER and "plan_id" in rule.arguments:
            response = client.open(url, method=method, data=ATTEMPT)
            assert response.status_code == 404, url
            assert CONVERSATION_NOTE not in response.get_data().decode(errors="replace")
    assert SECRET not in client.get("/team").get_data(as_text=True)


def test_ratings_and_exports_are_per_person(app, client, make_user, login):
    owner_id, _ = _owner_data(app, client, make_user, login)
    make_user("other@example.org")
    login("other@example.org")
    assert "Not rated yet" in client.get("/profile/ratings").get_data(as_text=True)
    client.post("/profile/ratings/vision", data={"vision-level": "1"})
    with app.app_context():
        owner = db.session.scalars(sa.select(Rating).filter_by(user_id=owner_id)).all()
        assert [r.level for r in owner] == [4]


def test_deactivated_accounts_cannot_sign_in(app, client, make_user):
    from planner.models import User
    from tests.conftest import PASSWORD

    user_id = make_user()
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    response = client.post("/login", data={"email": "prac@example.org", "password": PASSWORD})
    assert (
        response.status_code == 200
        and "Enter a correct email address and password" in response.get_data(as_text=True)
    )


def test_plan_items_are_only_found_through_their_plan(app, client, make_user, login):
    _, values = _owner_data(app, client, make_user, login)
    login("owner@example.org")
    other = client.post(
        "/plans", data={"target": "practice_educator", "route": "social_worker,practice_educator"}
    ).headers["Location"]
    # the owner's item id under the owner's other plan: not found, not changed
    response = client.post(f"{other}/items/{values['item_id']}/done", data={"done": "1"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(PlanItem, values["item_id"]).status == "planned"


# --- a second organisation on the same deployment --------------------------------------

SECOND = "Borealis"
SECOND_ORG = {  # email: roles; every role an organisation has
    "admin@b-council.example": ("admin",),
    "ld@b-council.example": ("ld",),
    "manager@b-council.example": ("manager",),
    "prac@b-council.example": ("practitioner",),
}
FIRST_ORG_CONTENT = (
    MARK,
    "owner@example.org",
    "boss@example.org",
    SECRET,
    PRIVATE_NOTE,
    CONVERSATION_NOTE,
    LOCAL_TITLE,
)


def _second_organisation(app, client, make_user, login) -> dict[str, str]:
    """A second council with one person in each role, a practitioner's plan shared with its
    manager, a local catalogue item and some audit events of its own; an API token for each
    person. Returns email -> token."""
    from planner.models import Organisation

    with app.app_context():
        org = Organisation(name=f"{SECOND} council")
        db.session.add(org)
        db.session.commit()
        org_id = org.id
    ids = {
        email: make_user(
            email,
            name=f"{email.split('@')[0].title()} {SECOND}",
            roles=roles,
            organisation_id=org_id,
        )
        for email, roles in SECOND_ORG.items()
    }
    with app.app_context():
        from planner.models import User

        db.session.get(User, ids["prac@b-council.example"]).line_manager_id = ids[
            "manager@b-council.example"
        ]
        db.session.commit()
    login("prac@b-council.example")
    location = client.post(
        "/plans", data={"target": "practice_educator", "route": "social_worker,practice_educator"}
    ).headers["Location"]
    client.post(location + "/share", data={"share": "1"})
    client.post("/logout")
    login("ld@b-council.example")
    client.post("/catalogue/new", data=local_item_form("their_course", f"{SECOND} course"))
    client.post("/logout")
    tokens = {}
    for email in SECOND_ORG:
        login(email)
        page = client.post("/account/tokens", data={"name": "integration"}).get_data(as_text=True)
        tokens[email] = re.search(r"pw_[A-Za-z0-9_-]{20,}", page).group(0)
        client.post("/logout")
    return tokens


def _absent(body: str, who: str, url: str) -> None:
    for content in FIRST_ORG_CONTENT:
        assert content not in body, (who, url, content)


def test_a_second_organisation_sees_nothing_of_the_first(app, client, make_user, login):
    """Every URL and method, with the first organisation's object ids, as the second
    organisation's administrator, L&D, manager and practitioner: forbidden or not found
    where it names the first organisation's objects, nothing of the first organisation in
    any response, and nothing of it changed."""
    owner_id, values = _owner_data(app, client, make_user, login)
    _second_organisation(app, client, make_user, login)
    before = _snapshot(app, owner_id)
    for email, roles in SECOND_ORG.items():
        login(email)
        assert SECOND in client.get("/profile").get_data(as_text=True)  # really signed in
        tried = 0
        for rule, method, url in _urls(app, values):
            if rule.endpoint in API | PUBLIC_API or rule.endpoint == "auth.logout":
                continue  # the API: see the next test
            declared = access_of(app, rule.endpoint)
            response = client.open(url, method=method, data=ATTEMPT)
            body = response.get_data().decode(errors="replace")
            if declared.who == "role" and not declared.roles & set(roles):
                assert response.status_code == 403, (email, method, url, response.status_code)
            elif (OWNED_ARGS | ORGANISATION_ARGS) & set(rule.arguments):
                assert response.status_code == 404, (email, method, url, response.status_code)
            else:
                assert response.status_code < 500, (email, method, url, response.status_code)
            if url.endswith(".pdf") and response.status_code == 200:
                body += pdf_text(response.get_data())
            response.close()
            _absent(body, email, url)
            tried += 1
        assert tried >= 60, email
        client.post("/logout")
    assert _snapshot(app, owner_id) == before


def test_a_second_organisations_api_tokens_reach_nothing_of_the_first(
    app, client, make_user, login
):
    owner_id, values = _owner_data(app, client, make_user, login)
    tokens = _second_organisation(app, client, make_user, login)
    before = _snapshot(app, owner_id)
    api_rules = [(r, m, u) for r, m, u in _urls(app, values) if r.endpoint in API]
    assert len(api_rules) >= 10
    for email, token in tokens.items():
        headers = {"Authorization": f"Bearer {token}"}
        for rule, method, url in api_rules:
            response = client.open(url, method=method, headers=headers, json={"status": "done"})
            assert response.is_json and response.status_code < 500, (email, url)
            if "plan_id" in rule.arguments:
                assert response.status_code == 404, (email, method, url)
            if rule.endpoint in LD_API:
                expected = 200 if {"ld", "admin"} & set(SECOND_ORG[email]) else 403
                assert response.status_code == expected, (email, url)
            _absent(response.get_data(as_text=True), email, url)
    assert _snapshot(app, owner_id) == before
