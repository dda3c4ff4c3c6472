"""Pictures drawn on the server as inline SVG: no JavaScript, no internet, nothing
vendored. Every text is escaped; the layouts are deterministic (same data, same
picture)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape

from cdp.explore.queries import GraphLink, GraphNode

TYPE_COLOURS = {
    "email": "#1f77b4",
    "phone": "#2ca02c",
    "crm_contact_id": "#9467bd",
    "shop_customer_id": "#ff7f0e",
    "loyalty_id": "#d62728",
    "anonymous_id": "#7f7f7f",
}
CHANNEL_COLOURS = {
    "web": "#1f77b4",
    "app": "#17becf",
    "online_shop": "#ff7f0e",
    "store": "#d62728",
    "email": "#9467bd",
    "support": "#8c564b",
    "survey": "#2ca02c",
}
RING = 120  # distance between rings of the radial layout
NODE_RADIUS = 16
LABELS_UP_TO = 60  # nodes; above this labels are left to the tooltips
DRAW_UP_TO = 400  # nodes; a larger component is listed, not drawn


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(x: float, y: float, text: str, css: str = "", anchor: str = "middle") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{css}">{escape(text)}</text>'
    )


def radial_layout(
    nodes: Sequence[GraphNode], links: Sequence[GraphLink]
) -> dict[int, tuple[float, float]]:
    """Positions of a connected graph around its hub (the identifier with the
    most links, ties: the smallest node id): a breadth-first tree (neighbours in
    node-id order) drawn on rings, each subtree getting an angle in proportion
    to its leaves. Nodes left unconnected (if the links were cut short) get
    their own trees on the outer ring."""
    neighbours: dict[int, list[int]] = {n.node_id: [] for n in nodes}
    for link in links:
        if link.node_id in neighbours and link.linked_node_id in neighbours:
            neighbours[link.node_id].append(link.linked_node_id)
            neighbours[link.linked_node_id].append(link.node_id)
    for ids in neighbours.values():
        ids.sort()
    order = sorted(neighbours, key=lambda node: (-len(neighbours[node]), node))
    children: dict[int, list[int]] = {}
    depth: dict[int, int] = {}
    tree_roots: list[int] = []
    visited: list[int] = []  # breadth-first order
    for root in order:
        if root in depth:
            continue
        tree_roots.append(root)
        depth[root] = 0
        visited.append(root)
        frontier = [root]
        while frontier:
            following = []
            for node in frontier:
                for other in neighbours[node]:
                    if other not in depth:
                        depth[other] = depth[node] + 1
                        children.setdefault(node, []).append(other)
                        following.append(other)
            visited.extend(following)
            frontier = following
    leaves: dict[int, int] = {}
    for node in reversed(visited):  # children before parents
        leaves[node] = sum(leaves[c] for c in children.get(node, [])) or 1

    positions: dict[int, tuple[float, float]] = {}
    total = sum(leaves[root] for root in tree_roots)
    start = 0.0
    for index, root in enumerate(tree_roots):
        share = 2 * math.pi * leaves[root] / total
        # the hub's tree in the centre; further trees (never in a consistent
        # build: a customer's identifiers are connected) one ring further out
        extra = 0 if index == 0 else 1
        stack = [(root, start, start + share)]
        while stack:
            node, low, high = stack.pop()
            radius = (depth[node] + extra) * RING
            angle = (low + high) / 2
            positions[node] = (radius * math.cos(angle), radius * math.sin(angle))
            cursor = low
            for child in children.get(node, []):
                width = (high - low) * leaves[child] / leaves[node]
                stack.append((child, cursor, cursor + width))
                cursor += width
        start += share
    return positions


def identity_graph(
    nodes: Sequence[GraphNode], links: Sequence[GraphLink], apart: Sequence[dict[str, Any]]
) -> Markup:
    """The identity graph: stitching identifiers as circles, one line per linked
    pair (thicker with more records, records in its tooltip), the anchor ringed;
    non-stitching identifiers in a separate column with their reason."""
    if len(nodes) > DRAW_UP_TO:
        return Markup(
            f'<p class="note" id="graph-too-large">{len(nodes):,} identifiers: too many to draw '
            "(an over-merge? the table below lists them).</p>"
        )
    positions = radial_layout(nodes, links)
    xs = [p[0] for p in positions.values()] or [0.0]
    ys = [p[1] for p in positions.values()] or [0.0]
    margin = 110
    width = max(xs) - min(xs) + 2 * margin
    height = max(ys) - min(ys) + 2 * margin
    shift_x, shift_y = margin - min(xs), margin - min(ys)
    apart_x = width + 40
    total_width = width + (300 if apart else 0)
    total_height = max(height, 80 + 60 * len(apart))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" role="img" '
        f'width="{total_width:.0f}" height="{total_height:.0f}" '
        f'viewBox="0 0 {total_width:.0f} {total_height:.0f}">',
        "<title>Identity graph</title>",
    ]
    for link in links:
        if link.node_id not in positions or link.linked_node_id not in positions:
            continue
        x1, y1 = positions[link.node_id]
        x2, y2 = positions[link.linked_node_id]
        records = link.records
        tooltip = "\n".join(
            f"{r['source_table']}:{r['record_key']}"
            + (f" ({r['linked_at']:%Y-%m-%d})" if r["linked_at"] else "")
            for r in records[:12]
        )
        if len(records) > 12:
            tooltip += f"\n… and {len(records) - 12} more records"
        stroke = 1.5 + min(5.0, math.log2(len(records)) * 1.5)
        parts.append(
            f'<g class="link" data-records="{len(records)}">'
            f'<line x1="{x1 + shift_x:.1f}" y1="{y1 + shift_y:.1f}" '
            f'x2="{x2 + shift_x:.1f}" y2="{y2 + shift_y:.1f}" stroke-width="{stroke:.1f}"/>'
            f"<title>{escape(f'{len(records)} record(s) link these two:')}\n"
            f"{escape(tooltip)}</title></g>"
        )
        if len(records) > 1:
            parts.append(
                _text(
                    (x1 + x2) / 2 + shift_x,
                    (y1 + y2) / 2 + shift_y - 4,
                    f"×{len(records)}",
                    "link-count",
                )
            )
    show_labels = len(nodes) <= LABELS_UP_TO
    for node in nodes:
        if node.node_id not in positions:
            continue
        x, y = positions[node.node_id]
        x, y = x + shift_x, y + shift_y
        colour = TYPE_COLOURS.get(node.identifier_type, "#444")
        css = "node" + (" anchor" if node.is_anchor else "") + (" masked" if node.is_masked else "")
        tooltip = f"{node.identifier_type}: {node.label}\n{node.record_count} record(s)" + (
            "\nanchor: the customer's oldest identifier" if node.is_anchor else ""
        )
        parts.append(
            f'<g class="{css}" data-type="{escape(node.identifier_type)}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{NODE_RADIUS}" fill="{colour}"/>'
            f"<title>{escape(tooltip)}</title>"
        )
        if show_labels:
            parts.append(_text(x, y + NODE_RADIUS + 14, _short(node.label), "label"))
            parts.append(_text(x, y + NODE_RADIUS + 27, node.identifier_type, "type"))
        parts.append("</g>")
    if apart:
        parts.append(
            f'<line x1="{width:.0f}" y1="10" x2="{width:.0f}" y2="{total_height - 10:.0f}" '
            'class="divider"/>'
        )
        parts.append(_text(apart_x, 30, "non-stitching (link nothing)", "apart-title", "start"))
        for index, item in enumerate(apart):
            y = 70 + 60 * index
            colour = TYPE_COLOURS.get(item["identifier_type"], "#444")
            parts.append(
                f'<g class="node-apart" data-type="{escape(item["identifier_type"])}">'
                f'<circle cx="{apart_x + 12:.0f}" cy="{y}" r="11" fill="{colour}"/>'
                f"<title>{escape(item['identifier_type'])}: {escape(item['label'])}\n"
                f"{escape(item['reason'] or '')}: {item['record_count']} record(s) "
                f"of this customer</title>"
                + _text(apart_x + 30, y - 2, _short(item["label"], 30), "label", "start")
                + _text(
                    apart_x + 30,
                    y + 13,
                    f"{item['identifier_type']} · {item['reason']}",
                    "reason",
                    "start",
                )
                + "</g>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def path_chain(hops: Sequence[Any]) -> Markup:
    """The chain of a 'why one customer' answer, left to right."""
    if not hops:
        return Markup("")
    step, left = 230, 120
    width = step * len(hops) + 2 * left
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chain" width="{width}" height="120" '
        f'viewBox="0 0 {width} 120"><title>Chain of links</title>'
    ]
    points = [(hops[0].from_type, hops[0].from_label)] + [(h.to_type, h.to_label) for h in hops]
    for index, hop in enumerate(hops):
        x1, x2 = left + step * index, left + step * (index + 1)
        record = hop.records[0]
        parts.append(f'<line x1="{x1}" y1="40" x2="{x2}" y2="40" class="hop"/>')
        parts.append(
            _text((x1 + x2) / 2, 32, f"{record['source_table']}:{record['record_key']}", "record")
        )
    for index, (identifier_type, label) in enumerate(points):
        x = left + step * index
        colour = TYPE_COLOURS.get(identifier_type, "#444")
        parts.append(
            f'<g class="node"><circle cx="{x}" cy="40" r="{NODE_RADIUS}" fill="{colour}"/>'
            f"<title>{escape(identifier_type)}: {escape(label)}</title>"
            + _text(x, 76, _short(label, 30), "label")
            + _text(x, 90, identifier_type, "type")
            + "</g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(
    bars: Sequence[tuple[str, float]], title: str, unit: str = "", colour: str = "#1f77b4"
) -> Markup:
    """Horizontal bars with their labels and values."""
    label_width, bar_width, row = 230, 360, 24
    height = 34 + row * max(1, len(bars))
    top = max((value for _, value in bars), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{label_width + bar_width + 110}" height="{height}">'
        f"<title>{escape(title)}</title>",
        _text(0, 16, title, "chart-title", "start"),
    ]
    for index, (label, value) in enumerate(bars):
        y = 28 + row * index
        length = bar_width * value / top
        parts.append(
            '<g class="bar">'
            + _text(label_width - 8, y + 14, label, "bar-label", "end")
            + f'<rect x="{label_width}" y="{y}" width="{max(length, 1 if value else 0):.1f}" '
            f'height="{row - 6}" fill="{colour}"/>'
            + _text(label_width + length + 6, y + 14, f"{value:,.0f}{unit}", "bar-value", "start")
            + "</g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def timeline(touchpoints: Sequence[dict[str, Any]]) -> Markup:
    """Touchpoints over time, one row per channel; purchases drawn larger."""
    dated = [t for t in touchpoints if isinstance(t["occurred_at"], datetime)]
    if not dated:
        return Markup("")
    channels = sorted({t["channel"] for t in dated})
    first = min(t["occurred_at"] for t in dated)
    last = max(t["occurred_at"] for t in dated)
    span = (last - first).total_seconds() or 1
    left, width, row = 110, 760, 26
    height = 40 + row * len(channels)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
        f'width="{left + width + 30}" height="{height}"><title>Touchpoint timeline</title>'
    ]
    for index, channel in enumerate(channels):
        y = 16 + row * index
        parts.append(_text(left - 10, y + 4, channel, "bar-label", "end"))
        parts.append(f'<line x1="{left}" y1="{y}" x2="{left + width}" y2="{y}" class="lane"/>')
    for touchpoint in sorted(dated, key=lambda t: (t["occurred_at"], t["touchpoint_id"])):
        x = left + width * (touchpoint["occurred_at"] - first).total_seconds() / span
        y = 16 + row * channels.index(touchpoint["channel"])
        colour = CHANNEL_COLOURS.get(touchpoint["channel"], "#444")
        radius = 6 if touchpoint["is_purchase"] else 3.5
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y}" r="{radius}" fill="{colour}" class="touchpoint">'
            f"<title>{touchpoint['occurred_at']:%Y-%m-%d %H:%M} {escape(touchpoint['channel'])} "
            f"{escape(touchpoint['touchpoint_type'])} ({escape(touchpoint['touchpoint_id'])})"
            "</title></circle>"
        )
    axis_y = 16 + row * len(channels)
    parts.append(_text(left, axis_y + 6, f"{first:%Y-%m-%d}", "axis", "start"))
    parts.append(_text(left + width, axis_y + 6, f"{last:%Y-%m-%d}", "axis", "end"))
    parts.append("</svg>")
    return Markup("".join(parts))
