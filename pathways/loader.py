"""Read framework documents: YAML with line numbers, JSON Schema, then the model.

Errors are collected, not raised one at a time, so an author sees every problem in a file
at once, each with its file, line and item.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import jsonschema
import yaml

from pathways.errors import FrameworkError, Problem
from pathways.model import (
    Capability,
    Designation,
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
    "check_yaml",
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


# Limits on a YAML document, checked before PyYAML composes or constructs anything (see
# check_yaml). YAML lets a short text describe a huge or deeply nested value: a 370-byte
# "billion laughs" of anchors and aliases expands to 10^8 values, and a few hundred nested
# brackets exhaust Python's recursion limit in every step that walks the document.
#
# 1 MB: the shipped Scottish framework is 59 KB, so a framework sixteen times as large still
# fits; a 960 KB framework (long notes) parses and validates in under a second. Uploads are
# capped at 5 MB by MAX_CONTENT_LENGTH; this is the tighter cap for YAML.
MAX_DOCUMENT_BYTES = 1_000_000
# 40 levels: a framework document nests at most 6 deep (the document, roles, a role, its
# training gap, its sources, a source); composing, constructing, indexing lines and JSON
# Schema validation all recurse per level, and 40 keeps them far below Python's recursion
# limit of 1000 while leaving room for any reasonable hand-written structure.
MAX_DEPTH = 40
# 100,000 values (every text, number, list and mapping counts one): the shipped framework
# has about 3,400, so one thirty times larger fits. The cost of the largest accepted document
# is PyYAML's own, linear in the values: 1 MB is room for 300,000 one-digit values, and
# 100,000 of them took about 3 s to read on a busy two-core machine (this scan 0.5 s of it).
MAX_NODES = 100_000
# Anchors and aliases are refused one by one, so an author can fix them all at once; after
# this many the rest are summed up in one line rather than listed.
MAX_LISTED = 20

_MERGE_TAG = "tag:yaml.org,2002:merge"
# The parser's events, compared by type (not isinstance) in check_yaml's loop, which runs
# once per value: the exact classes are what both parsers (C and Python) produce.
_SCALAR, _SEQUENCE, _MAPPING = yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent
_SEQUENCE_END, _MAPPING_END = yaml.SequenceEndEvent, yaml.MappingEndEvent
_ALIAS, _DOCUMENT_START = yaml.AliasEvent, yaml.DocumentStartEvent
_NO_ALIASES = "write the value out in full; anchors and aliases are not accepted"


def _yaml_problem(exc: yaml.YAMLError, filename: str) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return Problem(filename, line, "document", f"not valid YAML: {exc.problem or exc}")
    return Problem(filename, None, "document", f"not valid YAML: {exc}")


class _Open:
    """A list or mapping being scanned: how many values it holds so far and where it began."""

    __slots__ = ("mapping", "children", "anchor", "nodes_before", "depth_below")

    def __init__(self, mapping: bool, anchor: str | None, nodes_before: int):
        self.mapping = mapping
        self.children = 0
        self.anchor = anchor
        self.nodes_before = nodes_before
        self.depth_below = 0  # the deepest nesting inside it, for an anchor's alias


def check_yaml(text: str, filename: str = "<framework>", *, allow_aliases: bool = False) -> None:
    """Refuse, before anything is built from it, YAML that is too big or shaped to exhaust
    time or memory: raise FrameworkError with the line and what to do.

    Refused: more than MAX_DOCUMENT_BYTES (checked before parsing), more than one document,
    nesting deeper than MAX_DEPTH, more than MAX_NODES values, and anchors (``&name``),
    aliases (``*name``) and merge keys (``<<``). The scan reads the parser's event stream one
    event at a time, so it needs no recursion and stops at the first cap reached.

    ``allow_aliases`` is only for text this application stored itself before anchors were
    refused: anchors, aliases and merge keys then pass, but each alias counts as the values
    and the depth it stands for, so an alias bomb is still refused by MAX_NODES.
    """
    # A character counts at least one byte: a text with too many characters is too big
    # without encoding it.
    too_big = len(text) > MAX_DOCUMENT_BYTES
    if not too_big:
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError as exc:
            raise FrameworkError(
                [
                    Problem(
                        filename,
                        text.count("\n", 0, exc.start) + 1,
                        "document",
                        "holds a character that is not valid text (a lone surrogate); "
                        "save the file as UTF-8 and try again",
                    )
                ]
            ) from None
        too_big = size > MAX_DOCUMENT_BYTES
    if too_big:
        raise FrameworkError(
            [
                Problem(
                    filename,
                    None,
                    "document",
                    f"is larger than {MAX_DOCUMENT_BYTES:,} bytes (1 MB), the most accepted "
                    "for a framework document (the shipped framework is about 59 KB); "
                    "remove what is not needed and try again",
                )
            ]
        )

    problems: list[Problem] = []
    unlisted = 0

    def refuse(line: int, message: str) -> None:
        nonlocal unlisted
        if len(problems) < MAX_LISTED:
            problems.append(Problem(filename, line, "document", message))
        else:
            unlisted += 1

    def stop(line: int, message: str) -> FrameworkError:
        return FrameworkError([*problems, Problem(filename, line, "document", message)])

    open_: list[_Open] = []
    nodes = 0
    documents = 0
    # for allow_aliases: each anchor's values, and the levels of nesting it adds
    anchored: dict[str, tuple[int, int]] = {}
    events = yaml.parse(text, Loader=_Loader)
    try:
        for event in events:
            kind = type(event)
            if kind is _SCALAR or kind is _SEQUENCE or kind is _MAPPING:
                nodes += 1
                is_key = False
                if open_:
                    parent = open_[-1]
                    is_key = parent.mapping and not parent.children % 2
                    parent.children += 1
                if event.anchor is not None:
                    if not allow_aliases:
                        refuse(
                            event.start_mark.line + 1,
                            f"'&{event.anchor}' is an anchor (it names a value to repeat "
                            f"elsewhere); {_NO_ALIASES}",
                        )
                    elif kind is _SCALAR:
                        anchored[event.anchor] = (1, 0)
                if (
                    is_key
                    and not allow_aliases
                    and (
                        event.tag == _MERGE_TAG
                        or (kind is _SCALAR and event.value == "<<" and event.implicit[0])
                    )
                ):
                    refuse(
                        event.start_mark.line + 1,
                        "'<<' is a merge key (it copies another mapping's keys in here); "
                        "write the keys out in full; merge keys are not accepted",
                    )
                if kind is not _SCALAR:
                    open_.append(_Open(kind is _MAPPING, event.anchor, nodes - 1))
                    if len(open_) > MAX_DEPTH:
                        raise stop(event.start_mark.line + 1, _too_deep())
            elif kind is _SEQUENCE_END or kind is _MAPPING_END:
                closed = open_.pop()
                levels = closed.depth_below + 1
                if open_ and open_[-1].depth_below < levels:
                    open_[-1].depth_below = levels
                if closed.anchor is not None:
                    anchored[closed.anchor] = (nodes - closed.nodes_before, levels)
            elif kind is _ALIAS:
                line = event.start_mark.line + 1
                if open_:
                    open_[-1].children += 1
                if not allow_aliases:
                    refuse(
                        line,
                        f"'*{event.anchor}' is an alias (it repeats a value written elsewhere); "
                        f"{_NO_ALIASES}",
                    )
                    nodes += 1
                elif any(o.anchor == event.anchor for o in open_):
                    raise stop(
                        line,
                        f"'*{event.anchor}' refers to a value that contains it, which never "
                        f"ends; {_NO_ALIASES}",
                    )
                else:  # an unknown alias is left for the composer to report
                    count, levels = anchored.get(event.anchor, (1, 0))
                    nodes += count
                    if len(open_) + levels > MAX_DEPTH:
                        raise stop(line, _too_deep())
                    if open_ and open_[-1].depth_below < levels:
                        open_[-1].depth_below = levels
            elif kind is _DOCUMENT_START:
                documents += 1
                if documents > 1:
                    raise stop(
                        event.start_mark.line + 1,
                        "a second YAML document starts here ('---'); a framework file holds "
                        "one document: remove the '---' line and what follows it, or put it "
                        "in a file of its own",
                    )
            # (stream start and end, document end: nothing to check)
            if nodes > MAX_NODES:
                raise stop(
                    event.start_mark.line + 1,
                    f"holds more than {MAX_NODES:,} values (counting every text, number, "
                    "list and mapping), the most accepted for a framework document (the "
                    "shipped framework has about 3,400); remove what is not needed",
                )
    except yaml.YAMLError as exc:
        raise FrameworkError([*problems, _yaml_problem(exc, filename)]) from None
    finally:
        events.close()  # disposes of the parser
    if unlisted:
        problems.append(
            Problem(
                filename,
                None,
                "document",
                f"and {unlisted} more anchors, aliases or merge keys; {_NO_ALIASES}",
            )
        )
    if problems:
        raise FrameworkError(problems)


def _too_deep() -> str:
    return (
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep here, the most "
        "accepted (a framework document needs at most 6); check the indentation and brackets"
    )


# What a value that PyYAML recognised by its form, but could not build, was taken to be.
_TAG_WORDS = {
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "yes or no",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:binary": "base64 data",
}


class _DocumentLoader(_Loader):
    """The loader, reporting a value it cannot build (a date such as 2024-02-30, a number of
    thousands of digits) as a YAML problem on its line instead of a Python exception."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ArithmeticError, LookupError, ValueError, TypeError, AttributeError) as exc:
            value = node.value if isinstance(node.value, str) else ""
            shown = repr(value if len(value) <= 40 else value[:37] + "...")
            what = _TAG_WORDS.get(node.tag, f"'{node.tag}'")
            if not isinstance(exc, ValueError):
                reason = "not in a form it takes"
            elif "Exceeds the limit" in str(exc):  # Python's cap on digits in a number
                reason = "too many digits"
            else:
                reason = str(exc).split(";")[0][:100]
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"{shown} cannot be read as {what} ({reason}); put it in quotes if it is text",
                node.start_mark,
            ) from None


def _index_lines(root, lines: dict, duplicates: list) -> None:
    """The line of every path in the node tree, and every key that appears twice in a
    mapping. Iterative: a deep document cannot exhaust the recursion limit."""
    stack = [(root, ())]
    while stack:
        node, path = stack.pop()
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen = set()
            children = []
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key in seen:
                    duplicates.append((path + (key,), key_node.start_mark.line + 1))
                seen.add(key)
                lines[path + (key,)] = key_node.start_mark.line + 1
                children.append((value_node, path + (key,)))
            stack.extend(reversed(children))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(
                (child, path + (index,)) for index, child in reversed(list(enumerate(node.value)))
            )


def read_document(
    text: str, filename: str = "<framework>", *, allow_aliases: bool = False
) -> Document:
    """Parse YAML text, keeping line numbers. Raises FrameworkError on bad YAML, and on YAML
    that check_yaml refuses (too big, too deep, anchors and aliases, ...) before building
    anything from it. ``allow_aliases``: see check_yaml."""
    check_yaml(text, filename, allow_aliases=allow_aliases)
    loader = _DocumentLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise FrameworkError([_yaml_problem(exc, filename)]) from None
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    duplicates: list = []
    if node is not None:
        _index_lines(node, lines, duplicates)
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
                for path, line in sorted(duplicates, key=lambda d: d[1])
            ]
        )
    return doc


# Plain words for the schema's patterns (the regular expressions mean nothing to an editor).
PATTERN_MESSAGES = {
    "^https?://": "is not a web address starting http:// or https://",
    "^[a-z][a-z0-9_]*$": "must start with a lower-case letter and use only a-z, 0-9 and _",
    "^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$": "must start with a letter or digit and use only "
    "the letters A-Z and a-z, the digits 0-9 and . _ + -, at most 64 characters, for "
    "example 2026.1 (it becomes part of file names)",
}


def _pattern(validator, pattern, instance, schema):
    """JSON Schema's ``pattern`` as the standard means it: in ECMA-262 regular expressions a
    final ``$`` matches only at the very end, while Python's also matches before a final
    newline, which would let ``"scotland\\n"`` through as a slug and into a file name."""
    if not validator.is_type(instance, "string"):
        return
    python = (
        pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern
    )
    if not re.search(python, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _schema_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((Path(__file__).parent / "schema" / "framework.schema.json").read_text())
    validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _pattern})
    return validator(schema)


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
        if error.validator == "maxLength" and isinstance(error.instance, str):
            message = (
                f"is {len(error.instance)} characters long; the most allowed is "
                f"{error.validator_value}"
            )
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


def _text(value) -> str:
    return " ".join(str(value or "").split())


def _evidence_from_basis(basis) -> str:
    """The evidence of an item whose document does not state it (versions written before
    ``evidence`` existed): read from its ``status_basis``, in place when that says nothing.

    >>> _evidence_from_basis("recommended by Iriss; not described as existing")
    'recommended'
    >>> _evidence_from_basis(None)
    'in_place'
    """
    words = _text(basis).lower()
    for evidence in ("recommended", "suggested", "inference"):
        if words.startswith(evidence):
            return evidence
    return "in_place"


def _designation(data: dict | None) -> Designation | None:
    if not data:
        return None
    return Designation(
        note=_text(data["note"]),
        held_with=tuple(data["held_with"]),
        basis=_text(data.get("basis")),
        sources=_sources(data["sources"]),
    )


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
            years_basis=_text(r.get("years_basis")),
            positional_basis=_text(r.get("positional_basis")),
            basis=_text(r.get("basis")),
            responsibilities=tuple(r.get("responsibilities", ())),
            requirements=tuple(sorted(r.get("requirements", {}).items())),
            duties=tuple(Duty(d["duty"], _inline_source(d)) for d in r.get("duties", ())),
            training_gap=gap.get("note"),
            training_gap_sources=_sources(gap.get("sources")),
            sources=_sources(r["sources"]),
            designation=_designation(r.get("designation")),
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
                    basis=_text(p.get("basis")),
                )
                for p in t.get("prerequisites", ())
            ),
            supports=tuple(t.get("supports", ())),
            sources=_sources(t["sources"]),
            years_basis=_text(t.get("years_basis")),
            basis=_text(t.get("basis")),
            kind=t.get("kind", "progression"),
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
            evidence=t.get("evidence") or _evidence_from_basis(t.get("status_basis")),
            evidence_note=_text(t.get("status_basis")),
            sw_specific_basis=_text(t.get("sw_specific_basis")),
            provides=tuple(t.get("provides", ())),
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
        scale_sources=_sources(data["scale"].get("sources")),
    )


def parse_framework(
    text: str, filename: str = "<framework>", *, allow_aliases: bool = False
) -> Framework:
    """Parse, validate and build a framework; raise FrameworkError listing every problem.
    ``allow_aliases`` only for versions stored before anchors were refused (see check_yaml).

    >>> parse_framework("roles: []", "tiny.yaml")
    Traceback (most recent call last):
    ...
    pathways.errors.FrameworkError: tiny.yaml:1: document: 'framework' is a required property
    ...
    """
    return framework_from_document(read_document(text, filename, allow_aliases=allow_aliases))


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
