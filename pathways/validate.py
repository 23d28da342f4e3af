"""Referential and graph checks on framework documents.

Schema checks (types, required fields) happen in :mod:`pathways.loader`; here we check what a
schema cannot: that every slug refers to something that exists, and that the graph makes a
usable career map (everything reachable from ``student``, ``cswo`` reachable, a route to a
senior role that avoids management, nothing leading back into ``student``, no orphan training).
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from pathways.errors import Problem, nearest
from pathways.model import Framework

__all__ = ["document_problems", "graph_problems", "START", "TOP", "PRACTITIONER", "SENIOR_STAGE"]

START = "student"
TOP = "cswo"
PRACTITIONER = "social_worker"
SENIOR_STAGE = 5  # stage from which a role counts as senior (consultant, service manager and up)


def _check_ref(doc, problems, path, value, valid, kind):
    if value not in valid:
        problems.append(doc.problem(path, f"unknown {kind} '{value}'", nearest(value, valid)))


def _duplicates(doc, problems, section, key):
    counts = Counter(entry[key] for entry in doc.data[section])
    for index, entry in enumerate(doc.data[section]):
        if counts[entry[key]] > 1:
            problems.append(
                doc.problem((section, index, key), f"{key} '{entry[key]}' is used more than once")
            )


def _check_sources(doc, problems, path, entries, documents):
    for i, src in enumerate(entries or ()):
        if "doc" in src:
            _check_ref(doc, problems, path + (i, "doc"), src["doc"], documents, "document")


def document_problems(doc) -> list[Problem]:
    """Unknown slugs, duplicate keys and out-of-scale levels in a schema-valid document."""
    data = doc.data
    problems: list[Problem] = []
    for section, key in (
        ("roles", "slug"),
        ("capabilities", "slug"),
        ("training", "id"),
        ("service_areas", "slug"),
        ("tracks", "slug"),
        ("stages", "stage"),
    ):
        _duplicates(doc, problems, section, key)
    documents = set(data["documents"])
    tracks = {t["slug"] for t in data["tracks"]}
    stages = {s["stage"] for s in data["stages"]}
    capabilities = {c["slug"] for c in data["capabilities"]}
    roles = {r["slug"] for r in data["roles"]}
    training = {t["id"] for t in data["training"]}
    levels = {lv["level"] for lv in data["scale"]["levels"]}
    _check_sources(doc, problems, ("scale", "sources"), data["scale"]["sources"], documents)
    for section in ("service_areas", "capabilities"):
        for i, entry in enumerate(data[section]):
            _check_sources(doc, problems, (section, i, "sources"), entry["sources"], documents)
    for i, role in enumerate(data["roles"]):
        base = ("roles", i)
        _check_ref(doc, problems, base + ("track",), role["track"], tracks, "track")
        if role["stage"] not in stages:
            problems.append(
                doc.problem(
                    base + ("stage",),
                    f"unknown stage {role['stage']}; "
                    f"stages are {', '.join(map(str, sorted(stages)))}",
                )
            )
        for cap, level in role["requirements"].items():
            _check_ref(doc, problems, base + ("requirements", cap), cap, capabilities, "capability")
            if level not in levels:
                problems.append(
                    doc.problem(
                        base + ("requirements", cap),
                        f"level {level} is not on the scale ({min(levels)} to {max(levels)})",
                    )
                )
        _check_sources(doc, problems, base + ("sources",), role["sources"], documents)
        designation = role.get("designation")
        if designation:
            for j, slug in enumerate(designation["held_with"]):
                _check_ref(
                    doc, problems, base + ("designation", "held_with", j), slug, roles, "role"
                )
            _check_sources(
                doc, problems, base + ("designation", "sources"), designation["sources"], documents
            )
        for j, duty in enumerate(role.get("duties", ())):
            if "doc" in duty:
                _check_ref(
                    doc, problems, base + ("duties", j, "doc"), duty["doc"], documents, "document"
                )
    for i, t in enumerate(data["transitions"]):
        base = ("transitions", i)
        _check_ref(doc, problems, base + ("from",), t["from"], roles, "role")
        _check_ref(doc, problems, base + ("to",), t["to"], roles, "role")
        if t["from"] == t["to"]:
            problems.append(
                doc.problem(base + ("to",), "a transition cannot lead from a role to itself")
            )
        for j, item in enumerate(t["supports"]):
            _check_ref(doc, problems, base + ("supports", j), item, training, "training item")
        for j, prereq in enumerate(t.get("prerequisites", ())):
            if "item" in prereq:
                _check_ref(
                    doc,
                    problems,
                    base + ("prerequisites", j, "item"),
                    prereq["item"],
                    training,
                    "training item",
                )
        _check_sources(doc, problems, base + ("sources",), t["sources"], documents)
    pairs = Counter((t["from"], t["to"]) for t in data["transitions"])
    for i, t in enumerate(data["transitions"]):
        if pairs[(t["from"], t["to"])] > 1:
            problems.append(
                doc.problem(("transitions", i), "this transition is listed more than once")
            )
    for i, item in enumerate(data["training"]):
        base = ("training", i)
        for j, cap in enumerate(item["capabilities"]):
            _check_ref(doc, problems, base + ("capabilities", j), cap, capabilities, "capability")
        for j, role in enumerate(item["roles"]):
            _check_ref(doc, problems, base + ("roles", j), role, roles, "role")
        _check_sources(doc, problems, base + ("sources",), item["sources"], documents)
    return problems


def _role_path(doc, slug):
    if doc is None:
        return ("roles",)
    for i, role in enumerate(doc.data["roles"]):
        if role["slug"] == slug:
            return ("roles", i)
    return ("roles",)


def _problem(doc, path, item, message):
    if doc is None:
        return Problem("<framework>", None, item, message)
    return doc.problem(path, message)


def graph_problems(framework: Framework, doc=None) -> list[Problem]:
    """Checks that need the whole graph. ``doc`` (if given) supplies lines for messages."""
    graph = framework.graph
    problems: list[Problem] = []
    for slug, label in (
        (START, "the starting role"),
        (TOP, "the Chief Social Work Officer role"),
        (PRACTITIONER, "the qualified practitioner role"),
    ):
        if slug not in graph:
            problems.append(_problem(doc, ("roles",), "roles", f"{label} '{slug}' is missing"))
    if problems:
        return problems
    for i, t in enumerate(framework.transitions):
        if t.target == START:
            problems.append(
                _problem(
                    doc,
                    ("transitions", i, "to"),
                    f"transition {t.source} -> {t.target}",
                    f"no transition may lead into '{START}'",
                )
            )
    reachable = nx.descendants(graph, START) | {START}
    for slug in framework.roles:
        if slug not in reachable:
            problems.append(
                _problem(
                    doc,
                    _role_path(doc, slug),
                    slug,
                    f"role '{slug}' cannot be reached from '{START}'",
                )
            )
    senior = [s for s, r in framework.roles.items() if r.stage >= SENIOR_STAGE]
    open_roles = [s for s, r in framework.roles.items() if not r.positional]
    practice = graph.subgraph(open_roles)
    if PRACTITIONER in practice and not any(
        s in practice and nx.has_path(practice, PRACTITIONER, s) for s in senior
    ):
        problems.append(
            _problem(
                doc,
                _role_path(doc, PRACTITIONER),
                PRACTITIONER,
                f"no route from '{PRACTITIONER}' reaches a senior role (stage "
                f"{SENIOR_STAGE}+) without passing through a positional role",
            )
        )
    referenced = {s for t in framework.transitions for s in t.supports}
    referenced |= {p.item for t in framework.transitions for p in t.prerequisites if p.item}
    for i, item in enumerate(framework.training.values()):
        if item.id in referenced:
            continue
        if not item.roles or not item.capabilities:
            missing = "roles" if not item.roles else "capabilities"
            problems.append(
                _problem(
                    doc,
                    ("training", i, missing),
                    item.id,
                    f"orphan training item: it lists no {missing} and no transition uses it",
                )
            )
    return problems
