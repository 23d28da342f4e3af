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
