"""The framework model: frozen dataclasses built from a validated framework document.

A :class:`Framework` is immutable, so one loaded version can be shared by every request and
its graph (:attr:`Framework.graph`) is built once and cached on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "Source",
    "Level",
    "Capability",
    "Duty",
    "Designation",
    "Role",
    "Prerequisite",
    "Transition",
    "TrainingItem",
    "ServiceArea",
    "Framework",
    "KINDS",
    "STATUSES",
    "EVIDENCE",
    "STRENGTHS",
    "TRANSITION_KINDS",
    "is_estimate",
]

KINDS = ("academic", "training", "developmental", "work_based")
# How a move relates two roles: a step on, the same level on another track, a return from
# management into practice, or a role conferred on the holder of another post (the CSWO).
TRANSITION_KINDS = ("progression", "sideways", "return", "designation")
STATUSES = ("mandatory", "entitlement", "optional")
# What the sources say about an item: it exists (nationally, or with some employers for a
# local item), the report recommends it, participants suggested it, or Pathways infers it.
# Only items in place count in any check until an organisation says it offers them.
EVIDENCE = ("in_place", "recommended", "suggested", "inference")
# How firmly a prerequisite applies: "required" only where law, regulation or registration
# makes it so (with a citation); the rest are advice, never entry rules.
STRENGTHS = ("required", "expected", "recommended", "often_held")


def is_estimate(basis: str) -> bool:
    """True where a ``*_basis`` field marks a figure as a planning estimate."""
    return basis.strip().lower().startswith("estimate")


@dataclass(frozen=True)
class Source:
    """A seed document with a verbatim quote, or an external public citation."""

    doc: str | None = None
    quote: str | None = None
    cite: str | None = None

    def as_json(self) -> dict:
        return {
            k: v for k, v in (("doc", self.doc), ("quote", self.quote), ("cite", self.cite)) if v
        }


@dataclass(frozen=True)
class Level:
    level: int
    label: str
    descriptor: str


@dataclass(frozen=True)
class Capability:
    slug: str
    title: str
    group: str  # "leadership" (SSSC) or "practice"
    sub_capabilities: tuple[str, ...] = ()
    description: str = ""
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Duty:
    duty: str
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Designation:
    """A role conferred on the holder of another post (the CSWO on a senior officer)."""

    note: str
    held_with: tuple[str, ...]
    basis: str = ""
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Role:
    slug: str
    title: str
    description: str
    track: str
    stage: int
    positional: bool
    typical_years: float
    years_basis: str = ""
    positional_basis: str = ""
    basis: str = ""  # where the role rests on Pathways' reading rather than a source
    responsibilities: tuple[str, ...] = ()
    requirements: tuple[tuple[str, int], ...] = ()
    duties: tuple[Duty, ...] = ()
    training_gap: str | None = None
    training_gap_sources: tuple[Source, ...] = ()
    sources: tuple[Source, ...] = ()
    designation: Designation | None = None

    @property
    def required(self) -> dict[str, int]:
        """Capability slug to required level."""
        return dict(self.requirements)

    @property
    def years_estimate(self) -> bool:
        """The typical years in this role are a planning estimate, not a sourced figure."""
        return is_estimate(self.years_basis)


@dataclass(frozen=True)
class Prerequisite:
    """Something a person must hold before a transition: a qualification, years, breadth."""

    type: str  # qualification | years_qualified | service_areas | registration
    item: str | None = None
    min: float | None = None
    strength: str = "required"  # one of STRENGTHS
    sources: tuple[Source, ...] = ()
    basis: str = ""

    @property
    def required(self) -> bool:
        """An entry rule (law, regulation or registration), not advice."""
        return self.strength == "required"

    @property
    def wording(self) -> str:
        """How firmly it applies, in words a person reads beside it."""
        return {
            "required": "required",
            "expected": "usually expected",
            "recommended": "recommended",
            "often_held": "often held",
        }.get(self.strength, self.strength)

    def describe(self, framework: Framework | None = None) -> str:
        if self.type == "qualification":
            title = self.item
            if framework is not None and self.item in framework.training:
                title = framework.training[self.item].title
            return f"Hold the {title}"
        if self.type == "years_qualified":
            return f"At least {self.min:g} years qualified"
        if self.type == "service_areas":
            return f"Experience in at least {self.min:g} service areas"
        if self.type == "registration":
            return "Registered with the SSSC as a social worker"
        return self.type


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    typical_years: float
    prerequisites: tuple[Prerequisite, ...] = ()
    supports: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    years_basis: str = ""
    basis: str = ""  # where the move rests on Pathways' reading rather than a source
    kind: str = "progression"  # one of TRANSITION_KINDS

    @property
    def years_estimate(self) -> bool:
        return is_estimate(self.years_basis)


@dataclass(frozen=True)
class TrainingItem:
    id: str
    title: str
    kind: str
    mode: str
    capabilities: tuple[str, ...]
    roles: tuple[str, ...]
    sw_specific: bool
    scope: str  # national | local
    status: str  # mandatory | entitlement | optional
    embedded: bool
    duration: str
    provider: str = ""
    notes: str = ""
    sources: tuple[Source, ...] = ()
    cost: str = ""
    link: str = ""
    evidence: str = "in_place"  # one of EVIDENCE
    evidence_note: str = ""  # the document's status_basis: why the evidence is what it is
    sw_specific_basis: str = ""  # how sw_specific was decided, where no source says
    provides: tuple[str, ...] = ()  # further modes the item includes (supervision, ...)

    @property
    def in_place(self) -> bool:
        """The sources describe it as existing (nationally, or with some employers)."""
        return self.evidence == "in_place"

    @property
    def in_place_nationally(self) -> bool:
        """Available to everyone in the framework's jurisdiction, whatever the employer."""
        return self.in_place and self.scope == "national"

    def has_mode(self, *modes: str) -> bool:
        """The item is, or includes, one of these modes (mentoring, supervision, ...)."""
        return self.mode in modes or any(m in modes for m in self.provides)

    @property
    def preference(self) -> int:
        """Ranking used when several items close the same gaps: social-work specific first,
        then national, then practice-embedded (the Iriss report's REC2 and REC6)."""
        return 4 * self.sw_specific + 2 * (self.scope == "national") + self.embedded


@dataclass(frozen=True)
class ServiceArea:
    slug: str
    title: str
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True, eq=False)
class Framework:
    """A whole framework document. Compared by identity; hashing is by id and version."""

    id: str
    title: str
    version: str
    jurisdiction: str
    national_framework_ref: str
    scale_name: str
    scale_why: str
    levels: tuple[Level, ...]
    tracks: tuple[tuple[str, str], ...]
    stages: tuple[tuple[int, str], ...]
    service_areas: dict[str, ServiceArea]
    capabilities: dict[str, Capability]
    roles: dict[str, Role]
    transitions: tuple[Transition, ...]
    training: dict[str, TrainingItem]
    documents: dict[str, dict] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    scale_sources: tuple[Source, ...] = ()
    # The ids of one organisation's own local items, in a framework as it sees it
    # (pathways.catalogue.with_local_training): offered by that organisation by definition.
    own_items: frozenset[str] = frozenset()

    def __hash__(self) -> int:
        return hash((self.id, self.version, id(self)))

    def level(self, number: int) -> Level:
        """The scale level with this number (with its label and descriptor)."""
        return next(level for level in self.levels if level.level == number)

    @property
    def max_level(self) -> int:
        return max(level.level for level in self.levels)

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The role graph, built once for this framework version."""
        from pathways.graph import build_graph

        return build_graph(self)

    def transition(self, source: str, target: str) -> Transition:
        return self.graph.edges[source, target]["transition"]

    def track_title(self, slug: str) -> str:
        return dict(self.tracks).get(slug, slug)

    def moves_from(self, slug: str) -> tuple[Transition, ...]:
        """The moves out of a role: progressions first, then sideways, returns and
        designations, each by the stage and title of the role they lead to."""
        order = {kind: n for n, kind in enumerate(TRANSITION_KINDS)}
        return tuple(
            sorted(
                (self.graph.edges[slug, target]["transition"] for target in self.graph[slug]),
                key=lambda t: (
                    order[t.kind],
                    self.roles[t.target].stage,
                    self.roles[t.target].title,
                ),
            )
        )

    def designations_of(self, slug: str) -> tuple[Role, ...]:
        """Roles conferred on the holder of this post (a head of service may be the CSWO)."""
        return tuple(
            r for r in self.roles.values() if r.designation and slug in r.designation.held_with
        )

    @cached_property
    def _training_by_role(self) -> dict[str, tuple[TrainingItem, ...]]:
        index: dict[str, list[TrainingItem]] = {}
        for item in self.training.values():
            for role in item.roles:
                index.setdefault(role, []).append(item)
        return {role: tuple(items) for role, items in index.items()}

    def training_for_role(self, slug: str) -> list[TrainingItem]:
        """Catalogue items aimed at this role, in catalogue order."""
        return list(self._training_by_role.get(slug, ()))
