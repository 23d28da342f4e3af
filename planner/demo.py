"""Demo data for `make run`: one organisation, two teams, people at different stages.

Every demo account has the password DEMO_PASSWORD. Never load this into a real deployment.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from planner.auth.operations import create_user
from planner.extensions import db
from planner.models import (
    CompletedTraining,
    Organisation,
    PlanItem,
    Profile,
    Rating,
    ServiceAreaYears,
    Team,
    User,
)

DEMO_PASSWORD = "pathways-demo"
ORGANISATION = "Demo Council Social Work Services"

# email, name, roles, team, current role, years qualified, no line management?, areas, base level
PEOPLE = [
    ("admin@demo.pathways", "Alex Admin", ["admin"], None, None, 0, False, {}, None),
    ("ld@demo.pathways", "Lee Learning", ["ld"], None, None, 0, False, {}, None),
    (
        "manager@demo.pathways",
        "Morgan Manager",
        ["manager", "practitioner"],
        "Children and Families East",
        "service_manager",
        18,
        False,
        {"children_families": 12, "justice": 4},
        4,
    ),
    (
        "teammanager@demo.pathways",
        "Taylor Team-Manager",
        ["practitioner", "manager"],
        "Adult Services West",
        "team_manager",
        11,
        False,
        {"adult_services": 8, "mental_health": 3},
        3,
    ),
    (
        "senior@demo.pathways",
        "Sam Senior",
        ["practitioner"],
        "Adult Services West",
        "senior_social_worker",
        7,
        False,
        {"adult_services": 7},
        3,
    ),
    (
        "practitioner@demo.pathways",
        "Priya Practitioner",
        ["practitioner"],
        "Children and Families East",
        "social_worker",
        4,
        True,
        {"children_families": 4},
        2,
    ),
    (
        "nqsw@demo.pathways",
        "Nico Newly-Qualified",
        ["practitioner"],
        "Children and Families East",
        "nqsw",
        0.5,
        False,
        {"children_families": 0.5},
        1,
    ),
]


# Edits the national framework for the whole deployment, so belongs to no organisation.
NATIONAL_EDITOR = ("editor@demo.pathways", "Eden Editor", ["national_editor"])


def load_demo(framework) -> list[tuple[str, str]]:
    """Create the demo organisation and people, once. Returns (email, description) pairs."""
    logins = [
        (email, f"{name} ({', '.join(roles)})")
        for email, name, roles, *_ in [*PEOPLE, NATIONAL_EDITOR]
    ]
    if db.session.scalar(sa.select(Organisation).filter_by(name=ORGANISATION)):
        return logins
    editor_email, editor_name, editor_roles = NATIONAL_EDITOR
    create_user(editor_name, editor_email, editor_roles, password=DEMO_PASSWORD)
    org = Organisation(name=ORGANISATION, email_domains="demo.pathways")
    teams = {
        name: Team(name=name, organisation=org)
        for name in ("Children and Families East", "Adult Services West")
    }
    db.session.add(org)
    db.session.flush()
    users: dict[str, User] = {}
    for email, name, roles, team, role, years_q, no_mgmt, areas, base in PEOPLE:
        user = create_user(
            name,
            email,
            roles,
            password=DEMO_PASSWORD,
            organisation_id=org.id,
            team_id=teams[team].id if team else None,
        )
        users[email] = user
        if role is None:
            continue
        profile = db.session.get(Profile, user.id)
        profile.current_role, profile.years_qualified, profile.line_management = (
            role,
            years_q,
            not no_mgmt,
        )
        for area, years in areas.items():
            db.session.add(ServiceAreaYears(user_id=user.id, area=area, years=years))
        _ratings(user, framework, base)
        db.session.add(
            CompletedTraining(
                user_id=user.id,
                item="qualifying_degree",
                completed_on=date.today() - timedelta(days=int(365 * years_q) + 30),
            )
        )
    manager, team_manager = users["manager@demo.pathways"], users["teammanager@demo.pathways"]
    for email in ("practitioner@demo.pathways", "nqsw@demo.pathways"):
        users[email].line_manager_id = manager.id
    users["senior@demo.pathways"].line_manager_id = team_manager.id
    team_manager.line_manager_id = manager.id
    db.session.commit()
    _shared_plan(framework, users["practitioner@demo.pathways"], manager)
    _learning_record(framework, users["practitioner@demo.pathways"], manager)
    _local_training(framework, org.id)
    _more_staff(framework, org.id, [t.id for t in teams.values()])
    _profile_answers(framework, org.id, users["ld@demo.pathways"])
    return logins


# The demo council's organisation profile: some of it answered, some not, so the audit shows
# met, not met and not assessed side by side. Fictional answers for a fictional council.
DEMO_OFFERS = {
    "reflective_supervision": "yes",
    "mentoring_senior_leaders": "yes",
    "induction_plan": "yes",
    "protected_caseload": "no",
    "secondment": "no",
}
DEMO_FACTS = {
    "dedicated_learning_function": "yes",
    "budget_setting": "partly",
    "chief_executive_access": "ad_hoc",
}


def _profile_answers(framework, organisation_id: int, author: User) -> None:
    from planner.catalogue.profile import save_answers

    offers = {k: v for k, v in DEMO_OFFERS.items() if k in framework.training}
    save_answers(organisation_id, author, framework, offers, DEMO_FACTS)


DEMO_STAFF = 36


def _more_staff(framework, organisation_id: int, team_ids: list[int]) -> None:
    """Staff without logins (no password), so the L&D insight page has numbers to show.
    Deterministic: the same demo every time."""
    import random

    from planner.frameworks import current_version
    from planner.plans.operations import save_plan

    rng = random.Random(2026)
    starts = [r for r in ("nqsw", "social_worker", "senior_social_worker") if r in framework.roles]
    if not starts:
        return
    version_id = current_version().id
    for n in range(DEMO_STAFF):
        user = create_user(
            f"Demo staff {n + 1:02d}",
            f"staff{n + 1:02d}@demo.pathways",
            ["practitioner"],
            organisation_id=organisation_id,
            team_id=team_ids[n % len(team_ids)],
        )
        role = rng.choice(starts)
        profile = db.session.get(Profile, user.id)
        profile.current_role, profile.years_qualified = role, rng.choice([0.5, 2, 4, 7])
        for slug in framework.capabilities:
            db.session.add(
                Rating(
                    user_id=user.id,
                    capability=slug,
                    level=rng.randint(1, 4),
                    kind="self",
                    rated_by_id=user.id,
                )
            )
        successors = sorted(framework.graph.successors(role))
        if successors and rng.random() < 0.7:
            target = rng.choice(successors)
            plan = save_plan(user, framework, version_id, role, target, [role, target])
            items = [i.id for i in framework.training_for_role(target)]
            for item in rng.sample(items, min(2, len(items))):
                db.session.add(
                    PlanItem(
                        plan_id=plan.id,
                        kind="training",
                        training_item=item,
                        title=framework.training[item].title,
                        role=target,
                    )
                )
    db.session.commit()


# Example local items (invented for the demo council, and labelled so in their notes).
DEMO_LOCAL_CSV = """id,title,kind,mode,capabilities,roles,sw_specific,status,embedded,duration,provider,cost,notes
demo_duty_senior_shadowing,Shadowing the duty senior,work_based,step_in,statutory_duties; professional_confidence,senior_social_worker; senior_practitioner,yes,optional,yes,2 weeks,Demo Council,free,Demo data: an invented local item.
demo_leading_practice_circle,Leading practice circle for senior social workers,developmental,peer_support,vision; empowering; creativity_innovation,senior_social_worker,yes,entitlement,yes,6 sessions a year,Demo Council L&D,free,Demo data: an invented local item.
"""


def _local_training(framework, organisation_id: int) -> None:
    from pathways.catalogue import CatalogueError, parse_catalogue_csv
    from planner.catalogue.operations import import_items

    try:
        items = parse_catalogue_csv(DEMO_LOCAL_CSV, framework)
    except CatalogueError:  # a framework without these roles: no demo items
        return
    import_items(organisation_id, items)


def _shared_plan(framework, member: User, manager: User) -> None:
    """Priya's plan towards senior practitioner, shared with her manager, with one career
    conversation already recorded, so the manager's pages have something to show."""
    from planner.frameworks import current_version
    from planner.plans.operations import add_item, save_plan, set_shared
    from planner.team.operations import record_conversation, record_manager_ratings

    route = ["social_worker", "senior_practitioner"]
    if not all(r in framework.roles for r in route):
        return
    plan = save_plan(
        member, framework, current_version().id, route[0], route[-1], route, "Quickest"
    )
    for item in ("practice_learning_qualification", "mentoring_senior_leaders"):
        if item in framework.training:
            add_item(
                plan,
                framework,
                kind="training",
                training_item=item,
                title=None,
                role=route[-1],
                service_area=None,
                due=date.today() + timedelta(days=60),
            )
    set_shared(plan, True)
    record_manager_ratings(member, manager, dict.fromkeys(list(framework.capabilities)[:4], 3))
    record_conversation(
        plan,
        manager,
        held_on=date.today() - timedelta(days=7),
        notes="Talked about moving towards senior practitioner without taking on line management.",
        prompts=["tool3_2", "nussbaum_2"],
        actions=[
            {
                "title": "Shadow a senior practitioner on duty for a week",
                "owner": "practitioner",
                "due": date.today() + timedelta(days=30),
            },
            {
                "title": "Ask learning and development about the PLQ intake",
                "owner": "manager",
                "due": date.today() + timedelta(days=14),
            },
        ],
    )


def _learning_record(framework, member: User, manager: User) -> None:
    """Priya's learning record: one entry her manager verified, one waiting for verification,
    one she keeps to herself, and her SSSC declaration date, so both sides have something to
    show. Fictional entries for a fictional person."""
    import json

    from planner.models import LearningEntry, utcnow

    today = date.today()
    profile = db.session.get(Profile, member.id)
    profile.declaration_due_on = today + timedelta(days=75)
    known = [c for c in ("self_leadership", "statutory_duties") if c in framework.capabilities]
    entries = [
        (
            "Trauma-informed practice webinar",
            40,
            "online",
            90,
            ["trauma_informed"],
            "verified",
            "I now open reviews by asking what would make the person feel safe.",
        ),
        (
            "Shadowed the duty senior practitioner",
            12,
            "shadowing",
            420,
            ["child_protection"],
            "requested",
            "Saw how the senior weighs risk when the information is thin.",
        ),
        (
            "Led the team's practice forum on kinship care",
            5,
            "leadership",
            None,
            [],
            "",
            "First time chairing; I want to do it again with more time for questions.",
        ),
    ]
    for title, days_ago, kind, minutes, topics, state, reflection in entries:
        db.session.add(
            LearningEntry(
                user_id=member.id,
                title=title,
                learned_on=today - timedelta(days=days_ago),
                kind=kind,
                minutes=minutes,
                topics_json=json.dumps(topics),
                capabilities_json=json.dumps(known[:1]),
                reflection=reflection,
                verification_requested_at=utcnow() if state else None,
                verification_requested_of_id=manager.id if state else None,
                verified_at=utcnow() if state == "verified" else None,
                verified_by_id=manager.id if state == "verified" else None,
            )
        )
    db.session.commit()


def _ratings(user: User, framework, base: int) -> None:
    """Two rounds of self-ratings six months apart, so the history chart has something to show."""
    earlier = datetime.now(UTC) - timedelta(days=180)
    for i, slug in enumerate(framework.capabilities):
        level = max(0, min(framework.max_level, base + (i % 3) - 1))
        db.session.add(
            Rating(
                user_id=user.id,
                capability=slug,
                level=max(0, level - 1),
                kind="self",
                rated_by_id=user.id,
                created_at=earlier,
            )
        )
        db.session.add(
            Rating(user_id=user.id, capability=slug, level=level, kind="self", rated_by_id=user.id)
        )
