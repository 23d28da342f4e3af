"""Training coverage: for every role and capability, the training that develops that
capability at that step, and how good that coverage is.

The Iriss report finds stages with no training at all ("there is no specific training for
that level of worker") and leadership training that is mostly generic (its REC2). Coverage
makes both visible: each cell of the role x capability matrix gets a level, worst first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pathways.model import Framework, Role, TrainingItem

__all__ = ["LEVELS", "Cell", "RoleRow", "Finding", "Coverage", "coverage"]

# Cell levels, worst first. A course or qualification is what the seeds mean by "training";
# mentoring, supervision and the like are development that is not a course.
LEVELS = {
    "none": "No training",
    "generic": "Generic training only",
    "development": "Social-work-specific development only (no course or qualification)",
    "specific": "Social-work-specific course or qualification",
}
COURSE_KINDS = ("academic", "training")


@dataclass(frozen=True)
class Cell:
    role: str
    capability: str
    required: int | None  # the level the role requires, or None if it does not
    items: tuple[TrainingItem, ...]
    level: str  # a LEVELS key

    @property
    def needed(self) -> bool:
        return bool(self.required)

    @property
    def weak(self) -> bool:
        """A required capability with no training, or only generic training."""
        return self.needed and self.level in ("none", "generic")


@dataclass(frozen=True)
class RoleRow:
    role: Role
    cells: tuple[Cell, ...]

    def count(self, level: str) -> int:
        return sum(1 for c in self.cells if c.needed and c.level == level)

    @property
    def has_course(self) -> bool:
        return any(c.needed and c.level == "specific" for c in self.cells)


@dataclass(frozen=True)
class Finding:
    role: str
    kind: str  # stated_gap | no_course | none | generic
    text: str
    quote: str | None = None
    doc: str | None = None  # the framework document key the quote is from


@dataclass(frozen=True)
class Coverage:
    capabilities: tuple[str, ...]
    rows: tuple[RoleRow, ...]
    findings: tuple[Finding, ...]
    filters: tuple[str, ...]

    def cell(self, role: str, capability: str) -> Cell:
        row = next(r for r in self.rows if r.role.slug == role)
        return next(c for c in row.cells if c.capability == capability)


def _level(items: list[TrainingItem]) -> str:
    specific = [i for i in items if i.sw_specific]
    if any(i.kind in COURSE_KINDS for i in specific):
        return "specific"
    if specific:
        return "development"
    return "generic" if items else "none"


def coverage(
    framework: Framework,
    *,
    sw_only: bool = False,
    national_only: bool = False,
    offered: Callable[[TrainingItem], bool] | None = None,
) -> Coverage:
    """The role x capability coverage matrix and its findings, worst first.

    ``sw_only`` and ``national_only`` count only social-work-specific or national items;
    ``offered`` (an organisation's answers: ``OrganisationAnswers.available``) counts only
    what is in place or offered, so an item the report only recommends covers nothing.

    >>> from pathways.loader import default_framework
    >>> result = coverage(default_framework())
    >>> result.findings[0].role, result.findings[0].kind
    ('senior_social_worker', 'stated_gap')
    """
    items = [
        i
        for i in framework.training.values()
        if (i.sw_specific or not sw_only)
        and (i.scope == "national" or not national_only)
        and (offered is None or offered(i))
    ]
    order = {slug: n for n, (slug, _) in enumerate(framework.tracks)}
    roles = sorted(
        framework.roles.values(), key=lambda r: (r.stage, order.get(r.track, 99), r.title)
    )
    capabilities = tuple(framework.capabilities)
    rows = []
    for role in roles:
        cells = []
        for cap in capabilities:
            found = [i for i in items if role.slug in i.roles and cap in i.capabilities]
            cells.append(
                Cell(role.slug, cap, role.required.get(cap) or None, tuple(found), _level(found))
            )
        rows.append(RoleRow(role, tuple(cells)))
    return Coverage(
        capabilities,
        tuple(rows),
        tuple(_findings(framework, rows)),
        tuple(f for f, on in (("sw_only", sw_only), ("national_only", national_only)) if on),
    )


def _titles(framework: Framework, cells) -> str:
    return ", ".join(framework.capabilities[c.capability].title for c in cells)


def _findings(framework: Framework, rows: list[RoleRow]) -> list[Finding]:
    """Stated gaps from the sources first, then roles with no social-work-specific course for
    any capability they need, then required capabilities with no training, then generic only."""
    stated, no_course, none, generic = [], [], [], []
    for row in rows:
        role = row.role
        if role.training_gap:
            source = next((s for s in role.training_gap_sources if s.quote), None)
            stated.append(
                Finding(
                    role.slug,
                    "stated_gap",
                    f"{role.title}: {role.training_gap}",
                    source.quote if source else None,
                    source.doc if source else None,
                )
            )
        needed = [c for c in row.cells if c.needed]
        if needed and not row.has_course:
            no_course.append(
                Finding(
                    role.slug,
                    "no_course",
                    f"{role.title}: no social-work-specific course or qualification develops "
                    f"any of the {len(needed)} capabilities the role needs.",
                )
            )
        empty = [c for c in needed if c.level == "none"]
        if empty:
            none.append(
                Finding(
                    role.slug,
                    "none",
                    f"{role.title}: no training at all for {_titles(framework, empty)}.",
                )
            )
        only_generic = [c for c in needed if c.level == "generic"]
        if only_generic:
            generic.append(
                Finding(
                    role.slug,
                    "generic",
                    f"{role.title}: only generic training for {_titles(framework, only_generic)}.",
                )
            )
    return [*stated, *no_course, *none, *generic]
