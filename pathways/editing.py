"""Edits to a framework document, as data: change a role, a transition or a training item,
then validate the whole document exactly as a file would be validated.

Edits never touch the input: each returns a new document. Entries added through an editor
must say where they come from (a citation), as every entry in a framework does.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

import yaml

from pathways.errors import FrameworkError, Problem
from pathways.loader import parse_framework, read_document
from pathways.model import Framework

__all__ = [
    "load_data",
    "dump_data",
    "validate_data",
    "set_role",
    "set_transition",
    "remove_transition",
    "set_training",
    "EditError",
]

ROLE_FIELDS = (
    "title",
    "description",
    "track",
    "stage",
    "positional",
    "typical_years",
    "responsibilities",
)
TRANSITION_FIELDS = ("typical_years", "kind")
TRAINING_FIELDS = (
    "title",
    "kind",
    "mode",
    "capabilities",
    "roles",
    "sw_specific",
    "scope",
    "status",
    "embedded",
    "duration",
    "provider",
    "cost",
    "link",
    "notes",
)


class EditError(FrameworkError):
    """An edit that cannot be applied (as opposed to one that makes the document invalid)."""

    def __init__(self, item: str, message: str, path: tuple = ()):
        super().__init__([Problem("<edit>", None, item, message, path=path)])


def load_data(text: str, *, allow_aliases: bool = False) -> dict:
    """The data of a YAML document, read through the loader's guard (pathways.loader.
    check_yaml: size, depth, values, no anchors or aliases) like every framework document.
    ``allow_aliases`` only for a version stored before anchors were refused."""
    return read_document(text, "framework document", allow_aliases=allow_aliases).data


class _Dumper(yaml.SafeDumper):
    # A value that appears twice in the data (a role's first source reused for its training
    # gap, a document stored with aliases) is written out twice: the loader refuses the
    # anchors and aliases PyYAML would otherwise write for it.
    def ignore_aliases(self, data) -> bool:
        return True


def dump_data(data: Mapping) -> str:
    """YAML for a document, in its own key order, readable by the loader."""
    return yaml.dump(dict(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def validate_data(data: Mapping, name: str = "edited framework") -> tuple[Framework, str]:
    """The framework and YAML text of ``data``; FrameworkError with every problem (each with
    its path into the document) when the document would not load from a file."""
    text = dump_data(data)
    return parse_framework(text, name), text


def _cite(cite: str | None) -> list[dict]:
    return [{"cite": cite.strip()}] if cite and cite.strip() else []


def _index(entries: list, key: str, value) -> int | None:
    return next((i for i, e in enumerate(entries) if e.get(key) == value), None)


def _find_or_add(
    entries: list, key: str, value: str | None, new_value: str, section: str, noun: str, cite
) -> int:
    """The index of the entry whose ``key`` is ``value``; when ``value`` is None, a new entry
    keyed ``new_value``, which must not clash and must say where it comes from."""
    if value is None:
        if _index(entries, key, new_value) is not None:
            raise EditError(
                new_value,
                f"there is already a {noun} '{new_value}'",
                (section, len(entries), key),
            )
        if not _cite(cite):
            raise EditError(
                new_value,
                f"say where this {noun} comes from (a source)",
                (section, len(entries), "sources"),
            )
        entries.append({key: new_value, "sources": []})
        return len(entries) - 1
    index = _index(entries, key, value)
    if index is None:
        raise EditError(value, f"there is no {noun} '{value}'", (section,))
    return index


def set_role(data: Mapping, slug: str | None, fields: Mapping, cite: str | None = None) -> dict:
    """Change role ``slug`` (or add a new one when ``slug`` is None, taking ``fields['slug']``).
    ``fields`` may hold ROLE_FIELDS, ``requirements`` (capability to level) and
    ``training_gap`` (text, or empty to remove it). ``cite`` adds a source."""
    new = copy.deepcopy(dict(data))
    roles = new["roles"]
    index = _find_or_add(roles, "slug", slug, fields.get("slug", ""), "roles", "role", cite)
    role = roles[index]
    for key in ROLE_FIELDS:
        if key in fields:
            role[key] = fields[key]
    if "requirements" in fields:
        role["requirements"] = {c: lvl for c, lvl in fields["requirements"].items() if lvl}
    if "training_gap" in fields:
        note = (fields["training_gap"] or "").strip()
        if note:
            gap = role.get("training_gap") or {}
            role["training_gap"] = {**gap, "note": note, "sources": gap.get("sources") or []}
            if not role["training_gap"]["sources"]:
                role["training_gap"]["sources"] = _cite(cite) or role["sources"][:1]
        else:
            role.pop("training_gap", None)
    role["sources"] = list(role.get("sources") or []) + _cite(cite)
    return new


def _transition_index(data: Mapping, source: str, target: str) -> int | None:
    return next(
        (i for i, t in enumerate(data["transitions"]) if (t["from"], t["to"]) == (source, target)),
        None,
    )


def set_transition(
    data: Mapping,
    key: tuple[str, str] | None,
    fields: Mapping,
    cite: str | None = None,
) -> dict:
    """Change the transition ``key`` = (from, to), or add one (``fields['from']`` and
    ``fields['to']``) when ``key`` is None. ``fields`` may hold typical_years, supports (item
    ids) and prerequisites (a list of dicts as in the document)."""
    new = copy.deepcopy(dict(data))
    transitions = new["transitions"]
    if key is None:
        key = (fields.get("from", ""), fields.get("to", ""))
        if _transition_index(new, *key) is not None:
            raise EditError(
                f"{key[0]} -> {key[1]}",
                "this move is already in the framework; change it instead",
                ("transitions", len(transitions), "to"),
            )
        if not _cite(cite):
            raise EditError(
                f"{key[0]} -> {key[1]}",
                "say where this move comes from (a source)",
                ("transitions", len(transitions), "sources"),
            )
        transitions.append({"from": key[0], "to": key[1], "sources": []})
        index = len(transitions) - 1
    else:
        index = _transition_index(new, *key)
        if index is None:
            raise EditError(f"{key[0]} -> {key[1]}", "there is no such move", ("transitions",))
    transition = transitions[index]
    for name in TRANSITION_FIELDS:
        if name in fields:
            transition[name] = fields[name]
    if "supports" in fields:
        transition["supports"] = list(fields["supports"])
    if "prerequisites" in fields:
        prerequisites = [dict(p) for p in fields["prerequisites"]]
        if prerequisites:
            transition["prerequisites"] = prerequisites
        else:
            transition.pop("prerequisites", None)
    transition.setdefault("supports", [])
    transition["sources"] = list(transition.get("sources") or []) + _cite(cite)
    return new


def remove_transition(data: Mapping, source: str, target: str) -> dict:
    new = copy.deepcopy(dict(data))
    index = _transition_index(new, source, target)
    if index is None:
        raise EditError(f"{source} -> {target}", "there is no such move", ("transitions",))
    del new["transitions"][index]
    return new


def set_training(
    data: Mapping, item_id: str | None, fields: Mapping, cite: str | None = None
) -> dict:
    """Change training item ``item_id``, or add one (``fields['id']``) when it is None."""
    new = copy.deepcopy(dict(data))
    items = new["training"]
    index = _find_or_add(
        items, "id", item_id, fields.get("id", ""), "training", "training item", cite
    )
    item = items[index]
    for name in TRAINING_FIELDS:
        if name in fields:
            value = fields[name]
            if name in ("provider", "cost", "link", "notes") and not value:
                item.pop(name, None)
            else:
                item[name] = list(value) if isinstance(value, tuple) else value
    item["sources"] = list(item.get("sources") or []) + _cite(cite)
    return new
