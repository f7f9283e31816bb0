"""Graphviz's output for a process map made into our SVG: the lanes drawn as bands behind the nodes from the
positions dot chose, Graphviz's titles, ids, links and fonts taken out, and our own accessible root element
(role="img", <title> and <desc> named by aria-labelledby, sizes in SVG units). See process_map_dot.py.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from qtp.measurement.svg_base import _clean, _n
from qtp.worksheets.process_map import StateMap

log = logging.getLogger(__name__)

FONT = "DejaVu Sans"
LANE_FILLS = ("#f1f5f6", "#ffffff")
LANE_BORDER = "#b8c4cc"
_SVG_NS = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}"
_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)


def _positions(plain: str) -> dict[str, tuple[float, float, float, float]]:
    """Node centres and sizes in points (x, y with y down as in the SVG, width, height) from dot's plain output."""
    nodes = {}
    for line in plain.splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[0] == "node":
            x, y, w, h = (float(v) * 72 for v in parts[2:6])
            nodes[parts[1]] = (x, -y, w, h)
    return nodes


def _lane_of(name: str, state: StateMap) -> int | None:
    if name == "start":
        return state.steps[0].lane
    if name == "end":
        return state.steps[-1].lane
    match = re.fullmatch(r"[hp](?:\d+_)?(\d+)|s(\d+)[yn]?", name)
    if not match:
        return None
    if match.group(1) is not None:
        return int(match.group(1))
    return state.steps[int(match.group(2)) - 1].lane


def _lane_bands(root: ET.Element, plain: str, state: StateMap, direction: str) -> None:
    """The lanes as bands behind the map, each as long as the map and as wide as its nodes (boundaries half
    way between two lanes' nodes), drawn from the positions dot chose."""
    graph = next((g for g in root.iter(_SVG_NS + "g") if g.get("class") == "graph"), None)
    size = plain.split("\n", 1)[0].split()
    if graph is None or len(size) < 4:
        return
    width, height = float(size[2]) * 72, float(size[3]) * 72
    across = 1 if direction == "LR" else 0  # lanes are rows (y) or columns (x)
    spans: dict[int, list[float]] = {}
    for name, box in _positions(plain).items():
        lane = _lane_of(name, state)
        if lane is None:
            continue
        centre, half = box[across], box[2 + across] / 2
        span = spans.setdefault(lane, [centre - half, centre + half])
        span[0], span[1] = min(span[0], centre - half), max(span[1], centre + half)
    lanes = [spans[k] for k in range(len(state.lanes)) if k in spans]
    if len(lanes) != len(state.lanes):
        return
    limits = [-height if across else 0.0]
    limits += [(a[1] + b[0]) / 2 for a, b in zip(lanes, lanes[1:], strict=False)]
    limits.append(0.0 if across else width)
    bands = []
    for k, (low, high) in enumerate(zip(limits, limits[1:], strict=False)):
        if across:
            points = f"0,{_n(low)} {_n(width)},{_n(low)} {_n(width)},{_n(high)} 0,{_n(high)}"
        else:
            points = f"{_n(low)},0 {_n(high)},0 {_n(high)},{_n(-height)} {_n(low)},{_n(-height)}"
        bands.append(
            ET.Element(
                _SVG_NS + "polygon",
                {"fill": LANE_FILLS[k % 2], "stroke": LANE_BORDER, "stroke-width": "1", "points": points},
            )
        )
    group = ET.Element(_SVG_NS + "g", {"class": "lanes"})
    group.extend(bands)
    children = list(graph)
    background = next((i for i, c in enumerate(children) if c.tag == _SVG_NS + "polygon"), -1)
    graph.insert(background + 1, group)  # just after dot's white background


def _strip(element: ET.Element) -> None:
    """Graphviz's titles, ids, links and per-text fonts out; namespaces dropped (re-declared on the root)."""
    for child in list(element):
        tag = child.tag.replace(_SVG_NS, "") if isinstance(child.tag, str) else ""
        if tag in ("title", "a", "script", "foreignObject", "image", "style") or not tag:
            element.remove(child)
            continue
        child.tag = tag
        for name in list(child.attrib):
            if name in ("id", "font-family") or name.startswith(_XLINK) or name.lower().startswith("on"):
                del child.attrib[name]
        _strip(child)


def clean_svg(
    raw: str, title: str, description: str, chart_id: str, state: StateMap, direction: str = "LR"
) -> str | None:
    """dot's output (plain layout, then SVG) as our standalone, accessible SVG; None when it cannot be read."""
    plain, _, svg = raw.partition("\nstop\n")
    try:
        root = ET.fromstring(_PROLOG.sub("", svg, count=1))  # noqa: S314 (dot's output of escaped text)
    except ET.ParseError:
        log.warning("dot's SVG could not be read")
        return None
    box = (root.get("viewBox") or "").split()
    if len(box) != 4:
        return None
    width, height = float(box[2]), float(box[3])
    _lane_bands(root, plain, state, direction)
    _strip(root)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" '
        f'height="{_n(height)}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{FONT}, sans-serif" class="qtp-diagram process-map">'
    )
    body = "".join(ET.tostring(child, encoding="unicode", short_empty_elements=True) for child in root)
    return (
        "\n".join(
            [
                head,
                f'<title id="{chart_id}-title">{escape(_clean(title))}</title>',
                f'<desc id="{chart_id}-desc">{escape(_clean(description))}</desc>',
                body,
                "</svg>",
            ]
        )
        + "\n"
    )
