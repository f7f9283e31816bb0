"""The picture of a worksheet, when its type has one: driver diagram, fishbone, Pareto chart (SVG strings), and
the process map (`process_map_for`: a swimlane map per state, with the values to list its steps and notes).

`diagram_for(slug, data, refs, texts)` takes the worksheet's data, its ref values (queries.ref_values) and the
type's texts in the reader's language (WorksheetType.text(locale)); it returns the SVG, or None for the
types that have no picture. The SVG escapes every user text: templates insert it with `|safe` (pages) or
`pdf_svg` (PDFs).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from qtp.measurement.diagrams import WIDTH as DRIVER_WIDTH
from qtp.measurement.diagrams import DiagramLabels, driver_diagram_svg
from qtp.measurement.fishbone import fishbone_svg
from qtp.measurement.svg import ChartLabels, is_other_category, pareto_svg
from qtp.worksheets.process_map import (
    STATES,
    ProcessMap,
    StateMap,
    build_state,
    labels_for,
    notes_heading,
    one_line,
    state_heading,
)
from qtp.worksheets.process_map_dot import draw_state

DIAGRAM_TYPES = ("driver-diagram", "fishbone", "pareto")  # one SVG each; the process map has its own below
BESIDE_FORM_WIDTH = 600  # viewBox units of a driver diagram beside the form: shown ~620 px wide at 1280 px


def _label(texts: dict[str, Any], *path: str, default: str = "") -> str:
    node: Any = texts.get("fields") or {}
    for key in path[:-1]:
        node = (node.get(key) or {}).get("fields") or {}
    return str((node.get(path[-1]) or {}).get("label") or default)


def _labels(texts: dict[str, Any]) -> DiagramLabels:
    return DiagramLabels(
        driver_title=texts.get("title") or _("Driver diagram"),
        fishbone_title=texts.get("title") or _("Cause-and-effect diagram"),
        aim=_label(texts, "aim", default=_("Aim")),
        primary=_label(texts, "primary-drivers", default=_("Primary drivers")),
        secondary=_label(texts, "secondary-drivers", default=_("Secondary drivers")),
        change_ideas=_label(texts, "change-ideas", default=_("Change ideas")),
        measure=_("Measure"),
        effect=_("Effect"),
        no_data=_("Nothing to draw yet"),
    )


def _rows(data: dict[str, Any], field: str) -> list[dict[str, Any]]:
    return [row for row in data.get(field) or [] if isinstance(row, dict)]


def fishbone_categories(data: dict[str, Any], texts: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Causes grouped by category in the order categories first appear; a custom category by its name
    (the same name in any case is one category)."""
    choices = (((texts.get("fields") or {}).get("causes") or {}).get("fields") or {}).get("category", {}).get(
        "choices"
    ) or {}
    groups: dict[str, tuple[str, list[str]]] = {}
    for row in _rows(data, "causes"):
        category = str(row.get("category") or "")
        if category == "custom":
            name = " ".join(str(row.get("custom-category") or "").split()) or choices.get("custom", _("Other"))
            key = "custom:" + name.casefold()
        else:
            name, key = choices.get(category, category), category
        groups.setdefault(key, (name, []))[1].append(str(row.get("cause") or ""))
    return list(groups.values())


def pareto_description(items: list[tuple[str, float]], unit: str) -> str:
    total = sum(c[1] for c in items)
    if total <= 0:
        return _("No counts yet.")
    vital, running = [], 0.0
    for name, count in sorted((c for c in items if not is_other_category(c[0])), key=lambda c: -c[1]):
        if running >= 0.8 * total:
            break
        vital.append(name)
        running += count
    if not vital:
        return _("%(count)s categories, %(total)s %(unit)s in all.", count=len(items), total=f"{total:g}", unit=unit)
    return _(
        "%(count)s categories, %(total)s %(unit)s in all. The largest: %(vital)s, together %(share)s%% of the total.",
        count=len(items),
        total=f"{total:g}",
        unit=unit,
        vital=", ".join(vital),
        share=f"{100 * running / total:.0f}",
    )


def _pareto(data: dict[str, Any], texts: dict[str, Any]) -> str:
    items = []
    for row in _rows(data, "categories"):
        count = row.get("count")
        if isinstance(count, int | float) and count >= 0 and (row.get("name") or "").strip():
            items.append((str(row["name"]), float(count)))
    unit = str(data.get("unit") or "").strip() or _("events")
    labels = ChartLabels(
        bars=unit[:40],
        cumulative=_("Cumulative %"),
        reference=_("Reference line at 80%"),
        no_data=_("No counts yet"),
    )
    return pareto_svg(
        items, title=texts.get("title") or _("Pareto chart"), description=pareto_description(items, unit), labels=labels
    )


def diagram_for(
    slug: str, data: dict[str, Any], refs: dict[str, Any], texts: dict[str, Any], *, beside_form: bool = False
) -> str | None:
    """`beside_form`: drawn for the panel beside the editing form, where a narrower layout reads larger."""
    data = data or {}
    if slug == "driver-diagram":
        return driver_diagram_svg(
            str((refs or {}).get("aim") or ""),
            _rows(data, "primary-drivers"),
            _rows(data, "secondary-drivers"),
            _rows(data, "change-ideas"),
            _labels(texts),
            width=BESIDE_FORM_WIDTH if beside_form else DRIVER_WIDTH,
        )
    if slug == "fishbone":
        return fishbone_svg(str(data.get("effect") or ""), fishbone_categories(data, texts), _labels(texts))
    if slug == "pareto":
        return _pareto(data, texts)
    return None


def _trusted(svg: str | None) -> Markup | None:
    return Markup(svg) if svg else None  # noqa: S704 (our own SVG, every user text escaped)


def process_map_for(
    data: dict[str, Any], texts: dict[str, Any], *, direction: str = "LR", narrow: bool = False
) -> ProcessMap | None:
    """Both states of a process-map worksheet, drawn when Graphviz is there; None without any step.

    `direction` is "LR" (steps left to right, lanes as rows: wide pages) or "TB" (steps top to bottom, lanes as
    columns: portrait PDF pages); `narrow` also draws each state top to bottom for phones (`svg_narrow`)."""
    data = data or {}
    labels = labels_for(texts)
    name, start, end = (one_line(data.get(k)) for k in ("process-name", "start", "end"))
    states: list[StateMap] = []
    first_note = 1
    for key in STATES:
        state = build_state(key, state_heading(texts, key), data.get(key) or [], labels, end, first_note)
        first_note += len(state.notes)
        states.append(state)
    if not any(s.steps for s in states):
        return None
    drawn = []
    for s in states:  # Markup: draw_state rebuilds Graphviz's SVG with every user text escaped
        svg = _trusted(draw_state(name, start, end, s, labels, direction))
        tall = _trusted(draw_state(name, start, end, s, labels, "TB")) if narrow and svg else None
        drawn.append((s, svg, tall))
    is_drawn = all(svg and (tall or not narrow) for s, svg, tall in drawn if s.steps)
    states = [
        StateMap(
            s.key,
            s.heading,
            s.lanes,
            s.steps,
            svg if is_drawn else None,
            notes_heading(texts, s.key),
            tall if is_drawn else None,
        )
        for s, svg, tall in drawn
    ]
    return ProcessMap(name, start, end, labels, states, is_drawn)
