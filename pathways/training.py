"""Training recommendation: a small set of catalogue items that closes a step's gaps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pathways.gaps import Gap
from pathways.model import Framework, TrainingItem
from pathways.person import Person

__all__ = ["Recommended", "Recommendation", "recommend_training"]


@dataclass(frozen=True)
class Recommended:
    item: TrainingItem
    covers: tuple[str, ...]  # capability slugs among the step's gaps that this item develops
    meets: str = ""  # the unmet prerequisite of the step this item answers, described


@dataclass(frozen=True)
class Recommendation:
    items: tuple[Recommended, ...]
    catalogue_gaps: tuple[str, ...]  # gap capabilities no available item develops


def recommend_training(
    framework: Framework,
    roles: Iterable[str],
    gaps: Iterable[Gap],
    person: Person | None = None,
    catalogue: Iterable[TrainingItem] | None = None,
) -> Recommendation:
    """Choose items for a step into ``roles`` (usually the step's from and to roles).

    Greedy set cover: repeatedly take the item that closes most remaining gaps, breaking ties
    by preference (social-work specific, then national, then practice-embedded) and then by id
    so the answer is stable. Items the person already holds are skipped. Gaps no item develops
    are returned as catalogue gaps.

    >>> from pathways.loader import default_framework
    >>> from pathways.gaps import role_gaps
    >>> fw = default_framework()
    >>> rec = recommend_training(fw, ["nqsw"], role_gaps(fw, "nqsw", None))
    >>> [r.item.id for r in rec.items][0], rec.catalogue_gaps
    ('practice_educator_first_year', ())
    """
    roles = set(roles)
    held = person.held_items if person else frozenset()
    if catalogue is None:
        pool = {
            item.id: item for role in roles for item in framework.training_for_role(role)
        }.values()
    else:
        pool = [item for item in catalogue if roles & set(item.roles)]
    # Sorted by preference, then id: max() keeps the first of equals, so ties break stably.
    candidates = sorted((i for i in pool if i.id not in held), key=lambda i: (-i.preference, i.id))
    remaining = {gap.capability for gap in gaps}
    chosen = []
    while remaining and candidates:
        best = max(candidates, key=lambda item: len(remaining.intersection(item.capabilities)))
        covers = tuple(sorted(remaining.intersection(best.capabilities)))
        if not covers:
            break
        chosen.append(Recommended(best, covers))
        remaining -= set(covers)
        candidates.remove(best)
    return Recommendation(tuple(chosen), tuple(sorted(remaining)))
