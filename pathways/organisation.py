"""What an organisation says it offers and how it works: the answers a framework cannot give.

The national framework can vouch only for what exists nationally. Whether a council offers
protected caseload time, a secondment scheme or supervision that covers support, and whether
its CSWO sets budgets or meets the chief executive, only the organisation can say. Its
answers (:class:`OrganisationAnswers`) feed the Iriss audit and its people's route checks;
a question left unanswered is reported as "not assessed", never as met.

The questions about how the organisation works are :data:`FACTS`, each tied to the Iriss
criterion it answers and, where the report gives one, the survey baseline beside it (quoted
from Martin 2024, seed ``004_552e132a3a5025c2.txt``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pathways.model import Framework, TrainingItem

__all__ = [
    "Fact",
    "FACTS",
    "FACTS_BY_KEY",
    "OrganisationAnswers",
    "offer_questions",
    "YES",
    "NO",
]

YES = "yes"
NO = "no"


@dataclass(frozen=True)
class Fact:
    """A question about how the organisation works, answered from ``choices``."""

    key: str
    criterion: str  # the Iriss criterion code it answers (docs/iriss.md)
    question: str
    choices: tuple[tuple[str, str], ...]  # (value, label)
    passing: tuple[str, ...]  # values that meet the criterion
    baseline: str = ""  # the report's survey figure, in words
    baseline_quote: str = ""  # verbatim from the Iriss report (F4)

    def label(self, value: str | None) -> str:
        return dict(self.choices).get(value or "", "Not answered")


_YES_NO = ((YES, "Yes"), (NO, "No"))

FACTS: tuple[Fact, ...] = (
    Fact(
        "pathway_published",
        "REC1.b5",
        "Is the career pathway published and visible to all staff, students and NQSWs included?",
        _YES_NO,
        (YES,),
    ),
    Fact(
        "learning_time_in_workload",
        "REC3.b4",
        "Is time for leadership learning allocated within workload, rather than added on top "
        "of it?",
        _YES_NO,
        (YES,),
    ),
    Fact(
        "representation_above_team_leader",
        "REC4.b5",
        "In integrated teams, are social workers represented above team leader level?",
        _YES_NO,
        (YES,),
    ),
    Fact(
        "governance_seats",
        "REC5.b1",
        "Do social work leaders hold seats on the integrated and strategic governance "
        "structures (the integration joint board, the health and social care partnership)?",
        _YES_NO,
        (YES,),
    ),
    Fact(
        "budget_setting",
        "REC5.b2",
        "How far is the CSWO or senior social work leader involved in setting the budget?",
        (("fully", "Fully involved"), ("partly", "Partly involved"), ("not", "Not involved")),
        ("fully",),
        "43% of CSWOs were fully involved in budget setting (CSWO survey, 2021).",
        "43% of respondents were fully involved in the HSCP budget setting",
    ),
    Fact(
        "chief_executive_access",
        "REC5.b3",
        "Does the CSWO have structured, protected time with the chief executive?",
        (
            ("structured", "Yes, structured and protected"),
            ("ad_hoc", "Access, but meetings are ad hoc or often cancelled"),
            ("none", "No direct access"),
        ),
        ("structured",),
        "91% of CSWOs had direct access to the chief executive, but meetings were sometimes "
        "cancelled or lacked depth (CSWO survey, 2021).",
        "91% said they had direct access to their councils Chief Executive",
    ),
    Fact(
        "workload_measures",
        "REC5.b4",
        "Does the organisation have caseload or workload measures that keep time for "
        "reflection and development?",
        _YES_NO,
        (YES,),
        "70% of social workers worked additional hours most of the time or always (Setting "
        "the Bar, 2022).",
        "70% of respondents worked additional hours most of the time, or always to meet "
        "their workload demands",
    ),
    Fact(
        "representation_invited",
        "REC5.b5",
        "Are senior social workers invited to represent the profession alongside health and "
        "other professions?",
        _YES_NO,
        (YES,),
    ),
    Fact(
        "dedicated_learning_function",
        "REC6.b1",
        "Is there a dedicated learning and development function for social work?",
        _YES_NO,
        (YES,),
        "57% of CSWOs said there was no dedicated learning and development function in "
        "their area (CSWO survey, 2021).",
        "57% of respondents said there was no dedicated function for learning and "
        "development in their area",
    ),
    Fact(
        "improvement_capacity",
        "REC6.b3",
        "Do teams have improvement capacity: named improvement roles, or time to try out and "
        "embed changes?",
        _YES_NO,
        (YES,),
    ),
    Fact(
        "value_statement",
        "REC7.b1",
        "Has the organisation published a statement of the value of social work and social "
        "work leadership?",
        _YES_NO,
        (YES,),
    ),
)

FACTS_BY_KEY = {fact.key: fact for fact in FACTS}


def offer_questions(framework: Framework) -> list[TrainingItem]:
    """The framework's items an organisation is asked whether it offers: every item not
    in place nationally (local items, and national ones only recommended or suggested)."""
    return [item for item in framework.training.values() if not item.in_place_nationally]


@dataclass(frozen=True)
class OrganisationAnswers:
    """One organisation's current answers.

    ``offers`` maps a framework item id to whether the organisation offers it; items it is
    not in are not answered. ``own_items`` are the organisation's own local training items,
    offered by definition. ``facts`` maps a :data:`FACTS` key to the chosen value.
    """

    offers: Mapping[str, bool] = field(default_factory=dict)
    facts: Mapping[str, str] = field(default_factory=dict)
    own_items: frozenset[str] = frozenset()

    def __hash__(self) -> int:  # hashable, so cached views can key on the answers
        return hash((frozenset(self.offers.items()), frozenset(self.facts.items()), self.own_items))

    def item_state(self, item: TrainingItem) -> str:
        """``available`` (nationally in place, or offered here), ``not_offered`` or
        ``unknown``.

        >>> from pathways.loader import default_framework
        >>> fw = default_framework()
        >>> OrganisationAnswers().item_state(fw.training["protected_caseload"])
        'unknown'
        >>> OrganisationAnswers({"protected_caseload": True}).item_state(
        ...     fw.training["protected_caseload"])
        'available'
        """
        if item.in_place_nationally or item.id in self.own_items:
            return "available"
        answer = self.offers.get(item.id)
        if answer is None:
            return "unknown"
        return "available" if answer else "not_offered"

    def available(self, item: TrainingItem) -> bool:
        return self.item_state(item) == "available"

    def fact(self, key: str) -> str | None:
        return self.facts.get(key)

    @property
    def answered(self) -> bool:
        return bool(self.offers or self.facts)
