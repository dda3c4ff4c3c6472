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


# Approximate advance of a character of the 11px / 10px labels (system-ui): used to keep
# link counts off node labels; generous, so a real font's text fits in the estimate.
CHAR_WIDTH = {11: 6.8, 10: 6.2}
Box = tuple[float, float, float, float]  # left, top, right, bottom


def _text_box(x: float, baseline: float, text: str, size: int, anchor: str) -> Box:
    width = len(text) * CHAR_WIDTH[size]
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return (left, baseline - size, left + width, baseline + 3)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _node_label_places(
    x: float, y: float, centre: tuple[float, float], label: str, kind: str
) -> list[tuple[float, float, str, str, int, str]]:
    """Where a node's two lines (value, type) go: away from the centre of the picture, so
    the lines to the node's parent do not run through them. (x, baseline, text, css,
    size, anchor) each."""
    dx, dy = x - centre[0], y - centre[1]
    distance = math.hypot(dx, dy)
    ux, uy = (0.0, 1.0) if distance < 1 else (dx / distance, dy / distance)
    gap = NODE_RADIUS + 5
    if uy < -0.6:  # above the node
        return [
            (x, y - gap - 15, label, "label", 11, "middle"),
            (x, y - gap - 2, kind, "type", 10, "middle"),
        ]
    if abs(ux) > 0.45:  # beside it
        anchor = "start" if ux > 0 else "end"
        side = x + gap if ux > 0 else x - gap
        return [
            (side, y - 1, label, "label", 11, anchor),
            (side, y + 12, kind, "type", 10, anchor),
        ]
    return [  # below it
        (x, y + gap + 9, label, "label", 11, "middle"),
        (x, y + gap + 22, kind, "type", 10, "middle"),
    ]


def _count_place(
    x1: float, y1: float, x2: float, y2: float, text: str, taken: list[Box]
) -> tuple[float, float]:
    """A point on the line for its count, clear of every node, node label and count placed
    so far: the middle if free, else the nearest free point along the line."""
    best, best_hits = ((x1 + x2) / 2, (y1 + y2) / 2 + 4), None
    for t in (0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73, 0.2, 0.8):
        x, y = x1 + t * (x2 - x1), y1 + t * (y2 - y1) + 4
        box = _text_box(x, y, text, 10, "middle")
        hits = sum(_overlaps(box, other) for other in taken)
        if hits == 0:
            return x, y
        if best_hits is None or hits < best_hits:
            best, best_hits = (x, y), hits
    return best


def identity_graph(
    nodes: Sequence[GraphNode], links: Sequence[GraphLink], apart: Sequence[dict[str, Any]]
) -> Markup:
    """The identity graph: stitching identifiers as circles, one line per linked
    pair (thicker with more records, records in its tooltip, their number on it when
    more than one), the anchor ringed; labels outward from the centre, counts where no
    label is; non-stitching identifiers in a separate column with their reason."""
    if len(nodes) > DRAW_UP_TO:
        return Markup(
            f'<p class="note" id="graph-too-large">{len(nodes):,} identifiers: too many to draw '
            "(an over-merge? the table below lists them).</p>"
        )
    positions = radial_layout(nodes, links)
    show_labels = len(nodes) <= LABELS_UP_TO
    # everything in layout coordinates first (the hub at 0, 0), then shifted into view
    labels: dict[int, list[tuple[float, float, str, str, int, str]]] = {}
    taken: list[Box] = []
    for node in nodes:
        if node.node_id not in positions:
            continue
        x, y = positions[node.node_id]
        taken.append((x - NODE_RADIUS, y - NODE_RADIUS, x + NODE_RADIUS, y + NODE_RADIUS))
        if show_labels:
            places = _node_label_places(x, y, (0.0, 0.0), _short(node.label), node.identifier_type)
            labels[node.node_id] = places
            taken.extend(_text_box(px, py, t, size, a) for px, py, t, _, size, a in places)
    counts: dict[int, tuple[float, float]] = {}
    for index, link in enumerate(links):
        if link.node_id in positions and link.linked_node_id in positions and len(link.records) > 1:
            (x1, y1), (x2, y2) = positions[link.node_id], positions[link.linked_node_id]
            text = f"×{len(link.records)}"
            counts[index] = _count_place(x1, y1, x2, y2, text, taken)
            taken.append(_text_box(*counts[index], text, 10, "middle"))
    boxes = taken or [(0.0, 0.0, 0.0, 0.0)]
    margin = 16
    min_x, min_y = min(b[0] for b in boxes), min(b[1] for b in boxes)
    width = max(b[2] for b in boxes) - min_x + 2 * margin
    height = max(b[3] for b in boxes) - min_y + 2 * margin
    shift_x, shift_y = margin - min_x, margin - min_y
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
        heading = f"{_count(len(records), 'record')} link these two:"
        parts.append(
            f'<g class="link" data-records="{len(records)}">'
            f'<line x1="{x1 + shift_x:.1f}" y1="{y1 + shift_y:.1f}" '
            f'x2="{x2 + shift_x:.1f}" y2="{y2 + shift_y:.1f}" stroke-width="{stroke:.1f}"/>'
            f"<title>{escape(heading)}\n{escape(tooltip)}</title></g>"
        )
    for index, (x, y) in counts.items():
        parts.append(_text(x + shift_x, y + shift_y, f"×{len(links[index].records)}", "link-count"))
    for node in nodes:
        if node.node_id not in positions:
            continue
        x, y = positions[node.node_id]
        colour = TYPE_COLOURS.get(node.identifier_type, "#444")
        css = "node" + (" anchor" if node.is_anchor else "") + (" masked" if node.is_masked else "")
        tooltip = f"{node.identifier_type}: {node.label}\n{_count(node.record_count, 'record')}" + (
            "\nanchor: the customer's oldest identifier" if node.is_anchor else ""
        )
        parts.append(
            f'<g class="{css}" data-type="{escape(node.identifier_type)}">'
            f'<circle cx="{x + shift_x:.1f}" cy="{y + shift_y:.1f}" r="{NODE_RADIUS}" '
            f'fill="{colour}"/><title>{escape(tooltip)}</title>'
        )
        for px, py, text, text_css, _, anchor in labels.get(node.node_id, []):
            parts.append(_text(px + shift_x, py + shift_y, text, text_css, anchor))
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
                f"{escape(item['reason'] or '')}: "
                f"{escape(_count(item['record_count'], 'record'))} of this customer</title>"
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


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun if number == 1 else noun + 's'}"


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
    # room for the longest label (11px text), at least as wide as before
    label_width = max(230, 16 + int(max((len(label) for label, _ in bars), default=0) * 6.2))
    bar_width, row = 360, 24
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
