"""The organisation profile: what an organisation says it offers and how it works, kept as
a history of answers (planner.models.OrganisationAnswer), read as pathways'
OrganisationAnswers by the Iriss audit and by its people's route checks."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from pathways.model import Framework
from pathways.organisation import FACTS, YES, OrganisationAnswers, offer_questions
from planner.audit import record
from planner.extensions import db
from planner.models import OrganisationAnswer, User
from planner.models.organisation import FACT, OFFER

__all__ = [
    "current_answers",
    "answers_for_user",
    "save_answers",
    "history",
    "Answered",
    "team_roles",
]


@dataclass(frozen=True)
class Answered:
    """The current answer to one question, with who gave it and when."""

    value: str
    by: str
    at: object  # datetime


def _rows(organisation_id: int) -> list[OrganisationAnswer]:
    return list(
        db.session.scalars(
            sa.select(OrganisationAnswer)
            .where(OrganisationAnswer.organisation_id == organisation_id)
            .order_by(OrganisationAnswer.id)
        )
    )


def current(organisation_id: int | None) -> dict[tuple[str, str], Answered]:
    """(kind, question) to its newest answer; withdrawn answers are left out."""
    if organisation_id is None:
        return {}
    latest: dict[tuple[str, str], Answered] = {}
    for row in _rows(organisation_id):
        latest[(row.kind, row.question)] = Answered(
            row.value, row.answered_by_name or "Deleted account", row.answered_at
        )
    return {key: answer for key, answer in latest.items() if answer.value}


_VALUES = (  # built once: every planner request reads its organisation's answers
    sa.select(OrganisationAnswer.kind, OrganisationAnswer.question, OrganisationAnswer.value)
    .where(OrganisationAnswer.organisation_id == sa.bindparam("organisation_id"))
    .order_by(OrganisationAnswer.id)
)


def current_answers(organisation_id: int | None, framework: Framework) -> OrganisationAnswers:
    """The organisation's answers as the Iriss checks read them. ``framework`` is as the
    organisation sees it: its ``own_items`` (the organisation's local items) are offered by
    definition. One light query: the newest value of each question wins; a withdrawn answer
    ("") leaves it unanswered."""
    latest: dict[tuple[str, str], str] = {}
    if organisation_id is not None:
        for kind, question, value in db.session.execute(
            _VALUES, {"organisation_id": organisation_id}
        ):
            latest[(kind, question)] = value
    return OrganisationAnswers(
        offers={
            q: v == YES
            for (kind, q), v in latest.items()
            if v and kind == OFFER and q in framework.training
        },
        facts={q: v for (kind, q), v in latest.items() if v and kind == FACT},
        own_items=framework.own_items,
    )


def answers_for_user(user, framework: Framework) -> OrganisationAnswers:
    """The answers of the user's organisation, for their route checks. ``framework`` is as
    the organisation sees it: its ``own_items`` are the organisation's own, offered by
    definition (no query needed to find them)."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return OrganisationAnswers()
    return current_answers(organisation_id, framework)


def save_answers(
    organisation_id: int,
    user: User,
    framework: Framework,
    offers: dict[str, str],
    facts: dict[str, str],
) -> int:
    """Record every answer that changed ("" withdraws one); returns how many changed."""
    now = current(organisation_id)
    asked = {(OFFER, i.id) for i in offer_questions(framework)} | {(FACT, f.key) for f in FACTS}
    changed = 0
    given = [((OFFER, q), v) for q, v in offers.items()] + [
        ((FACT, q), v) for q, v in facts.items()
    ]
    for (kind, question), value in given:
        if (kind, question) not in asked:
            continue
        before = now.get((kind, question))
        if (before.value if before else "") == value:
            continue
        db.session.add(
            OrganisationAnswer(
                organisation_id=organisation_id,
                kind=kind,
                question=question,
                value=value,
                answered_by_id=user.id,
                answered_by_name=user.name,
            )
        )
        changed += 1
    if changed:
        record(
            "organisation_profile.update",
            "organisation",
            organisation_id,
            f"{changed} answer{'s' if changed != 1 else ''} in the organisation profile changed",
            actor=user,
            organisation_id=organisation_id,
        )
    db.session.commit()
    return changed


def history(organisation_id: int, offset: int, limit: int) -> tuple[int, list[OrganisationAnswer]]:
    """The answers given, newest first: (how many in all, one page of them)."""
    where = OrganisationAnswer.organisation_id == organisation_id
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(OrganisationAnswer).where(where)
    )
    rows = db.session.scalars(
        sa.select(OrganisationAnswer)
        .where(where)
        .order_by(OrganisationAnswer.answered_at.desc(), OrganisationAnswer.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return total or 0, list(rows)


def revision(organisation_id: int | None) -> int:
    """The version of the organisation's answers (its newest answer's number; 0 for none),
    so a save made from an out-of-date page is refused instead of overwriting."""
    if organisation_id is None:
        return 0
    newest = db.session.scalar(
        sa.select(sa.func.max(OrganisationAnswer.id)).where(
            OrganisationAnswer.organisation_id == organisation_id
        )
    )
    return newest or 0


def team_roles(organisation_id: int) -> dict[str, tuple[str, ...]]:
    """Each of the organisation's teams, by name, with its active members' current roles
    (for the team composition check; no names, no counts shown)."""
    from planner.models import Profile, Team

    rows = db.session.execute(
        sa.select(Team.name, Profile.current_role)
        .select_from(Team)
        .outerjoin(User, sa.and_(User.team_id == Team.id, User.active.is_(True)))
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(Team.organisation_id == organisation_id)
    )
    teams: dict[str, list[str]] = {}
    for name, role in rows:
        teams.setdefault(name, [])
        if role:
            teams[name].append(role)
    return {name: tuple(roles) for name, roles in teams.items()}


def describe(framework: Framework, row: OrganisationAnswer) -> tuple[str, str]:
    """An answer in words: (the question, the answer given)."""
    from pathways.organisation import FACTS_BY_KEY

    if row.kind == OFFER:
        item = framework.training.get(row.question)
        answer = {"yes": "Yes", "no": "No"}.get(row.value, "Answer withdrawn")
        return f"Offers: {item.title if item else row.question}", answer
    fact = FACTS_BY_KEY.get(row.question)
    if fact is None:
        return row.question, row.value or "Answer withdrawn"
    return fact.question, fact.label(row.value) if row.value else "Answer withdrawn"


def changes_since(organisation_id: int, seen: int) -> list[OrganisationAnswer]:
    """Answers given after revision ``seen`` (what someone else changed meanwhile)."""
    return list(
        db.session.scalars(
            sa.select(OrganisationAnswer)
            .where(
                OrganisationAnswer.organisation_id == organisation_id,
                OrganisationAnswer.id > seen,
            )
            .order_by(OrganisationAnswer.id)
        )
    )


def lock(organisation_id: int) -> None:
    """Serialise saves of one organisation's answers (PostgreSQL: a row lock until commit;
    SQLite serialises writers already), so two saves cannot both pass the revision check."""
    from planner.models import Organisation

    db.session.execute(
        sa.select(Organisation.id).where(Organisation.id == organisation_id).with_for_update()
    )
