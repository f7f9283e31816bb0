"""Plain values for the storyboard PDF (worksheet 12, domain §4.12): the team's results poster, one landscape
page (A3, or A0 for printing). A title band (project, team, cohort, the aim statement), the primary measure's
annotated run chart and the driver diagram, then the changes tested, the results in numbers, the lessons and
the next steps, gathered from the team's worksheets. A section with nothing in it is left out.

`poster_document` reads everything once; `shortened(doc, limit)` clips long texts (with an ellipsis and a
note) so that the view can lay the poster out again, shorter, until it fits on its one page.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from qtp.catalog.models import WorksheetType
from qtp.cohorts.models import Team
from qtp.measurement.describe import format_value
from qtp.measurement.queries import MeasureChart, list_measure_charts
from qtp.worksheets import queries
from qtp.worksheets.diagrams import diagram_for
from qtp.worksheets.export import TeamHeader, format_day, team_header
from qtp.worksheets.models import Worksheet

POSTER_SIZES = ("a3", "a0")
DEFAULT_SIZE = "a3"
MAX_CYCLES = 6  # PDSA cycles drawn as cards; the others are counted
MAX_NUMBERS = 3
CAPTION_LINES = 3  # of the run chart's sentences (the median and the first signals)  # measures in "results in numbers"
ELLIPSIS = "\u2026"


@dataclass(frozen=True)
class Figure:
    title: str
    svg: str
    caption: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Number:
    """A measure in numbers: where it started, where it is now, where it should go (formatted texts)."""

    name: str
    baseline: str
    current: str
    current_when: str
    target: str


@dataclass(frozen=True)
class Cycle:
    heading: str  # "PDSA 1 · C1 Call-nurse rota"
    when: str
    decision: str  # "Adopt", "" when not decided yet
    decision_key: str
    facts: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Block:
    """A section of the poster's text columns; every part is optional but one."""

    key: str
    heading: str
    text: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    cycles: list[Cycle] = field(default_factory=list)
    hidden: int = 0  # cycles not shown ("2 more cycles in the team's workspace")
    text_clipped: bool = False


@dataclass(frozen=True)
class PosterDocument:
    lang: str
    size: str
    title: str  # the storyboard's title, e.g. "Storyboard (results poster)"
    team: TeamHeader
    members: str
    aim: str
    aim_facts: list[tuple[str, str]]
    chart: Figure | None
    driver: Figure | None
    blocks: list[Block]
    numbers: list[Number]
    generated_on: str
    clipped: bool = False  # some text was shortened to fit the page
    compact: bool = False  # figures drawn smaller, to leave room for the text

    @property
    def text_volume(self) -> int:
        """About how many characters the text columns hold."""
        cycles = sum(250 + sum(len(t) for _label, t in c.facts) for b in self.blocks for c in b.cycles)
        facts = sum(80 + len(t) for b in self.blocks for _label, t in b.facts)
        numbers = 0 if self.chart or self.driver else 250 * len(self.numbers)  # else beside the figures
        return sum(len(b.text) + 100 for b in self.blocks) + cycles + facts + numbers

    @property
    def surely_overflows(self) -> bool:
        """Far more text than a page holds (about 3,800 characters under the figures, 7,700 without): not
        worth laying out to find out."""
        capacity = 3800 if self.chart or self.driver else 7700
        return self.text_volume > 2 * capacity

    @property
    def is_sparse(self) -> bool:
        """Hardly anything besides the aim: the aim takes the stage."""
        return not (self.chart or self.driver) and self.text_volume < 800

    @property
    def text_columns(self) -> int:
        """Four columns of text under the figures, three when there is little to read (no empty column)."""
        return 4 if self.text_volume > 1600 else 3


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

    def text(self, slug: str, field_id: str, data: dict[str, Any] | None = None) -> str:
        value = (self.data(slug) if data is None else data).get(field_id)
        return value.strip() if isinstance(value, str) else ""

    def title(self, slug: str, fallback: str) -> str:
        return str(self.texts(slug).get("title") or fallback)

    def label(self, slug: str, field_id: str, fallback: str) -> str:
        return str(((self.texts(slug).get("fields") or {}).get(field_id) or {}).get("label") or fallback)

    def choice(self, slug: str, field_id: str, value: Any) -> str:
        choices = ((self.texts(slug).get("fields") or {}).get(field_id) or {}).get("choices") or {}
        return str(choices.get(value, value)) if isinstance(value, str) and value else ""


def _members(src: _Source) -> str:
    rows = src.data("roster").get("members") or src.data("charter").get("members") or []
    names = [str(row.get("name") or "").strip() for row in rows if isinstance(row, dict)]
    return " · ".join(n for n in names if n)


def _primary(charts: list[MeasureChart], aim_measure: str) -> MeasureChart | None:
    """The measure the aim names, else the first outcome measure, else the first, with a chart drawn."""
    drawn = [c for c in charts if c.chart_svg]
    named = [c for c in drawn if aim_measure and c.name.casefold() == aim_measure.casefold()]
    outcome = [c for c in drawn if c.measure_type == "outcome"]
    return next(iter(named or outcome or drawn), None)


def _as_charted(value: Any, scale: str) -> float | None:
    """A baseline or target as the team wrote it, on the chart's scale (75 for 75% is read as 0.75)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value / 100 if scale == "proportion" and value > 1 else float(value)


def _shown(value: float | None, chart: MeasureChart) -> str:
    if value is None:
        return ""
    text = format_value(value, chart.scale)
    return f"{text} {chart.unit}" if chart.unit and chart.scale != "proportion" and chart.unit != "%" else text


def _numbers(charts: list[MeasureChart], measures: dict[int, dict[str, Any]], first: MeasureChart | None) -> list:
    ordered = ([first] if first else []) + [c for c in charts if c is not first]
    found = []
    for chart in ordered:
        if chart.latest is None or len(found) == MAX_NUMBERS:
            continue
        data = measures.get(chart.record_no, {})
        baseline, target = _as_charted(data.get("baseline"), chart.scale), _as_charted(data.get("target"), chart.scale)
        when, value = chart.latest
        found.append(
            Number(
                chart.name,
                _shown(baseline, chart),
                _shown(value, chart),
                format_date(when, "medium"),
                _shown(target, chart),
            )
        )
    return found


def _cycles(src: _Source) -> tuple[list[Cycle], int]:
    ideas = {
        str(row.get("code")): f"{row.get('code')} · {row.get('description') or ''}".strip(" ·")
        for row in src.data("driver-diagram").get("change-ideas") or []
        if isinstance(row, dict) and row.get("code")
    }

    def order(w: Worksheet) -> tuple[float, int]:
        number = w.data.get("cycle-number")
        return (number if isinstance(number, int | float) else 1e9, w.record_no)

    cycles = []
    records = sorted(src.records.get("pdsa") or [], key=order)
    for record in records[:MAX_CYCLES]:
        data = record.data or {}
        number = data.get("cycle-number")
        heading = _("PDSA %(number)s", number=f"{number:g}" if isinstance(number, int | float) else record.record_no)
        idea = str(data.get("change-idea") or "")
        if idea:
            heading = f"{heading} · {ideas.get(idea, idea)}"
        start, end = format_day(data.get("start-date")), format_day(data.get("end-date"))
        result = src.text("pdsa", "results-vs-predictions", data) or src.text("pdsa", "observations", data)
        facts = [
            (_("What we tested"), src.text("pdsa", "objective", data)),
            (_("We predicted"), src.text("pdsa", "predictions", data)),
            (_("What happened"), result),
            (_("What we learned"), src.text("pdsa", "learning", data)),
        ]
        decision = str(data.get("decision") or "")
        cycles.append(
            Cycle(
                heading,
                f"{start} \u2013 {end}" if start and end else start,
                src.choice("pdsa", "decision", decision),
                decision,
                [(label, text) for label, text in facts if text],
            )
        )
    return cycles, max(len(records) - MAX_CYCLES, 0)


def _blocks(src: _Source) -> list[Block]:
    story = src.data("storyboard")

    def heading(field_id: str, fallback: str) -> str:
        return src.label("storyboard", field_id, fallback)

    def said(field_id: str) -> str:
        return src.text("storyboard", field_id, story)

    problem = "\n\n".join(t for t in (src.text("charter", "problem-statement"), said("why-it-mattered")) if t)
    cycles, hidden = _cycles(src)
    results = "\n\n".join(t for t in (said("results"), said("measures-and-results")) if t)
    plan = src.data("sustainability")
    kept = [
        f"{row.get('measure')} ({row.get('frequency')})" if row.get("frequency") else str(row.get("measure"))
        for row in plan.get("measures-kept") or []
        if isinstance(row, dict) and row.get("measure")
    ]
    facts = [
        (src.label("sustainability", "process-owner", _("Process owner")), src.text("sustainability", "process-owner")),
        (src.label("sustainability", "measures-kept", _("Measures kept")), "; ".join(kept)),
        (
            src.label("sustainability", "action-trigger", _("What triggers action")),
            src.text("sustainability", "action-trigger"),
        ),
        (src.label("sustainability", "spread-plan", _("Spread plan")), src.text("sustainability", "spread-plan")),
    ]
    blocks = [
        Block("team", heading("team-and-setting", _("Team and setting")), said("team-and-setting")),
        Block("problem", _("The problem"), problem),
        Block("analysis", heading("process-analysis", _("Process analysis")), said("process-analysis")),
        Block(
            "changes",
            heading("changes-tested", _("Changes tested")),
            said("changes-tested"),
            cycles=cycles,
            hidden=hidden,
        ),
        Block("results", heading("results", _("Results")), results),
        Block("lessons", heading("lessons-learned", _("Lessons learned")), said("lessons-learned")),
        Block(
            "next",
            heading("sustainability-next-steps", _("Sustainability and next steps")),
            said("sustainability-next-steps"),
            facts=[(k, v) for k, v in facts if v],
        ),
    ]
    return [b for b in blocks if b.text or b.facts or b.cycles]


def poster_document(session: Session, team: Team, locale: str, today: date, size: str) -> PosterDocument:
    worksheets = queries.list_team_worksheets(session, team.id)
    src = _Source(queries.list_types(session), worksheets, locale)
    charts = list_measure_charts(session, team.id, records=worksheets)
    aim = src.text("aim", "statement")
    primary = _primary(charts, src.text("aim", "measure"))
    chart = None
    if primary:
        chart = Figure(primary.name, primary.chart_svg, [*primary.notices, *primary.summary][:CAPTION_LINES])
    driver_data = src.data("driver-diagram")
    driver = None
    if any(driver_data.get(k) for k in ("primary-drivers", "secondary-drivers", "change-ideas")):
        texts = src.texts("driver-diagram")
        svg = diagram_for("driver-diagram", driver_data, {"aim": aim}, texts)
        driver = Figure(src.title("driver-diagram", _("Driver diagram")), svg) if svg else None
    measures = {w.record_no: w.data or {} for w in src.records.get("measures") or []}
    target_date = format_day(src.data("aim").get("target-date"))
    aim_facts = [(src.label("aim", "target-date", _("Target date")), target_date)] if target_date else []
    return PosterDocument(
        lang=locale.replace("_", "-"),
        size=size,
        title=src.title("storyboard", _("Storyboard (results poster)")),
        team=team_header(session, team, locale),
        members=_members(src),
        aim=aim,
        aim_facts=aim_facts,
        chart=chart,
        driver=driver,
        blocks=_blocks(src),
        numbers=_numbers(charts, measures, primary),
        generated_on=format_date(today, "long"),
    )


def clip(text: str, limit: int) -> str:
    """The text cut at a word boundary before `limit` characters, with an ellipsis; unchanged if it fits."""
    if len(text) <= limit:
        return text
    head = text[:limit].rsplit(None, 1)[0] if " " in text[:limit] else text[:limit]
    return head.rstrip(" ,;:.\u2013-") + ELLIPSIS


def shortened(doc: PosterDocument, limit: int, cycles: int = MAX_CYCLES, *, compact: bool = False) -> PosterDocument:
    """The poster with every text clipped to `limit` characters (facts and the chart's sentences to half
    that) and at most `cycles` PDSA cycles, marked `clipped` when anything was cut; `compact` draws the
    figures smaller."""

    def facts(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(label, clip(value, limit // 2)) for label, value in items]

    blocks = [
        replace(
            b,
            text=clip(b.text, limit),
            text_clipped=len(b.text) > limit,
            facts=facts(b.facts),
            cycles=[replace(c, facts=facts(c.facts)) for c in b.cycles[:cycles]],
            hidden=b.hidden + len(b.cycles[cycles:]),
        )
        for b in doc.blocks
    ]
    chart = doc.chart and replace(doc.chart, caption=[clip(line, limit // 2) for line in doc.chart.caption])
    numbers = doc.numbers[:1] if compact else doc.numbers  # beside the driver diagram: the primary measure
    short = replace(doc, aim=clip(doc.aim, 2 * limit), blocks=blocks, chart=chart, numbers=numbers)
    return replace(short, clipped=short != doc, compact=compact)


# Tried in turn until the poster fits on its page: the longest text of each section, the most PDSA cycles
# shown, and whether the figures are drawn smaller. The first is the poster as written.
FITS = (
    (None, MAX_CYCLES, False),
    (1200, 6, False),
    (800, 4, False),
    (800, 4, True),
    (500, 4, True),
    (320, 3, True),
    (200, 2, True),
    (120, 2, True),
    (80, 1, True),
)


def fitting_versions(doc: PosterDocument) -> list[PosterDocument]:
    """The poster as written, then shorter and shorter, for the layout to take the first that fits its page;
    versions that surely overflow are skipped (the last, the shortest, is always kept)."""
    versions = [
        doc if limit is None else shortened(doc, limit, cycles, compact=compact) for limit, cycles, compact in FITS
    ]
    return [v for v in versions[:-1] if not v.surely_overflows] + versions[-1:]
