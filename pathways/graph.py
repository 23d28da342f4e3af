"""The role graph: one node per role, one edge per transition."""

from __future__ import annotations

import networkx as nx

__all__ = ["build_graph"]


def build_graph(framework) -> nx.DiGraph:
    """Build the directed role graph of a framework.

    Nodes carry ``role``, ``stage``, ``positional``; edges carry ``transition`` and ``years``.

    >>> from pathways.loader import default_framework
    >>> g = build_graph(default_framework())
    >>> g.has_edge("student", "nqsw"), g.nodes["cswo"]["positional"]
    (True, True)
    """
    graph = nx.DiGraph(framework=framework.id, version=framework.version)
    for slug, role in framework.roles.items():
        graph.add_node(slug, role=role, stage=role.stage, positional=role.positional)
    for t in framework.transitions:
        graph.add_edge(t.source, t.target, transition=t, years=t.typical_years)
    return graph
