"""Local training items in the database, and the framework as an organisation sees it."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from pathways.catalogue import with_local_training
from pathways.model import Framework, TrainingItem
from planner.audit import record
from planner.extensions import db
from planner.models import LocalTraining, User


def row_item(row: LocalTraining) -> TrainingItem:
    return TrainingItem(
        id=row.slug,
        title=row.title,
        kind=row.kind,
        mode=row.mode,
        capabilities=tuple(row.capabilities),
        roles=tuple(row.roles),
        sw_specific=row.sw_specific,
        scope="local",
        status=row.status,
        embedded=row.embedded,
        duration=row.duration,
        provider=row.provider,
        notes=row.notes,
        cost=row.cost,
        link=row.link,
    )


def local_rows(organisation_id: int | None, *, retired: bool | None = None) -> list[LocalTraining]:
    if organisation_id is None:
        return []
    query = sa.select(LocalTraining).filter_by(organisation_id=organisation_id)
    if retired is not None:
        query = query.filter_by(retired=retired)
    return list(db.session.scalars(query.order_by(LocalTraining.title, LocalTraining.id)))


_OFFERED = (  # built once: every planning request reads the organisation's offered items
    sa.select(LocalTraining)
    .where(
        LocalTraining.organisation_id == sa.bindparam("organisation_id"),
        LocalTraining.retired.is_(False),
    )
    .order_by(LocalTraining.title, LocalTraining.id)
)


def local_items(organisation_id: int | None, framework: Framework) -> tuple[TrainingItem, ...]:
    """The organisation's offered (not retired) items that still fit ``framework``: an item
    naming a role or capability a newer framework dropped keeps only the ones that exist."""
    if organisation_id is None:
        return ()
    items = []
    for row in db.session.scalars(_OFFERED, {"organisation_id": organisation_id}):
        item = row_item(row)
        caps = tuple(c for c in item.capabilities if c in framework.capabilities)
        roles = tuple(r for r in item.roles if r in framework.roles)
        if item.id in framework.training or not caps or not roles:
            continue
        if (caps, roles) != (item.capabilities, item.roles):
            item = dataclasses.replace(item, capabilities=caps, roles=roles)
        items.append(item)
    return tuple(items)


def framework_for_organisation(framework: Framework, organisation_id: int | None) -> Framework:
    return with_local_training(framework, local_items(organisation_id, framework))


def framework_for_user(user: User) -> Framework:
    """The current framework with the user's organisation's local training added."""
    from planner.frameworks import framework_or_503

    return framework_for_organisation(framework_or_503(), user.organisation_id)


def _apply(row: LocalTraining, item: TrainingItem) -> None:
    row.slug = item.id
    row.title = item.title
    row.kind = item.kind
    row.mode = item.mode
    row.capabilities = item.capabilities
    row.roles = item.roles
    row.sw_specific = item.sw_specific
    row.status = item.status
    row.embedded = item.embedded
    row.duration = item.duration
    row.provider = item.provider
    row.cost = item.cost
    row.link = item.link
    row.notes = item.notes


def save_item(organisation_id: int, item: TrainingItem, row: LocalTraining | None = None):
    if row is None:
        row = LocalTraining(organisation_id=organisation_id)
        db.session.add(row)
    _apply(row, item)
    db.session.flush()
    record("catalogue.save", "local_training", row.id, f"Local item saved: {item.title[:200]}")
    db.session.commit()
    return row


def import_items(organisation_id: int, items: list[TrainingItem]) -> tuple[int, int]:
    """Create or update every item in one transaction: all of them, or (on any database
    error) none. Returns (created, updated)."""
    existing = {r.slug: r for r in local_rows(organisation_id)}
    created = updated = 0
    try:
        for item in items:
            row = existing.get(item.id)
            if row is None:
                row = LocalTraining(organisation_id=organisation_id)
                db.session.add(row)
                created += 1
            else:
                updated += 1
            _apply(row, item)
        record(
            "catalogue.import",
            "organisation",
            organisation_id,
            f"CSV import: {created} new, {updated} updated",
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return created, updated


def set_retired(row: LocalTraining, retired: bool) -> None:
    row.retired = retired
    record(
        "catalogue.retire" if retired else "catalogue.offer",
        "local_training",
        row.id,
        row.title[:200],
    )
    db.session.commit()
