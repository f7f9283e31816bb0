"""Plain values for the storyboard PDF (worksheet 12, domain §4.12): the team's worksheets gathered in one
report — team and setting, problem, aim, process analysis, measures with their run charts, changes tested,
results, lessons learned, sustainability. A section without data says so; nothing silently disappears.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from qtp.catalog.models import WorksheetType
from qtp.cohorts.models import Team
from qtp.measurement.queries import list_measure_charts
from qtp.worksheets import data as worksheet_data
from qtp.worksheets import queries
from qtp.worksheets.diagrams import diagram_for
from qtp.worksheets.export import TeamHeader, format_day, team_header
from qtp.worksheets.models import Worksheet


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool] = field(default_factory=list)


@dataclass(frozen=True)
class Picture:
    title: str
    svg: str
    summary: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Part:
    """A piece of the report from one worksheet: a heading, then facts, a table or a picture (or `empty`)."""

    heading: str
    empty: str = ""  # what to say when the worksheet has nothing for this part
    facts: list[tuple[str, str]] = field(default_factory=list)
    table: Table | None = None
    picture: Picture | None = None


@dataclass(frozen=True)
class Section:
    heading: str
    text: str  # the storyboard's own words for this section ("" when not written yet)
    parts: list[Part] = field(default_factory=list)


@dataclass(frozen=True)
class StoryboardDocument:
    lang: str
    title: str
    team: TeamHeader
    generated_on: str
    sections: list[Section]


class _Source:
    """The team's worksheets by type slug, with each type's texts in the reader's language."""

    def __init__(self, types: list[WorksheetType], worksheets: list[Worksheet], locale: str) -> None:
        self.types = {t.slug: t for t in types}
        self.locale = locale
        self.records: dict[str, list[Worksheet]] = {}
        by_id = {t.id: t.slug for t in types}
        for worksheet in worksheets:
            if worksheet.type_id in by_id:
                self.records.setdefault(by_id[worksheet.type_id], []).append(worksheet)

    def texts(self, slug: str) -> dict[str, Any]:
        wtype = self.types.get(slug)
        return wtype.text(self.locale) if wtype else {}

    def data(self, slug: str) -> dict[str, Any]:
        records = self.records.get(slug) or []
        return (records[0].data or {}) if records else {}

    def title(self, slug: str, fallback: str) -> str:
        return str(self.texts(slug).get("title") or fallback)

    def label(self, slug: str, field_id: str, fallback: str) -> str:
        return str(((self.texts(slug).get("fields") or {}).get(field_id) or {}).get("label") or fallback)

    def spec(self, slug: str, field_id: str) -> dict[str, Any]:
        wtype = self.types.get(slug)
        fields = wtype.definition.get("fields", []) if wtype else []
        return next((f for f in fields if f["id"] == field_id), {"id": field_id, "kind": "text"})

    def shown(self, slug: str, field_id: str, data: dict[str, Any] | None = None) -> str:
        """A field's value as text (choices by their label, dates in the reader's language)."""
        spec = self.spec(slug, field_id)
        value = (self.data(slug) if data is None else data).get(field_id)
        if spec["kind"] == "date":
            return format_day(value)
        labels = (self.texts(slug).get("fields") or {}).get(field_id) or {}
        return worksheet_data.display(spec, value, labels)

    def table(self, slug: str, group_id: str, columns: list[str], rows: list[dict[str, Any]]) -> Table:
        group = self.spec(slug, group_id)
        subs = {sub["id"]: sub for sub in group.get("fields", [])}
        sub_texts = ((self.texts(slug).get("fields") or {}).get(group_id) or {}).get("fields") or {}
        headers = [str((sub_texts.get(c) or {}).get("label") or c) for c in columns]
        body = []
        for row in rows:
            cells = []
            for column in columns:
                spec = subs.get(column, {"id": column, "kind": "text"})
                value = row.get(column)
                cell = format_day(value) if spec["kind"] == "date" else None
                cells.append(
                    cell if cell is not None else worksheet_data.display(spec, value, sub_texts.get(column) or {})
                )
            body.append(cells)
        return Table(headers, body, [subs.get(c, {}).get("kind") == "number" for c in columns])


def _team_section(src: _Source, story: dict[str, Any], heading: Callable[[str, str], str]) -> Section:
    members = [m for m in src.data("roster").get("members") or [] if isinstance(m, dict)]
    part = Part(src.title("roster", _("Team roster")), empty=_("No team roster yet."))
    if members:
        part = Part(part.heading, table=src.table("roster", "members", ["name", "discipline", "role"], members))
    return Section(heading("team-and-setting", _("Team and setting")), story.get("team-and-setting") or "", [part])


def _aim_section(src: _Source, heading: Callable[[str, str], str]) -> Section:
    aim = src.data("aim")
    ids = ("measure", "direction", "baseline", "target", "unit", "target-date", "population")
    facts = [(src.label("aim", f, f), src.shown("aim", f)) for f in ids if not worksheet_data.is_empty(aim.get(f))]
    parts = [Part(_("Target"), empty=_("No target set yet."), facts=facts)]
    return Section(heading("aim", _("Aim")), str(aim.get("statement") or ""), parts)


def _process_section(src: _Source, story: dict[str, Any], heading: Callable[[str, str], str]) -> Section:
    parts = []
    steps = [s for s in src.data("process-map").get("current-state") or [] if isinstance(s, dict)]
    name = str(src.data("process-map").get("process-name") or "")
    title = src.title("process-map", _("Process map"))
    if steps:
        table = src.table("process-map", "current-state", ["actor", "action", "kind"], steps)
        table = Table([_("Step"), *table.headers], [[str(k), *r] for k, r in enumerate(table.rows, 1)], [True])
        parts.append(Part(f"{title}: {name}" if name else title, table=table))
    else:
        parts.append(Part(title, empty=_("No process map yet.")))
    for slug, fallback, empty in (
        ("fishbone", _("Cause-and-effect diagram"), _("No fishbone diagram yet.")),
        ("pareto", _("Pareto chart"), _("No Pareto chart yet.")),
    ):
        data, texts = src.data(slug), src.texts(slug)
        has_data = any(not worksheet_data.is_empty(v) for v in data.values())
        svg = diagram_for(slug, data, {}, texts) if has_data and texts else None
        title = src.title(slug, fallback)
        parts.append(Part(title, empty=empty, picture=Picture(title, svg) if svg else None))
    return Section(heading("process-analysis", _("Process analysis")), story.get("process-analysis") or "", parts)


def _measures_section(session: Session, team_id: int, story: dict[str, Any], heading) -> Section:
    parts = []
    for chart in list_measure_charts(session, team_id):
        name = chart.name or _("Measure %(number)s", number=chart.record_no)
        summary = [*chart.summary, *chart.notices]
        picture = Picture(name, chart.chart_svg, summary) if chart.chart_svg else None
        parts.append(Part(name, empty=" ".join(summary) or _("Not enough data for a chart yet."), picture=picture))
    if not parts:
        parts.append(Part("", empty=_("No measures yet.")))
    return Section(
        heading("measures-and-results", _("Measures and run charts")), story.get("measures-and-results") or "", parts
    )


def _changes_section(src: _Source, story: dict[str, Any], heading: Callable[[str, str], str]) -> Section:
    ideas = {
        str(row.get("code")): f"{row.get('code')} · {row.get('description') or ''}".strip(" ·")
        for row in src.data("driver-diagram").get("change-ideas") or []
        if isinstance(row, dict) and row.get("code")
    }
    columns = ("cycle-number", "change-idea", "start-date", "decision")
    cycles = sorted(
        src.records.get("pdsa") or [],
        key=lambda w: (
            w.data.get("cycle-number") if isinstance(w.data.get("cycle-number"), int | float) else 1e9,
            w.record_no,
        ),
    )
    rows = []
    for cycle in cycles:
        row = [src.shown("pdsa", c, cycle.data) for c in columns]
        row[1] = ideas.get(str(cycle.data.get("change-idea") or ""), row[1])
        rows.append(row)
    title = src.title("pdsa", _("PDSA cycles"))
    table = Table([src.label("pdsa", c, c) for c in columns], rows, [True, False, False, False]) if rows else None
    parts = [Part(title, empty=_("No PDSA cycles yet."), table=table)]
    return Section(heading("changes-tested", _("Changes tested")), story.get("changes-tested") or "", parts)


def _sustainability_section(src: _Source, story: dict[str, Any], heading: Callable[[str, str], str]) -> Section:
    plan = src.data("sustainability")
    facts = [
        (src.label("sustainability", f, f), src.shown("sustainability", f))
        for f in ("process-owner", "standard-work", "action-trigger")
        if not worksheet_data.is_empty(plan.get(f))
    ]
    kept = [row for row in plan.get("measures-kept") or [] if isinstance(row, dict)]
    table = src.table("sustainability", "measures-kept", ["measure", "frequency"], kept) if kept else None
    parts = [
        Part(
            src.title("sustainability", _("Sustainability plan")), empty=_("No sustainability plan yet."), facts=facts
        ),
        Part(
            src.label("sustainability", "measures-kept", _("Measures kept")),
            empty=_("No measures kept yet."),
            table=table,
        ),
    ]
    return Section(
        heading("sustainability-next-steps", _("Sustainability and next steps")),
        story.get("sustainability-next-steps") or "",
        parts,
    )


def storyboard_document(session: Session, team: Team, locale: str, today: date) -> StoryboardDocument:
    src = _Source(queries.list_types(session), queries.list_team_worksheets(session, team.id), locale)
    story = src.data("storyboard")

    def heading(field_id: str, fallback: str) -> str:
        return src.label("storyboard", field_id, fallback)

    problem = str(src.data("charter").get("problem-statement") or "")
    sections = [
        _team_section(src, story, heading),
        Section(heading("problem", _("Problem")), problem),
        Section(heading("why-it-mattered", _("Why it mattered")), story.get("why-it-mattered") or ""),
        _aim_section(src, heading),
        _process_section(src, story, heading),
        _measures_section(session, team.id, story, heading),
        _changes_section(src, story, heading),
        Section(heading("results", _("Results")), story.get("results") or ""),
        Section(heading("lessons-learned", _("Lessons learned")), story.get("lessons-learned") or ""),
        _sustainability_section(src, story, heading),
    ]
    return StoryboardDocument(
        lang=locale.replace("_", "-"),
        title=src.title("storyboard", _("Storyboard and final report")),
        team=team_header(session, team, locale),
        generated_on=format_date(today, "long"),
        sections=sections,
    )
