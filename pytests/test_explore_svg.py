"""`cdp explore`'s pictures (src/cdp/explore/svg.py) on hand-made graphs: the
layout is deterministic and puts every identifier somewhere of its own, text is
escaped, a long chain is laid out without recursion, a giant component is listed
instead of drawn."""

from __future__ import annotations

import math
import re
from datetime import datetime

from cdp.explore.queries import GraphLink, GraphNode
from cdp.explore.svg import DRAW_UP_TO, RING, bar_chart, identity_graph, radial_layout, timeline


def node(node_id: int, identifier_type: str = "email", label: str | None = None) -> GraphNode:
    return GraphNode(
        node_id=node_id,
        identifier_type=identifier_type,
        label=label or f"id-{node_id}",
        is_masked=False,
        record_count=1,
        is_anchor=node_id == 1,
    )


def link(a: int, b: int, records: int = 1) -> GraphLink:
    return GraphLink(
        a,
        b,
        [
            {"source_table": "crm_contacts", "record_key": f"R{a}-{b}-{i}", "linked_at": None}
            for i in range(records)
        ],
    )


def test_a_star_is_drawn_around_its_hub():
    # node 3 links to everyone: the hub in the centre, the others on the first ring
    nodes = [node(i) for i in range(1, 7)]
    links = [link(3, i) for i in (1, 2, 4, 5, 6)]
    positions = radial_layout(nodes, links)
    assert positions[3] == (0.0, 0.0)
    for other in (1, 2, 4, 5, 6):
        assert math.isclose(math.dist(positions[3], positions[other]), RING)
    assert len({(round(x), round(y)) for x, y in positions.values()}) == 6
    assert radial_layout(list(reversed(nodes)), list(reversed(links))) == positions


def test_a_long_chain_is_laid_out_ring_by_ring():
    nodes = [node(i) for i in range(1, 3001)]
    links = [link(i, i + 1) for i in range(1, 3000)]
    positions = radial_layout(nodes, links)
    assert len(positions) == 3000
    # every inner node has two links: the hub is the smallest of them, node 2, and
    # node 3000 is 2,998 hops away from it
    assert positions[2] == (0.0, 0.0)
    radii = sorted(round(math.hypot(*p)) for p in positions.values())
    assert radii[-1] == 2998 * RING and radii.count(RING) == 2


def test_every_node_and_the_apart_ones_are_drawn_with_escaped_text():
    nodes = [node(1, "email", "<script>alert(1)</script>"), node(2, "phone", "+4930")]
    apart = [
        {
            "identifier_type": "phone",
            "label": "+49 store & co",
            "is_masked": False,
            "reason": "shared",
            "record_count": 31,
        }
    ]
    svg = str(identity_graph(nodes, [link(1, 2, records=3)], apart))
    assert len(re.findall(r'<g class="node[ "]', svg)) == 2
    assert svg.count('<g class="node-apart"') == 1
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "+49 store &amp; co" in svg and "phone · shared" in svg
    assert 'data-records="3"' in svg and "×3" in svg


def test_a_giant_component_is_listed_not_drawn():
    nodes = [node(i) for i in range(1, DRAW_UP_TO + 2)]
    svg = str(identity_graph(nodes, [link(1, i) for i in range(2, DRAW_UP_TO + 2)], []))
    assert "<svg" not in svg and f"{DRAW_UP_TO + 1:,} identifiers: too many to draw" in svg


def test_bars_scale_to_the_largest_value():
    svg = str(bar_chart([("a", 10), ("b <5>", 5), ("c", 0)], "t"))
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    assert "b &lt;5&gt;" in svg


def test_the_timeline_puts_each_touchpoint_on_its_channel():
    touchpoints = [
        {
            "touchpoint_id": f"t{i}",
            "channel": channel,
            "touchpoint_type": "order",
            "is_purchase": channel == "store",
            "occurred_at": datetime(2024, 1, 1 + i),
        }
        for i, channel in enumerate(["web", "store", "web"])
    ]
    svg = str(timeline(touchpoints))
    assert svg.count('class="touchpoint"') == 3
    assert svg.count('r="6"') == 1  # the purchase is drawn larger
    assert timeline([]) == ""


def test_labels_point_away_from_the_hub():
    """A star of eight: each label on the far side of its node from the hub, so the line to
    the hub never runs through it; every link of several records has its count. (That the
    counts stay clear of the labels is measured in Chromium: test_explore_browser.py.)"""
    nodes = [node(i, label=f"someone.long.name{i}@example.com") for i in range(1, 10)]
    links = [link(1, i, records=3) for i in range(2, 10)]
    svg = str(identity_graph(nodes, links, []))
    # the nodes are drawn in node order, each a circle
    found = re.findall(r'<circle cx="([0-9.]+)" cy="([0-9.]+)"', svg)
    circles = {number: (float(x), float(y)) for number, (x, y) in enumerate(found, start=1)}
    hub = circles[1]
    labels = re.findall(r'<text x="([0-9.]+)" y="([0-9.]+)" text-anchor="(\w+)" class="label">'
                        r"someone\.long\.name(\d)@", svg)  # fmt: skip
    assert len(labels) == 9
    for x, y, anchor, number in labels:
        cx, cy = circles[int(number)]
        x, y = float(x), float(y)
        if int(number) == 1:
            assert y > cy  # the hub's own label below it
            continue
        away = (cx - hub[0], cy - hub[1])
        if anchor == "start":
            assert x > cx and away[0] > 0
        elif anchor == "end":
            assert x < cx and away[0] < 0
        else:  # above or below, on the side away from the hub
            assert (y - cy) * away[1] > 0
    counts = re.findall(
        r'<text x="([0-9.]+)" y="([0-9.]+)" text-anchor="middle" class="link-count"', svg
    )
    assert len(counts) == 8
