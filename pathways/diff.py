"""What changed between two framework versions, in words, and what of that touches a plan."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from pathways.model import Framework, Prerequisite, Role, TrainingItem, Transition

__all__ = ["Change", "diff_frameworks", "route_changes"]


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    section: str  # role | transition | training | capability | framework
    key: str
    title: str
    details: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.section.capitalize()} {self.kind}: {self.title}"
        return text + (f" ({'; '.join(self.details)})" if self.details else "")


def _field(name: str, old, new) -> list[str]:
    if old == new:
        return []
    return [
        f"{name}: {old if old not in (None, '') else 'none'} → {new if new not in (None, '') else 'none'}"
    ]


def _listed(name: str, old: Iterable[str], new: Iterable[str], label=str) -> list[str]:
    old, new = set(old), set(new)
    out = []
    if new - old:
        out.append(f"{name} added: {', '.join(sorted(label(x) for x in new - old))}")
    if old - new:
        out.append(f"{name} removed: {', '.join(sorted(label(x) for x in old - new))}")
    return out


def _role_details(old_fw: Framework, new_fw: Framework, old: Role, new: Role) -> list[str]:
    details = []
    for name in ("title", "track", "stage", "positional", "typical_years"):
        details += _field(name.replace("_", " "), getattr(old, name), getattr(new, name))
    if old.description != new.description:
        details.append("description changed")
    old_req, new_req = old.required, new.required
    for cap in sorted(set(old_req) | set(new_req)):
        title = (new_fw.capabilities.get(cap) or old_fw.capabilities.get(cap)).title
        a, b = old_req.get(cap), new_req.get(cap)
        if a != b:
            if a is None:
                details.append(f"{title} now required at level {b}")
            elif b is None:
                details.append(f"{title} no longer required (was {a})")
            else:
                details.append(f"{title} required level {a} → {b}")
    details += _field("training gap", old.training_gap, new.training_gap)
    return details


def _prereq(p: Prerequisite, fw: Framework) -> str:
    return p.describe(fw) + (" (expected)" if p.strength == "expected" else "")


def _transition_details(
    old_fw: Framework, new_fw: Framework, old: Transition, new: Transition
) -> list[str]:
    details = _field("typical years", old.typical_years, new.typical_years)
    details += _field("kind of move", old.kind, new.kind)
    details += _listed(
        "prerequisites",
        (_prereq(p, old_fw) for p in old.prerequisites),
        (_prereq(p, new_fw) for p in new.prerequisites),
    )

    def title(item_id):
        item = new_fw.training.get(item_id) or old_fw.training.get(item_id)
        return item.title if item else item_id

    details += _listed("supports", old.supports, new.supports, title)
    return details


def _training_details(
    old_fw: Framework, new_fw: Framework, old: TrainingItem, new: TrainingItem
) -> list[str]:
    details = []
    for name in (
        "title",
        "kind",
        "mode",
        "sw_specific",
        "scope",
        "status",
        "embedded",
        "duration",
        "provider",
        "cost",
        "link",
    ):
        details += _field(name.replace("_", " "), getattr(old, name), getattr(new, name))
    details += _listed(
        "roles",
        old.roles,
        new.roles,
        lambda r: (new_fw.roles.get(r) or old_fw.roles.get(r)).title,
    )
    details += _listed(
        "capabilities",
        old.capabilities,
        new.capabilities,
        lambda c: (new_fw.capabilities.get(c) or old_fw.capabilities.get(c)).title,
    )
    return details


def diff_frameworks(old: Framework, new: Framework) -> list[Change]:
    """Every change from ``old`` to ``new``: roles, transitions, training, capabilities.

    >>> from pathways.loader import default_framework
    >>> diff_frameworks(default_framework(), default_framework())
    []
    """
    changes: list[Change] = []
    if old.version != new.version:
        changes.append(
            Change(
                "changed",
                "framework",
                "version",
                new.title,
                (f"version {old.version} → {new.version}",),
            )
        )

    def compare(section, old_map, new_map, title, details):
        for key in old_map.keys() - new_map.keys():
            changes.append(Change("removed", section, key, title(old_map[key])))
        for key in new_map.keys() - old_map.keys():
            changes.append(Change("added", section, key, title(new_map[key])))
        for key in old_map.keys() & new_map.keys():
            found = details(old_map[key], new_map[key])
            if found:
                changes.append(Change("changed", section, key, title(new_map[key]), tuple(found)))

    compare(
        "capability",
        old.capabilities,
        new.capabilities,
        lambda c: c.title,
        lambda a, b: _field("title", a.title, b.title),
    )
    compare(
        "role",
        old.roles,
        new.roles,
        lambda r: r.title,
        lambda a, b: _role_details(old, new, a, b),
    )

    def t_title(t: Transition) -> str:
        fw = new if t.source in new.roles and t.target in new.roles else old
        return f"{fw.roles[t.source].title} to {fw.roles[t.target].title}"

    compare(
        "transition",
        {f"{t.source}>{t.target}": t for t in old.transitions},
        {f"{t.source}>{t.target}": t for t in new.transitions},
        t_title,
        lambda a, b: _transition_details(old, new, a, b),
    )
    compare(
        "training",
        old.training,
        new.training,
        lambda i: i.title,
        lambda a, b: _training_details(old, new, a, b),
    )
    order = {"framework": 0, "capability": 1, "role": 2, "transition": 3, "training": 4}
    return sorted(changes, key=lambda c: (order[c.section], c.kind, c.title))


def route_changes(old: Framework, new: Framework, roles: Sequence[str]) -> list[Change]:
    """The changes that touch a plan along ``roles``: its roles, its moves, and the training
    aimed at its roles."""
    on_route = set(roles)
    moves = {f"{a}>{b}" for a, b in pairwise(roles)}

    def touches(change: Change) -> bool:
        if change.section == "role":
            return change.key in on_route
        if change.section == "transition":
            return change.key in moves
        if change.section == "training":
            item = new.training.get(change.key) or old.training.get(change.key)
            before = old.training.get(change.key)
            return bool(on_route & set(item.roles)) or bool(before and on_route & set(before.roles))
        return change.section == "capability"

    return [c for c in diff_frameworks(old, new) if touches(c)]
