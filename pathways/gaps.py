"""Capability gaps and unmet prerequisites for one person at one role."""

from __future__ import annotations

from dataclasses import dataclass, field

from pathways.model import Framework, Prerequisite, Transition
from pathways.person import Person

__all__ = ["Gap", "UnmetPrerequisite", "role_gaps", "unmet_prerequisites"]


@dataclass(frozen=True)
class Gap:
    capability: str
    required: int
    held: int
    # False when the person has not rated this capability: ``held`` is then 0 by
    # assumption, which pages say ("not rated") rather than showing a level they never chose.
    rated: bool = field(default=True, compare=False, repr=False)


@dataclass(frozen=True)
class UnmetPrerequisite:
    prerequisite: Prerequisite
    description: str
    detail: str


def role_gaps(framework: Framework, role: str, person: Person | None) -> tuple[Gap, ...]:
    """Every capability where the person's level is below what ``role`` requires.

    >>> from pathways.loader import default_framework
    >>> from pathways.person import Person
    >>> fw = default_framework()
    >>> gaps = role_gaps(fw, "nqsw", Person("student", ratings=(("self_leadership", 1),)))
    >>> [g for g in gaps if g.capability == "self_leadership"]
    [Gap(capability='self_leadership', required=2, held=1)]
    """
    levels = person.levels if person else {}
    return tuple(
        Gap(cap, required, levels.get(cap, 0), rated=cap in levels)
        for cap, required in framework.roles[role].requirements
        if levels.get(cap, 0) < required
    )


def unmet_prerequisites(
    framework: Framework, transition: Transition, person: Person | None, years_ahead: float = 0
) -> tuple[UnmetPrerequisite, ...]:
    """Prerequisites of ``transition`` the person does not yet meet.

    ``years_ahead`` is how far along a route the transition happens; years qualified are
    projected forward by that much (a social worker with one year will have more by the time
    they reach a later step), qualifications and breadth are not.
    """
    if person is None:
        return tuple(
            UnmetPrerequisite(p, p.describe(framework), "not known")
            for p in transition.prerequisites
        )
    unmet = []
    for p in transition.prerequisites:
        description = p.describe(framework)
        if p.type == "qualification" and p.item not in person.held_items:
            unmet.append(UnmetPrerequisite(p, description, "not yet completed"))
        elif p.type == "years_qualified":
            projected = person.years_qualified + years_ahead
            if projected < p.min:
                unmet.append(UnmetPrerequisite(p, description, f"about {projected:g} by this step"))
        elif p.type == "service_areas" and len(person.areas_experienced) < p.min:
            have = len(person.areas_experienced)
            unmet.append(UnmetPrerequisite(p, description, f"{have} so far"))
        elif p.type == "registration" and not person.registered:
            unmet.append(UnmetPrerequisite(p, description, "not registered"))
    return tuple(unmet)
