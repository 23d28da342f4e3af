"""Positions for drawing the role map: columns by stage, horizontal lanes by track.

Pure geometry, so the SVG template only draws what this module computes. Boxes are placed
here; the moves between them are routed by Graphviz's neato with the boxes pinned (``-n2``,
``splines=true``), so no arrow crosses a role box it does not visit. Without Graphviz the
moves are drawn as plain curves, which may cross boxes (a warning is logged once).
"""

from __future__ import annotations

import json
import logging
import textwrap
from dataclasses import dataclass
from functools import lru_cache

import graphviz

from pathways.model import Framework

__all__ = ["NodeBox", "Edge", "Lane", "MapLayout", "layout_map"]

COL_WIDTH = 205
NODE_WIDTH = 150
NODE_HEIGHT = 54
ROW_GAP = 26
LANE_PAD = 20  # room below a box for its "You are here" label
LANE_LABEL = 22  # room above a lane's nodes for its label
LEFT = 10
TOP = 48  # room for two-line stage labels


@dataclass(frozen=True)
class NodeBox:
    slug: str
    title: str
    lines: tuple[str, ...]
    x: float
    y: float
    width: float
    height: float
    positional: bool
    track: str
    stage: int

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    path: str  # SVG path data
    kind: str = "progression"  # the transition's kind: sideways and return moves look different


@dataclass(frozen=True)
class Lane:
    track: str
    title: str
    y: float
    height: float


@dataclass(frozen=True)
class MapLayout:
    width: float
    height: float
    nodes: dict[str, NodeBox]
    edges: tuple[Edge, ...]
    lanes: tuple[Lane, ...]
    stages: tuple[tuple[int, str, float], ...]  # stage, title, x centre


def _wrap(title: str) -> tuple[str, ...]:
    lines = textwrap.wrap(title, 22)
    if len(lines) > 3:
        lines = lines[:2] + [textwrap.shorten(" ".join(lines[2:]), 22, placeholder="...")]
    return tuple(lines)


@lru_cache(maxsize=16)  # a framework never changes, so its picture is laid out once
def layout_map(framework: Framework) -> MapLayout:
    """Lay out every role: x from its stage, y from its track lane.

    >>> from pathways.loader import default_framework
    >>> m = layout_map(default_framework())
    >>> m.nodes["student"].x < m.nodes["cswo"].x
    True
    """
    stages = [s for s, _ in framework.stages]
    col = {stage: i for i, stage in enumerate(stages)}
    cells: dict[tuple[str, int], list[str]] = {}
    for slug, role in sorted(framework.roles.items(), key=lambda kv: (kv[1].stage, kv[0])):
        cells.setdefault((role.track, role.stage), []).append(slug)
    used_tracks = [(t, title) for t, title in framework.tracks if any(k[0] == t for k in cells)]
    nodes: dict[str, NodeBox] = {}
    lanes = []
    y = TOP
    for track, title in used_tracks:
        depth = max(len(v) for k, v in cells.items() if k[0] == track)
        height = LANE_LABEL + depth * NODE_HEIGHT + (depth - 1) * ROW_GAP + 2 * LANE_PAD
        lanes.append(Lane(track, title, y, height))
        for (cell_track, stage), slugs in cells.items():
            if cell_track != track:
                continue
            for i, slug in enumerate(slugs):
                role = framework.roles[slug]
                nodes[slug] = NodeBox(
                    slug,
                    role.title,
                    _wrap(role.title),
                    LEFT + col[stage] * COL_WIDTH + (COL_WIDTH - NODE_WIDTH) / 2,
                    y + LANE_LABEL + LANE_PAD + i * (NODE_HEIGHT + ROW_GAP),
                    NODE_WIDTH,
                    NODE_HEIGHT,
                    role.positional,
                    track,
                    stage,
                )
        y += height
    height = y + 10
    routed = _routed_edges(framework, nodes, height)
    edges = []
    for t in framework.transitions:
        if (t.source, t.target) in routed:
            edges.append(Edge(t.source, t.target, routed[t.source, t.target], t.kind))
            continue
        a, b = nodes[t.source], nodes[t.target]
        if b.x > a.x:
            x1, y1, x2, y2 = a.x + a.width, a.cy, b.x, b.cy
            mid = (x1 + x2) / 2
            path = f"M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
        else:  # same column (or backwards): loop out to the right of the column
            x1, y1, x2, y2 = a.x + a.width, a.cy, b.x + b.width, b.cy
            bulge = max(x1, x2) + (COL_WIDTH - NODE_WIDTH) / 2 - 2
            path = (
                f"M{x1:.0f},{y1:.0f} C{bulge:.0f},{y1:.0f} {bulge:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
            )
        edges.append(Edge(t.source, t.target, path, t.kind))
    stage_labels = tuple(
        (s, title, LEFT + col[s] * COL_WIDTH + COL_WIDTH / 2) for s, title in framework.stages
    )
    return MapLayout(
        LEFT + len(stages) * COL_WIDTH + 10, height, nodes, tuple(edges), tuple(lanes), stage_labels
    )


log = logging.getLogger(__name__)


def _routed_edges(framework, nodes: dict[str, NodeBox], height: float) -> dict:
    """SVG path data for every move, routed around the boxes by neato; {} without Graphviz."""
    graph = graphviz.Digraph(
        graph_attr={"splines": "true", "esep": "+6"},
        node_attr={"shape": "box", "fixedsize": "true", "label": ""},
    )
    for n in nodes.values():  # Graphviz's y axis points up; positions in points, sizes in inches
        graph.node(
            n.slug,
            pos=f"{n.cx:.1f},{height - n.cy:.1f}",
            width=f"{(n.width + 6) / 72:.3f}",  # a margin, so curves keep clear of the boxes
            height=f"{(n.height + 6) / 72:.3f}",
        )
    for t in framework.transitions:
        graph.edge(t.source, t.target)
    try:
        data = json.loads(graph.pipe(engine="neato", format="json0", neato_no_op=2, quiet=True))
    except (graphviz.ExecutableNotFound, graphviz.CalledProcessError, ValueError) as exc:
        log.warning("role map: Graphviz unavailable (%s); drawing plain curves", exc)
        return {}
    # neato shifts the drawing to its bounding box: find the shift from any box
    first = data["objects"][0]
    gx, gy = map(float, first["pos"].split(","))
    box = nodes[first["name"]]
    dx, dy = box.cx - gx, (height - box.cy) - gy
    names = {o["_gvid"]: o["name"] for o in data["objects"]}

    def point(text):
        x, y = map(float, text.split(","))
        return f"{x + dx:.0f},{height - (y + dy):.0f}"

    paths = {}
    for e in data.get("edges", ()):
        parts = e["pos"].split()
        end = None
        if parts[0].startswith("e,"):
            end, parts = point(parts[0][2:]), parts[1:]
        if parts[0].startswith("s,"):
            parts = parts[1:]
        pts = [point(p) for p in parts]
        d = f"M{pts[0]}" + "".join(
            f" C{pts[i]} {pts[i + 1]} {pts[i + 2]}" for i in range(1, len(pts) - 2, 3)
        )
        if end:
            d += f" L{end}"
        paths[names[e["tail"]], names[e["head"]]] = d
    return paths
