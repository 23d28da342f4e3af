"""The role map layout: every role placed, none overlapping, inside the picture."""

from __future__ import annotations

from itertools import combinations

import pytest

from pathways.layout import layout_map
from pathways.loader import framework_from_data
from pathways.synthetic import synthetic_document


def overlaps(a, b):
    return (
        a.x < b.x + b.width
        and b.x < a.x + a.width
        and a.y < b.y + b.height
        and b.y < a.y + a.height
    )


@pytest.mark.parametrize("size", [0, 40])
def test_layout_places_every_role_without_overlap(framework, size):
    fw = framework if size == 0 else framework_from_data(synthetic_document(size, seed=3))
    layout = layout_map(fw)
    assert set(layout.nodes) == set(fw.roles)
    assert len(layout.edges) == len(fw.transitions)
    for a, b in combinations(layout.nodes.values(), 2):
        assert not overlaps(a, b), (a.slug, b.slug)
    for node in layout.nodes.values():
        assert node.x >= 0 and node.x + node.width <= layout.width
        assert node.y >= 0 and node.y + node.height <= layout.height
        assert 1 <= len(node.lines) <= 3


def test_layout_orders_columns_by_stage_and_lanes_by_track(framework):
    layout = layout_map(framework)
    nodes = layout.nodes
    assert nodes["student"].x < nodes["nqsw"].x < nodes["social_worker"].x < nodes["cswo"].x
    lane_of = {lane.track: lane for lane in layout.lanes}
    for node in nodes.values():
        lane = lane_of[node.track]
        assert lane.y <= node.y and node.y + node.height <= lane.y + lane.height


def _points(path: str, steps: int = 24):
    """Points along an SVG path of M, C and L commands (the layout's only ones)."""
    import re

    tokens = re.findall(r"[MCL]|-?[\d.]+,-?[\d.]+", path)
    pen, points, i = None, [], 0
    while i < len(tokens):
        command = tokens[i]
        if command == "M":
            pen = tuple(map(float, tokens[i + 1].split(",")))
            points.append(pen)
            i += 2
        elif command == "L":
            end = tuple(map(float, tokens[i + 1].split(",")))
            points += [
                (pen[0] + (end[0] - pen[0]) * t / steps, pen[1] + (end[1] - pen[1]) * t / steps)
                for t in range(1, steps + 1)
            ]
            pen, i = end, i + 2
        else:  # C: a cubic Bézier from the pen
            c1, c2, end = (tuple(map(float, tokens[i + k].split(","))) for k in (1, 2, 3))
            for n in range(1, steps + 1):
                t = n / steps
                points.append(
                    tuple(
                        (1 - t) ** 3 * pen[d]
                        + 3 * (1 - t) ** 2 * t * c1[d]
                        + 3 * (1 - t) * t**2 * c2[d]
                        + t**3 * end[d]
                        for d in (0, 1)
                    )
                )
            pen, i = end, i + 4
    return points


def _inside(point, box, margin=2):
    x, y = point
    return (
        box.x + margin < x < box.x + box.width - margin
        and box.y + margin < y < box.y + box.height - margin
    )


def _needs_graphviz():
    import os
    import shutil

    if shutil.which("neato") is None:
        if os.environ.get("CI"):
            pytest.fail("the role map needs Debian's graphviz: .ci/run installs it")
        pytest.skip("no Graphviz here (apt-get install graphviz)")


@pytest.mark.parametrize("size", [0, 30])
def test_no_move_crosses_a_role_box_it_does_not_visit(framework, size):
    """Every arrow, the route's included, keeps out of every box but its own two ends, on the
    default framework (with its sideways and return moves) and a generated one with cycles."""
    _needs_graphviz()
    fw = framework if size == 0 else framework_from_data(synthetic_document(size, 5, cycles=True))
    layout = layout_map(fw)
    crossings = []
    for edge in layout.edges:
        others = [n for s, n in layout.nodes.items() if s not in (edge.source, edge.target)]
        for point in _points(edge.path):
            hit = next((n.slug for n in others if _inside(point, n)), None)
            if hit:
                crossings.append((edge.source, edge.target, hit))
                break
    assert crossings == []
    # each arrow starts at its source's box and ends at its target's
    for edge in layout.edges:
        points = _points(edge.path)
        a, b = layout.nodes[edge.source], layout.nodes[edge.target]
        assert _inside(points[0], a, margin=-12) and _inside(points[-1], b, margin=-12), edge


def test_without_graphviz_the_map_still_draws(framework, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no neato on the path: plain curves
    layout = layout_map.__wrapped__(framework)  # not the cached layout
    assert len(layout.edges) == len(framework.transitions)
    assert all(edge.path.startswith("M") and " C" in edge.path for edge in layout.edges)
