"""Read framework documents: YAML with line numbers, JSON Schema, then the model.

Errors are collected, not raised one at a time, so an author sees every problem in a file
at once, each with its file, line and item.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema
import yaml

from pathways.errors import FrameworkError, Problem
from pathways.model import (
    Capability,
    Duty,
    Framework,
    Level,
    Prerequisite,
    Role,
    ServiceArea,
    Source,
    TrainingItem,
    Transition,
)

__all__ = [
    "load_framework",
    "parse_framework",
    "read_document",
    "default_framework_path",
    "default_framework",
    "Document",
]

Path_ = tuple  # a path into the document: ("roles", 3, "track")


# libyaml's loader when PyYAML was built with it (it is ~10x faster); marks work the same.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Document:
    """A parsed YAML document that remembers the line of every node."""

    def __init__(self, data, lines: dict[tuple, int], filename: str):
        self.data = data
        self.lines = lines
        self.filename = filename

    def line(self, path: tuple) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def item_name(self, path: tuple) -> str:
        """A readable name for the item at ``path``: ``roles[3] 'team_manager'``."""
        if len(path) >= 2 and isinstance(path[1], int):
            section, index = path[0], path[1]
            try:
                entry = self.data[section][index]
            except (KeyError, IndexError, TypeError):
                entry = None
            label = ""
            if isinstance(entry, dict):
                key = entry.get("slug") or entry.get("id")
                if key is None and "from" in entry:
                    key = f"{entry.get('from')} -> {entry.get('to')}"
                if key is not None:
                    label = f" '{key}'"
            field = ".".join(str(p) for p in path[2:])
            return f"{section}[{index}]{label}" + (f" {field}" if field else "")
        return ".".join(str(p) for p in path) or "document"

    def problem(self, path: tuple, message: str, suggestion: str | None = None) -> Problem:
        return Problem(
            self.filename,
            self.line(path),
            self.item_name(path),
            message,
            suggestion,
            path=tuple(path),
        )


def _index_lines(node, path: tuple, lines: dict, duplicates: list) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                duplicates.append((path + (key,), key_node.start_mark.line + 1))
            seen.add(key)
            lines[path + (key,)] = key_node.start_mark.line + 1
            _index_lines(value_node, path + (key,), lines, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _index_lines(child, path + (index,), lines, duplicates)


def read_document(text: str, filename: str = "<framework>") -> Document:
    """Parse YAML text, keeping line numbers. Raises FrameworkError on bad YAML."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise FrameworkError(
            [Problem(filename, line, "document", f"not valid YAML: {exc.problem or exc}")]
        ) from None
    except yaml.YAMLError as exc:
        raise FrameworkError(
            [Problem(filename, None, "document", f"not valid YAML: {exc}")]
        ) from None
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    duplicates: list = []
    if node is not None:
        _index_lines(node, (), lines, duplicates)
    doc = Document(data, lines, filename)
    if duplicates:
        raise FrameworkError(
            [
                Problem(
                    filename,
                    line,
                    doc.item_name(path[:-1]) if len(path) > 1 else "document",
                    f"key '{path[-1]}' appears twice",
                )
                for path, line in duplicates
            ]
        )
    return doc


# Plain words for the schema's patterns (the regular expressions mean nothing to an editor).
PATTERN_MESSAGES = {
    "^https?://": "is not a web address starting http:// or https://",
    "^[a-z][a-z0-9_]*$": "must start with a lower-case letter and use only a-z, 0-9 and _",
}


@cache
def _schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((Path(__file__).parent / "schema" / "framework.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def schema_problems(doc: Document) -> list[Problem]:
    """Every place where the document does not fit the framework schema."""
    if not isinstance(doc.data, dict):
        return [
            doc.problem(
                (),
                "a framework document must be a mapping with sections such as "
                "'roles', 'transitions' and 'training'",
            )
        ]
    problems = []
    for error in sorted(
        _schema_validator().iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))
    ):
        path = tuple(error.absolute_path)
        message = error.message
        if error.validator == "pattern" and error.validator_value in PATTERN_MESSAGES:
            message = f"{error.instance!r} {PATTERN_MESSAGES[error.validator_value]}"
        if error.validator == "additionalProperties":
            message = message.replace("Additional properties are not allowed", "unknown field")
        if error.validator == "anyOf" and path and path[-1] != "sources":
            message = "needs a source: either 'doc' with 'quote', or 'cite'"
        elif error.validator == "anyOf":
            message = "each source needs either 'doc' with 'quote', or 'cite'"
        problems.append(doc.problem(path, message))
    return problems


def _sources(entries) -> tuple[Source, ...]:
    return tuple(
        Source(doc=e.get("doc"), quote=e.get("quote"), cite=e.get("cite")) for e in entries or ()
    )


def _inline_source(entry: dict) -> tuple[Source, ...]:
    if entry.get("doc") or entry.get("cite"):
        return (Source(doc=entry.get("doc"), quote=entry.get("quote"), cite=entry.get("cite")),)
    return ()


def build_framework(data: dict) -> Framework:
    """Turn a schema-valid, reference-checked document into the frozen model."""
    meta = data["framework"]
    roles = {}
    for r in data["roles"]:
        gap = r.get("training_gap") or {}
        roles[r["slug"]] = Role(
            slug=r["slug"],
            title=r["title"],
            description=r["description"].strip(),
            track=r["track"],
            stage=r["stage"],
            positional=r["positional"],
            typical_years=r["typical_years"],
            responsibilities=tuple(r.get("responsibilities", ())),
            requirements=tuple(sorted(r.get("requirements", {}).items())),
            duties=tuple(Duty(d["duty"], _inline_source(d)) for d in r.get("duties", ())),
            training_gap=gap.get("note"),
            training_gap_sources=_sources(gap.get("sources")),
            sources=_sources(r["sources"]),
        )
    transitions = tuple(
        Transition(
            source=t["from"],
            target=t["to"],
            typical_years=t["typical_years"],
            prerequisites=tuple(
                Prerequisite(
                    type=p["type"],
                    item=p.get("item"),
                    min=p.get("min"),
                    strength=p.get("strength", "required"),
                    sources=_inline_source(p),
                )
                for p in t.get("prerequisites", ())
            ),
            supports=tuple(t.get("supports", ())),
            sources=_sources(t["sources"]),
        )
        for t in data["transitions"]
    )
    training = {
        t["id"]: TrainingItem(
            id=t["id"],
            title=t["title"],
            kind=t["kind"],
            mode=t["mode"],
            capabilities=tuple(t["capabilities"]),
            roles=tuple(t["roles"]),
            sw_specific=t["sw_specific"],
            scope=t["scope"],
            status=t["status"],
            embedded=t["embedded"],
            duration=str(t["duration"]),
            provider=t.get("provider", ""),
            notes=t.get("notes", ""),
            sources=_sources(t["sources"]),
            cost=t.get("cost", ""),
            link=t.get("link", ""),
        )
        for t in data["training"]
    }
    return Framework(
        id=meta["id"],
        title=meta["title"],
        version=str(meta["version"]),
        jurisdiction=meta.get("jurisdiction", ""),
        national_framework_ref=" ".join(str(meta.get("national_framework_ref", "")).split()),
        scale_name=data["scale"]["name"],
        scale_why=" ".join(data["scale"]["why"].split()),
        levels=tuple(
            Level(lv["level"], lv["label"], lv["descriptor"])
            for lv in sorted(data["scale"]["levels"], key=lambda lv: lv["level"])
        ),
        tracks=tuple((t["slug"], t["title"]) for t in data["tracks"]),
        stages=tuple(sorted((s["stage"], s["title"]) for s in data["stages"])),
        service_areas={
            s["slug"]: ServiceArea(s["slug"], s["title"], _sources(s["sources"]))
            for s in data["service_areas"]
        },
        capabilities={
            c["slug"]: Capability(
                c["slug"],
                c["title"],
                c["group"],
                tuple(c.get("sub_capabilities", ())),
                c.get("description", ""),
                _sources(c["sources"]),
            )
            for c in data["capabilities"]
        },
        roles=roles,
        transitions=transitions,
        training=training,
        documents=dict(data["documents"]),
        notes=tuple(" ".join(n.split()) for n in meta.get("notes", ())),
    )


def parse_framework(text: str, filename: str = "<framework>") -> Framework:
    """Parse, validate and build a framework; raise FrameworkError listing every problem.

    >>> parse_framework("roles: []", "tiny.yaml")
    Traceback (most recent call last):
    ...
    pathways.errors.FrameworkError: tiny.yaml:1: document: 'framework' is a required property
    ...
    """
    return framework_from_document(read_document(text, filename))


def framework_from_document(doc: Document) -> Framework:
    """Validate a parsed document (schema, references, graph) and build the framework."""
    from pathways.validate import document_problems, graph_problems

    problems = schema_problems(doc)
    if problems:
        raise FrameworkError(problems)
    problems = document_problems(doc)
    if problems:
        raise FrameworkError(problems)
    framework = build_framework(doc.data)
    problems = graph_problems(framework, doc)
    if problems:
        raise FrameworkError(problems)
    return framework


def framework_from_data(data: dict, name: str = "<data>") -> Framework:
    """Validate and build a framework from already-decoded data (no line numbers)."""
    return framework_from_document(Document(data, {}, name))


def default_framework_path() -> Path:
    return Path(__file__).parent / "frameworks" / "scotland.yaml"


def load_framework(path: str | Path | None = None) -> Framework:
    """Load and validate a framework file (the Scottish default when no path is given)."""
    path = Path(path) if path else default_framework_path()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise FrameworkError(
            [Problem(str(path), None, "file", f"cannot be read: {reason}")]
        ) from None
    return parse_framework(text, path.name)


@cache
def default_framework() -> Framework:
    """The shipped Scottish framework, loaded once per process."""
    return load_framework()
