"""Changes to a person's own profile, ratings and completed training."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from pathways.model import Framework
from planner.audit import record
from planner.extensions import db
from planner.models import CompletedTraining, Rating, ServiceAreaYears, User
from planner.people import profile_for


def save_profile(user: User, framework: Framework, data: dict) -> None:
    profile = profile_for(user)
    profile.current_role = data["current_role"]
    profile.years_qualified = float(data["years_qualified"])
    profile.registered = bool(data["registered"])
    profile.line_management = data["line_management"] == "yes"
    extra = data.get("extra_hours_per_week")
    profile.extra_hours_per_week = float(extra) if extra is not None else None
    existing = {
        a.area: a
        for a in db.session.scalars(sa.select(ServiceAreaYears).filter_by(user_id=user.id))
    }
    for slug in framework.service_areas:
        value = data.get(f"area_{slug}")
        if value is None or float(value) == 0:
            if slug in existing:
                db.session.delete(existing[slug])
        elif slug in existing:
            existing[slug].years = float(value)
        else:
            db.session.add(ServiceAreaYears(user_id=user.id, area=slug, years=float(value)))
    record("profile.update", "profile", user.id, "Profile updated")
    db.session.commit()


def record_rating(
    user: User, capability: str, level: int, *, rated_by: User, kind: str = "self"
) -> Rating:
    """Add a rating; earlier ratings are kept, so the history is never overwritten."""
    rating = Rating(
        user_id=user.id, capability=capability, level=level, kind=kind, rated_by_id=rated_by.id
    )
    db.session.add(rating)
    record(f"rating.{kind}", "rating", user.id, f"{capability} rated {level} ({kind})")
    db.session.commit()
    return rating


def record_ratings(user: User, levels: dict[str, int]) -> list[str]:
    """The self-assessment's one save: a rating for each capability whose level changed (one
    commit); returns the capabilities rated. Unchanged ones add nothing to the history."""
    from planner.people import latest_ratings

    current = {c: r.level for c, r in latest_ratings(user.id).items()}
    changed = [c for c, level in levels.items() if current.get(c) != level]
    for capability in changed:
        db.session.add(
            Rating(
                user_id=user.id,
                capability=capability,
                level=levels[capability],
                kind="self",
                rated_by_id=user.id,
            )
        )
    if changed:
        record("rating.self", "rating", user.id, f"{len(changed)} capabilities rated (self)")
    db.session.commit()
    return changed


def record_training(user: User, item: str, completed_on: date) -> CompletedTraining:
    row = db.session.scalar(sa.select(CompletedTraining).filter_by(user_id=user.id, item=item))
    if row is None:
        row = CompletedTraining(user_id=user.id, item=item, completed_on=completed_on)
        db.session.add(row)
    else:
        row.completed_on = completed_on
    record("training.record", "completed_training", user.id, f"{item} recorded as completed")
    db.session.commit()
    return row


def remove_training(user: User, row_id: int) -> bool:
    row = db.session.scalar(sa.select(CompletedTraining).filter_by(user_id=user.id, id=row_id))
    if row is None:
        return False
    db.session.delete(row)
    record(
        "training.remove",
        "completed_training",
        user.id,
        f"{row.item} removed from completed training",
    )
    db.session.commit()
    return True


def save_learning(user: User, entry, form) -> object:
    """Add a learning record entry (``entry`` None) or change one; one commit."""
    import json

    from planner.models import LearningEntry

    if entry is None:
        entry = LearningEntry(user_id=user.id)
        db.session.add(entry)
    before = entry.fingerprint if entry.verified_at else None
    entry.title = form.title.data.strip()
    entry.learned_on = form.learned_on.data
    entry.kind = form.kind.data
    entry.minutes = form.minutes.data
    entry.capabilities_json = json.dumps(list(form.capabilities.data or []))
    entry.topics_json = json.dumps(list(form.topics.data or []))
    entry.reflection = (form.reflection.data or "").replace("\r\n", "\n").strip()
    entry.evidence_link = (form.evidence_link.data or "").strip()
    if entry.verified_at is not None and entry.fingerprint != before:
        # What the manager verified is no longer what is there: the verification goes.
        entry.verified_at = None
        entry.verified_by_id = None
        entry.verification_requested_at = None  # the owner decides whether to ask again
        entry.verification_requested_of_id = None
        entry.verification_note = ""
        record("learning.unverify", "learning_entry", entry.id, "Changed after verification")
    db.session.flush()
    record(
        "learning.save", "learning_entry", entry.id, f"Learning record entry saved ({entry.kind})"
    )
    db.session.commit()
    return entry


class NoVerifier(ValueError):
    """The person has no line manager in their organisation who could verify their learning."""


class AlreadyAsked(ValueError):
    """The entry already waits for this line manager."""


def verifier_for(user: User) -> User | None:
    """Who verifies the person's learning: their line manager, if still active in the same
    organisation and holding the manager role."""
    manager = user.line_manager
    if (
        manager is None
        or not manager.active
        or manager.organisation_id != user.organisation_id
        or not manager.has_role("manager")
    ):
        return None
    return manager


def request_verification(user: User, entry, ask: bool) -> User | None:
    """Ask the line manager to verify an entry (``ask``), or withdraw the request. Returns
    the manager asked. A verified entry stays verified; withdrawing clears only a request."""
    from planner.models import utcnow

    manager = None
    if ask:
        manager = verifier_for(user)
        if manager is None:
            raise NoVerifier(
                "You have no line manager in Pathways who can verify learning. "
                "Ask your administrator to record your line manager."
            )
        if entry.verification_requested_at and entry.verification_requested_of_id == manager.id:
            raise AlreadyAsked(f"You have already asked {manager.name} to verify this entry.")
        entry.verification_requested_at = utcnow()
        entry.verification_requested_of_id = manager.id
        entry.verification_note = ""
        record("learning.verify_request", "learning_entry", entry.id, "Verification asked for")
    else:
        entry.verification_requested_at = None
        entry.verification_requested_of_id = None
        record(
            "learning.verify_withdraw", "learning_entry", entry.id, "Verification request withdrawn"
        )
    db.session.commit()
    return manager


def set_declaration_date(user: User, due: date | None) -> None:
    profile_for(user).declaration_due_on = due
    record("profile.declaration", "profile", user.id, "SSSC declaration date changed")
    db.session.commit()


def import_learning(user: User, rows) -> tuple[int, int, int]:
    """Add the entries read from a file (pathways.learning_record); an entry with the same
    date and title as one already in the record, or earlier in the file, is skipped.
    Returns (added, already in the record, repeated in the file). One commit."""
    import json

    from planner.models import LearningEntry

    def key(title: str, day: date) -> tuple:
        return (" ".join(title.lower().split()), day)

    have = {
        key(title, day)
        for title, day in db.session.execute(
            sa.select(LearningEntry.title, LearningEntry.learned_on).filter_by(user_id=user.id)
        )
    }
    added = skipped = repeated = 0
    in_file: set[tuple] = set()
    for row in rows:
        this = key(row.title, row.learned_on)
        if this in in_file:
            repeated += 1
            continue
        in_file.add(this)
        if this in have:
            skipped += 1
            continue
        db.session.add(
            LearningEntry(
                user_id=user.id,
                title=row.title,
                learned_on=row.learned_on,
                kind=row.kind,
                minutes=row.minutes,
                capabilities_json=json.dumps(list(row.capabilities)),
                topics_json=json.dumps(list(row.topics)),
                reflection=row.reflection,
                evidence_link=row.evidence_link,
            )
        )
        added += 1
    record("learning.import", "user_account", user.id, f"{added} entries imported")
    db.session.commit()
    return added, skipped, repeated


def delete_learning(user: User, entry) -> None:
    record("learning.delete", "learning_entry", entry.id, "Learning record entry deleted")
    db.session.delete(entry)
    db.session.commit()
