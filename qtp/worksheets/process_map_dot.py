"""One state of a process map as a swimlane flowchart: DOT built with the graphviz binding, laid out by
Debian's Graphviz (`dot`), its SVG cleaned into a standalone, accessible picture.

Nothing is placed by hand: every box and line is where `dot` puts it. The lanes' order is held by dot
itself (see `_grid`: dot does not keep clusters in order, so there are none); the lane bands are then drawn
behind the nodes from the positions dot chose. Every user text reaches DOT only inside HTML-like labels,
XML-escaped (so `"]; a -> b [` or `<script>` stay text); node names are our own (s1, s2...).

`dot` runs with a timeout, with a fontconfig that sees only static/fonts (the layout measures the shipped
DejaVu Sans, on every machine), and its SVG is rebuilt: no comments, no Graphviz <title>s or ids, no fixed
sizes in pt, role="img" with our <title>/<desc> (the whole map as text) named by aria-labelledby, no external
references. The same input gives the same bytes; a missing or failing `dot` gives None.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import graphviz

from qtp.measurement.diagrams import FONTS, TEXT_INK, text_width, wrap
from qtp.measurement.svg_base import ANNOTATION, INK, SERIES, SIGNAL, TARGET, _chart_id, _clean
from qtp.worksheets.process_map import MapLabels, MapStep, StateMap
from qtp.worksheets.process_map_svg import FONT, clean_svg

log = logging.getLogger(__name__)

TIMEOUT = 10  # seconds for one dot run
SIZE = 12  # text size in the map (1 SVG unit = 1 CSS px)
BOX_TEXT = 150  # wrapping width of a box's text
DIAMOND_TEXT = 118
NOTE_TEXT = 120
LANE_TEXT = 110
MAX_LINES = 8
HAND_OFF = TARGET  # purple: lines where the work passes to another role, and hand-off boxes
STYLE = {  # fill, border, marker colour; every text at least 4.5:1 on its fill
    "step": ("#ffffff", SERIES, SERIES),
    "decision": ("#e4f1f3", SERIES, SERIES),
    "delay": ("#fbf1de", ANNOTATION, ANNOTATION),
    "hand-off": ("#efeaf6", HAND_OFF, HAND_OFF),
}


def _h(text: object) -> str:
    """Text for an HTML-like label: XML-escaped, quotes included."""
    return escape(_clean(text), {'"': "&quot;", "'": "&#39;"})


def _lines(text: str, width: float, bold: bool = False, max_lines: int = MAX_LINES) -> str:
    return "<BR/>".join(_h(line) for line in wrap(text, width, max_lines, size=SIZE, bold=bold)) or "&#160;"


def _marker(text: str, colour: str, note: str) -> str:
    """The first row of a box: its kind (for all but plain steps, wrapped when long) and the callout of its
    note, if any, with a gap between them."""
    room = max(BOX_TEXT - (text_width(note, SIZE - 1, bold=True) + 10 if note else 0), 110)
    kind = "<BR/>".join(_h(line) for line in wrap(text, room, 3, size=SIZE - 1, bold=True))
    word = f'<FONT COLOR="{colour}" POINT-SIZE="{SIZE - 1}"><B>{kind}</B></FONT>' if text else ""
    callout = f'<FONT COLOR="{SIGNAL}" POINT-SIZE="{SIZE - 1}"><B>{_h(note)}</B></FONT>' if note else ""
    return (
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">{word}</TD><TD WIDTH="10"></TD>'
        f'<TD ALIGN="RIGHT" VALIGN="TOP">{callout}</TD></TR>'
    )


def _table(rows: str) -> str:
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{rows}</TABLE>>'


def _step_label(step: MapStep, labels: MapLabels) -> str:
    colour = STYLE[step.kind][2]
    width = DIAMOND_TEXT if step.is_decision else BOX_TEXT
    kind = "" if step.kind == "step" else labels.kinds.get(step.kind, step.kind)
    note = labels.note % {"number": step.note_no} if step.note_no else ""
    marker = _marker(kind, colour, note) if kind or note else ""
    span = ' COLSPAN="3"' if marker else ""
    body = f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"{span}>{_lines(step.action, width)}</TD></TR>'
    return _table(marker + body)


def _terminal_label(word: str, text: str) -> str:
    rows = f'<TR><TD><FONT COLOR="#ffffff"><B>{_h(word)}</B></FONT></TD></TR>'
    if text:
        rows += f'<TR><TD BALIGN="CENTER"><FONT COLOR="#ffffff">{_lines(text, BOX_TEXT)}</FONT></TD></TR>'
    return _table(rows)


def _edge_label(text: str) -> str:
    return f'<<TABLE BORDER="0" CELLPADDING="2" BGCOLOR="#ffffff"><TR><TD><B>{_h(text)}</B></TD></TR></TABLE>>'


def build_dot(name: str, start: str, end: str, state: StateMap, labels: MapLabels, direction: str = "LR") -> str:
    """The DOT source of one state's map (deterministic: the same input gives the same text)."""
    steps = state.steps
    if direction not in ("LR", "TB"):
        raise ValueError("direction is LR or TB")
    graph = graphviz.Digraph("map", strict=False)
    graph.attr(
        "graph",
        rankdir=direction,
        newrank="true",
        nodesep="0.3",
        ranksep="0.45",
        fontname=FONT,
        fontsize=str(SIZE),
        bgcolor="#ffffff",
        pad="0.15",
        margin="0",
        outputorder="edgesfirst",
    )
    graph.attr(
        "node",
        fontname=FONT,
        fontsize=str(SIZE),
        fontcolor=TEXT_INK,
        shape="box",
        style="filled",
        margin="0.1,0.06",
        penwidth="1.4",
    )
    graph.attr("edge", fontname=FONT, fontsize=str(SIZE - 1), fontcolor=TEXT_INK, color=INK, penwidth="1.3")
    lane_of = {f"s{s.number}": s.lane for s in steps}
    lane_of["start"] = steps[0].lane
    lane_of["end"] = steps[-1].lane
    notes: dict[int, list[tuple[str, str]]] = {}  # lane -> branch note nodes
    edges: list[tuple[str, str, str, bool]] = []  # tail, head, label, visible
    for i, step in enumerate(steps):
        node, following = f"s{step.number}", (f"s{step.number + 1}" if i + 1 < len(steps) else "end")
        if not step.is_decision:
            edges.append((node, f"s{step.flows_to}" if step.flows_to else "end", "", True))
            continue
        if not (step.yes or step.no):
            edges.append((node, following, "", True))
            continue
        reaches_next = False
        for word, text, target, suffix in (
            (labels.yes, step.yes, step.yes_to, "y"),
            (labels.no, step.no, step.no_to, "n"),
        ):
            if not text:
                continue
            if target is None:
                head = f"{node}{suffix}"
                notes.setdefault(step.lane, []).append((head, text))
                lane_of[head] = step.lane
            else:
                head = f"s{target}" if target else "end"
            reaches_next = reaches_next or head == following
            edges.append((node, head, word, True))
        if not reaches_next:
            empty = labels.no if step.yes else labels.yes
            if step.yes and step.no:
                edges.append((node, following, "", False))  # keeps the order; the team drew no line here
            else:
                edges.append((node, following, empty, True))

    align = "LEFT" if direction == "LR" else "CENTER"
    count = len(steps)
    column: dict[str, int] = {"start": 1, "end": count + 2}
    for k, lane in enumerate(state.lanes):
        column[f"h{k}"] = 0
        graph.node(
            f"h{k}",
            label=_table(
                f'<TR><TD BALIGN="{align}" ALIGN="{align}" WIDTH="{LANE_TEXT + 4}">'
                f"<B>{_lines(lane, LANE_TEXT, True, 3)}</B></TD></TR>"
            ),
            shape="plaintext",
            style="",
        )
    graph.node(
        "start", label=_terminal_label(labels.start, start), style="rounded,filled", fillcolor=SERIES, color=SERIES
    )
    for step in steps:
        fill, border, _ = STYLE[step.kind]
        column[f"s{step.number}"] = step.number + 1
        graph.node(
            f"s{step.number}",
            label=_step_label(step, labels),
            shape="diamond" if step.is_decision else "box",
            style={"delay": "filled,dashed,rounded", "hand-off": "filled,bold"}.get(step.kind, "filled"),
            fillcolor=fill,
            color=border,
            margin="0.02" if step.is_decision else "0.1,0.06",
        )
    for lane_notes in notes.values():
        for head, text in lane_notes:
            column[head] = int(head[1:-1]) + 2
            graph.node(
                head,
                label=_table(f'<TR><TD BALIGN="LEFT">{_lines(text, NOTE_TEXT)}</TD></TR>'),
                shape="note",
                fillcolor="#f7f9fa",
                color=INK,
                fontsize=str(SIZE - 1),
            )
    graph.node("end", label=_terminal_label(labels.end, end), style="rounded,filled", fillcolor=SERIES, color=SERIES)
    lane_of.update({f"h{k}": k for k in range(len(state.lanes))})
    _grid(graph, column, lane_of, len(state.lanes))
    graph.edge("start", "s1", weight="3", **_hand_off(lane_of, "start", "s1"))
    for tail, head, word, visible in edges:
        attrs = _hand_off(lane_of, tail, head) if visible else {"style": "invis"}
        if word:
            attrs["label"] = _edge_label(word)
        graph.edge(tail, head, weight="3" if not word or head == f"s{int(tail[1:]) + 1}" else "1", **attrs)
    return graph.source


def _grid(graph: graphviz.Digraph, column: dict[str, int], lane_of: dict[str, int], lanes: int) -> None:
    """The lanes' order, held by dot itself: every column (rank) holds, lane by lane, the nodes of that lane or an
    invisible placeholder (p<column>_<lane>), chained in lane order by invisible edges within the rank (dot
    keeps such an order exactly); heavy invisible edges along each lane keep it straight."""
    cells: dict[tuple[int, int], list[str]] = {}
    for name, col in column.items():
        cells.setdefault((col, lane_of[name]), []).append(name)
    for col in range(max(column.values()) + 1):
        row = []
        for k in range(lanes):
            names = cells.get((col, k))
            if not names:
                names = [f"p{col}_{k}"]
                graph.node(names[0], label="", shape="point", width="0.05", style="invis")
                cells[(col, k)] = names
            row += names
        with graph.subgraph() as rank:
            rank.attr(rank="min" if col == 0 else "same")
            for name in row:
                rank.node(name)
        for tail, head in zip(row, row[1:], strict=False):
            graph.edge(tail, head, style="invis")
    for k in range(lanes):
        for col in range(max(column.values())):
            graph.edge(cells[(col, k)][0], cells[(col + 1, k)][0], style="invis", weight="20")


def _hand_off(lane_of: dict[str, int], tail: str, head: str) -> dict[str, str]:
    """A line that crosses lanes: the work passes to another role."""
    if lane_of.get(tail) == lane_of.get(head):
        return {}
    return {"color": HAND_OFF, "penwidth": "2.2", "style": "dashed", "arrowsize": "1.1"}


@cache
def _fontconfig() -> str:
    """A fontconfig file (in a private temporary folder of this process) that sees only static/fonts."""
    folder = Path(tempfile.mkdtemp(prefix="qtp-dot-fonts-"))
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><fontconfig>'
        f"<dir>{escape(str(FONTS))}</dir><cachedir>{escape(str(folder / 'cache'))}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return str(conf)


_run = subprocess.run


def dot_binary() -> str | None:
    """Where Graphviz's `dot` is, or None."""
    return shutil.which("dot")


# Layouts already made in this process: the same DOT source always gives the same layout, and a page shows
# the same map on every visit (and several times per visit: page, diagram beside the form, print).
_LAYOUTS: dict[tuple[str, str], str] = {}
_LAYOUTS_KEPT = 256


def run_dot(source: str) -> str | None:
    """Graphviz's layout of `source` as text ("plain": node positions) followed by its SVG, or None when `dot`
    is missing, fails or times out. A layout made once in this process is reused; a failure is not kept."""
    binary = dot_binary()
    if binary is None:
        log.warning("Graphviz's dot is not installed: process maps are listed as text")
        return None
    key = (binary, source)
    if key in _LAYOUTS:
        return _LAYOUTS[key]
    layout = _layout(binary, source)
    if layout is not None:
        if len(_LAYOUTS) >= _LAYOUTS_KEPT:
            _LAYOUTS.pop(next(iter(_LAYOUTS)))  # the oldest
        _LAYOUTS[key] = layout
    return layout


def _layout(binary: str, source: str) -> str | None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "FONTCONFIG_FILE": _fontconfig(), "LANG": "C.UTF-8"}
    try:
        done = _run(  # a fixed command; the DOT source goes to stdin
            [binary, "-Tplain", "-Tsvg"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        log.warning("dot failed: %s", error)
        return None
    if done.returncode != 0 or not done.stdout:
        log.warning("dot failed (%s): %s", done.returncode, done.stderr[:500])
        return None
    return done.stdout.decode("utf-8", "replace")


def describe(name: str, start: str, end: str, state: StateMap, labels: MapLabels) -> str:
    """The whole map as text: lanes, then every step in order with its role, kind, branches and note."""
    parts = [f"{state.heading}: {name}." if name else f"{state.heading}."]
    parts.append(f"{labels.lanes}: {', '.join(state.lanes)}.")
    parts.append(f"{labels.start}: {start or '-'}.")
    previous = state.steps[0].lane
    for step in state.steps:
        text = f"{step.number}. {state.lanes[step.lane]}: {step.action} ({labels.kinds.get(step.kind, step.kind)})"
        if step.lane != previous:
            parts.append(labels.hand_off_to % {"lane": state.lanes[step.lane]} + ".")
        previous = step.lane
        for word, branch, target in ((labels.yes, step.yes, step.yes_to), (labels.no, step.no, step.no_to)):
            if branch:
                where = f" (\u2192 {target})" if target else (f" (\u2192 {labels.end})" if target == 0 else "")
                text += f"; {word}: {branch}{where}"
        if step.note_no:
            text += f"; {labels.note % {'number': step.note_no}}: {' '.join(step.notes.split()).rstrip('.')}"
        parts.append(text + ".")
    parts.append(f"{labels.end}: {end or '-'}.")
    return " ".join(parts)


def draw_state(
    name: str, start: str, end: str, state: StateMap, labels: MapLabels, direction: str = "LR"
) -> str | None:
    """The SVG of one state's map, or None (no steps, or Graphviz missing or failing)."""
    if not state.steps:
        return None
    description = describe(name, start, end, state, labels)
    raw = run_dot(build_dot(name, start, end, state, labels, direction))
    if raw is None:
        return None
    title = f"{labels.title}: {state.heading}" + (f" \u2014 {name}" if name else "")
    cid = _chart_id(None, "process-map", state.key, direction, description)
    return clean_svg(raw, title, description, cid, state, direction)
