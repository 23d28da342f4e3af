"""Organisation insight for learning and development: aggregates only, never a person.

Every figure counts people, and no figure may let anyone be singled out:

- a group (a team, a stage) of fewer than ``MIN_GROUP`` people is not shown on its own:
  small teams are pooled into "Other teams", and a pool still too small is left out;
- a count of 1 to ``MIN_GROUP - 1`` people is shown as "fewer than 5";
- where rows add up to a total row, a column with exactly one hidden count also hides its
  total (otherwise total minus the others gives the hidden count away), and the same is
  applied to the totals themselves.

The input is :class:`StaffRecord`: what the aggregates need and nothing else (no names).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from pathways.model import Framework
from pathways.routes import next_step

__all__ = [
    "MIN_GROUP",
    "StaffRecord",
    "Figure",
    "Grid",
    "Insight",
    "insight",
    "protect_counts",
]

MIN_GROUP = 5
OTHER_TEAMS = "Other teams (each under 5 people)"


@dataclass(frozen=True)
class StaffRecord:
    """One member of staff as the aggregates see them: no name, no id."""

    team: str
    current_role: str
    ratings: tuple[tuple[str, int], ...] = ()
    plan_route: tuple[str, ...] | None = None  # their most recent plan, if any
    plan_items: frozenset[str] = field(default_factory=frozenset)  # items in any of their plans
    plans_per_item: tuple[tuple[str, int], ...] = ()  # item -> how many of their plans hold it

    @cached_property
    def levels(self) -> dict[str, int]:
        return dict(self.ratings)

    def level(self, capability: str) -> int:
        return self.levels.get(capability, 0)

    @cached_property
    def next_role(self) -> str | None:
        return next_step(self.plan_route or (), self.current_role)


@dataclass(frozen=True)
class Figure:
    """One shown number, or a hidden one (value None) with the reason."""

    value: int | None
    note: str = ""

    @property
    def shown(self) -> bool:
        return self.value is not None

    def __str__(self) -> str:
        return str(self.value) if self.value is not None else "fewer than 5"


@dataclass(frozen=True)
class Grid:
    """Rows of figures under column headings, with an optional total row."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, int | None, tuple[Figure, ...]], ...]  # label, group size, figures
    total: tuple[Figure, ...] | None
    left_out: int  # how many groups were too small to show even when pooled


@dataclass(frozen=True)
class Insight:
    staff: int
    current_gaps: Grid  # teams x capabilities: people below their current role's level
    next_gaps: Grid  # teams x capabilities: people below their next step's level
    demand: tuple[tuple[str, Figure, Figure], ...]  # item, plans holding it, people
    unclosable: tuple[tuple[str, Figure, tuple[str, ...]], ...]  # capability, people, roles
    progression: Grid  # stages x (management, non-management, no plan)


def _hide(count: int) -> Figure:
    return Figure(count) if count == 0 or count >= MIN_GROUP else Figure(None, "small")


def protect_counts(counts: Sequence[int]) -> tuple[Figure, ...]:
    """Hide counts of 1-4 people.

    >>> [str(f) for f in protect_counts([0, 3, 7])]
    ['0', 'fewer than 5', '7']
    """
    return tuple(_hide(c) for c in counts)


def _complement(figures: list[list[Figure]], total: list[Figure]) -> None:
    """Where a column has exactly one hidden figure, hide its total too."""
    for k in range(len(total)):
        hidden = sum(1 for row in figures if not row[k].shown)
        if hidden == 1 and total[k].shown and total[k].value:
            total[k] = Figure(None, "complementary")


def _complement_line(line: list[Figure], raw: list[int]) -> None:
    """Within one additive line with a known sum: never exactly one hidden figure. Hides the
    smallest other non-zero figure until that holds (or nothing is left to hide)."""
    while sum(1 for f in line if not f.shown) == 1:
        candidates = [(raw[i], i) for i, f in enumerate(line) if f.shown and raw[i]]
        if not candidates:
            return
        _, index = min(candidates)
        line[index] = Figure(None, "complementary")


def _group(records: Iterable[StaffRecord], key) -> tuple[dict[str, list[StaffRecord]], int]:
    """Groups of at least MIN_GROUP, small ones pooled; how many pooled people were left out."""
    groups: dict[str, list[StaffRecord]] = {}
    for record in records:
        groups.setdefault(key(record), []).append(record)
    shown = {k: v for k, v in groups.items() if len(v) >= MIN_GROUP}
    pooled = [r for k, v in groups.items() if len(v) < MIN_GROUP for r in v]
    left_out = 0
    if len(pooled) >= MIN_GROUP:
        shown[OTHER_TEAMS] = pooled
    else:
        left_out = len(pooled)
    return dict(sorted(shown.items(), key=lambda kv: (kv[0] == OTHER_TEAMS, kv[0]))), left_out


def _requirements(framework: Framework) -> dict[str, tuple[tuple[str, int], ...]]:
    """Each role's required (capability, level) pairs, looked up once per aggregate."""
    return {slug: role.requirements for slug, role in framework.roles.items()}


def _gap_grid(framework: Framework, records: list[StaffRecord], target) -> Grid:
    """Teams x capabilities: how many people rate below what ``target(record)`` requires."""
    caps = tuple(framework.capabilities)
    people = [r for r in records if target(r) in framework.roles]
    groups, left_out = _group(people, lambda r: r.team)
    required = _requirements(framework)
    raw = []
    for members in groups.values():
        counts = Counter()
        for record in members:
            levels = record.levels
            for cap, level in required[target(record)]:
                if levels.get(cap, 0) < level:
                    counts[cap] += 1
        raw.append([counts[c] for c in caps])
    figures = [list(protect_counts(row)) for row in raw]
    total = list(protect_counts([sum(col) for col in zip(*raw, strict=True)])) if raw else []
    _complement(figures, total)
    return Grid(
        columns=tuple(framework.capabilities[c].title for c in caps),
        rows=tuple(
            (label, len(members), tuple(row))
            for (label, members), row in zip(groups.items(), figures, strict=True)
        ),
        total=tuple(total) if raw else None,
        left_out=left_out,
    )


def _progression(framework: Framework, records: list[StaffRecord]) -> Grid:
    """Career stage x route kind. Each person is in exactly one cell, so the table adds up:
    hidden counts are complemented along rows (against the stage size, which is not shown
    but is known from the stages' totals) and along the total row."""
    columns = ("Management route", "Non-management route", "No plan yet")

    def kind(record: StaffRecord) -> int:
        if not record.plan_route:
            return 2
        target = framework.roles.get(record.plan_route[-1])
        return 0 if target is not None and target.positional else 1

    stage_titles = dict(framework.stages)
    groups, left_out = _group(
        records,
        lambda r: (
            f"{framework.roles[r.current_role].stage}. "
            f"{stage_titles.get(framework.roles[r.current_role].stage, '')}"
        ),
    )
    raw = []
    for members in groups.values():
        counts = Counter(kind(r) for r in members)
        raw.append([counts[i] for i in range(3)])
    figures = [list(protect_counts(row)) for row in raw]
    for row, counts in zip(figures, raw, strict=True):
        _complement_line(row, counts)
    totals_raw = [sum(col) for col in zip(*raw, strict=True)] if raw else []
    total = list(protect_counts(totals_raw))
    _complement(figures, total)
    _complement_line(total, totals_raw)
    return Grid(
        columns=columns,
        rows=tuple(
            (label, None, tuple(row))
            for (label, _), row in zip(groups.items(), figures, strict=True)
        ),
        total=tuple(total) if raw else None,
        left_out=left_out,
    )


def insight(framework: Framework, records: Iterable[StaffRecord]) -> Insight:
    """Every aggregate on the insight page, already protected."""
    records = [r for r in records if r.current_role in framework.roles]
    plans = Counter()
    people = Counter()
    for record in records:
        for item, count in record.plans_per_item:
            plans[item] += count
        for item in record.plan_items:
            people[item] += 1
    demand = tuple(
        (
            item,
            _hide(plans[item]) if _hide(people[item]).shown else Figure(None, "small"),
            _hide(people[item]),
        )
        for item in sorted(
            (i for i in people if i in framework.training),
            key=lambda i: (-people[i], framework.training[i].title),
        )
    )
    # gaps at the next step that no catalogue item closes, by capability
    unclosable: dict[str, set[int]] = {}
    roles_without: dict[str, set[str]] = {}
    required = _requirements(framework)
    uncovered: dict[str, tuple[tuple[str, int], ...]] = {}  # per role: requirements no item meets
    for n, record in enumerate(records):
        step = record.next_role
        if step not in framework.roles:
            continue
        if step not in uncovered:
            covered = {c for i in framework.training_for_role(step) for c in i.capabilities}
            uncovered[step] = tuple((c, lv) for c, lv in required[step] if c not in covered)
        levels = record.levels
        for cap, level in uncovered[step]:
            if levels.get(cap, 0) < level:
                unclosable.setdefault(cap, set()).add(n)
                roles_without.setdefault(cap, set()).add(step)
    return Insight(
        staff=len(records),
        current_gaps=_gap_grid(framework, records, lambda r: r.current_role),
        next_gaps=_gap_grid(framework, records, lambda r: r.next_role),
        demand=demand,
        unclosable=tuple(
            (cap, _hide(len(unclosable[cap])), tuple(sorted(roles_without[cap])))
            for cap in framework.capabilities
            if cap in unclosable
        ),
        progression=_progression(framework, records),
    )
