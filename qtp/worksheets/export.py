"""Plain values for the printable PDFs: one worksheet (filled in, or blank to fill in by hand) and the
storyboard that gathers the team's worksheets. Read only; the templates get nothing but these values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.accounts.models import Organization
from qtp.catalog.models import WorksheetType
from qtp.cohorts.models import Cohort, Team
from qtp.core.i18n import country_name
from qtp.worksheets import data as worksheet_data
from qtp.worksheets.diagrams import diagram_for, process_map_for
from qtp.worksheets.models import STATUS_LABELS, Worksheet, WorksheetStatus
from qtp.worksheets.process_map import ProcessMap

UNCHECKED, CHECKED = "\u2610", "\u2611"
BLANK_GROUP_ROWS = 3


@dataclass(frozen=True)
class FieldView:
    """A field as printed: a label and a text, or a table (groups); `blank` marks a space to write in."""

    label: str
    kind: str
    text: str = ""
    blank: bool = False
    headers: list[str] = field(default_factory=list)
    numeric: list[bool] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class TeamHeader:
    project_title: str
    organization: str
    place: str  # city, country
    cohort: str


@dataclass(frozen=True)
class WorksheetDocument:
    lang: str
    team: TeamHeader
    title: str
    record_label: str  # "Record 2" for a measure or a PDSA cycle, else ""
    description: str
    status: str
    is_blank: bool
    generated_on: str
    saved_on: str
    fields: list[FieldView]
    diagram_svg: str | None
    process_map: ProcessMap | None = None  # steps top to bottom, lanes as columns: fits a portrait page


def team_header(session: Session, team: Team, locale: str) -> TeamHeader:
    """The team's organization, place and cohort, read in one statement."""
    name, city, country, cohort = session.execute(
        select(Organization.name, Organization.city, Organization.country, Cohort.name)
        .join(Team, Team.organization_id == Organization.id)
        .join(Cohort, Team.cohort_id == Cohort.id)
        .where(Team.id == team.id)
    ).one()
    place = ", ".join(p for p in (city, country_name(country, locale)) if p)
    return TeamHeader(team.project_title, name, place, cohort)


def format_day(value: Any) -> str:
    """A stored date ("YYYY-MM-DD") in the reader's language; anything else as it is."""
    if isinstance(value, date):
        return format_date(value, "medium")
    if isinstance(value, str) and value:
        try:
            return format_date(date.fromisoformat(value), "medium")
        except ValueError:
            return value
    return ""


def _text(spec: dict[str, Any], value: Any, labels: dict[str, Any], links: dict[str, str]) -> str:
    kind = spec["kind"]
    if kind == "date":
        return format_day(value)
    if kind == "boolean":
        return CHECKED if value else UNCHECKED
    return worksheet_data.display(spec, value, labels, links)


def _field(spec: dict[str, Any], value: Any, labels: dict[str, Any], links: dict[str, dict[str, str]]) -> FieldView:
    label = str(labels.get("label") or spec["id"])
    kind = spec["kind"]
    if kind == "group":
        sub_labels = labels.get("fields") or {}
        subs = spec["fields"]
        headers = [str(sub_labels.get(sub["id"], {}).get("label") or sub["id"]) for sub in subs]
        rows = [
            [_text(sub, (row or {}).get(sub["id"]), sub_labels.get(sub["id"], {}), {}) for sub in subs]
            for row in value or []
        ]
        blank = not rows
        if blank:
            rows = [[""] * len(subs) for _ in range(BLANK_GROUP_ROWS)]
        numeric = [sub["kind"] == "number" for sub in subs]
        return FieldView(label, kind, blank=blank, headers=headers, numeric=numeric, rows=rows)
    text = _text(spec, value, labels, links.get(spec["id"], {}))
    if worksheet_data.is_empty(value) and kind in ("select", "multiselect"):
        choices = labels.get("choices") or {}
        options = [str(choices.get(c, c)) for c in spec.get("choices", [])]
        return FieldView(label, kind, "   ".join(f"{UNCHECKED} {o}" for o in options), blank=True)
    if kind == "boolean":
        return FieldView(label, kind, text)
    return FieldView(label, kind, text, blank=not text)


def field_views(
    wtype: WorksheetType,
    texts: dict[str, Any],
    data: dict[str, Any],
    refs: dict[str, Any],
    links: dict[str, dict[str, str]] | None = None,
) -> list[FieldView]:
    """Every field of the type in order, with its label in the reader's language and its value as text."""
    labels_by_id = texts.get("fields") or {}
    views = []
    for spec in wtype.definition["fields"]:
        labels = labels_by_id.get(spec["id"], {})
        if spec["kind"] == "ref":
            value = refs.get(spec["id"])
            text = "" if value is None else str(value)
            views.append(FieldView(str(labels.get("label") or spec["id"]), "ref", text, blank=not text))
        else:
            views.append(_field(spec, data.get(spec["id"]), labels, links or {}))
    return views


def worksheet_document(
    header: TeamHeader,
    wtype: WorksheetType,
    worksheet: Worksheet | None,
    record_no: int,
    refs: dict[str, Any],
    links: dict[str, dict[str, str]],
    locale: str,
    today: date,
) -> WorksheetDocument:
    texts = wtype.text(locale)
    data = worksheet.data if worksheet else {}
    status = WorksheetStatus(worksheet.status) if worksheet else WorksheetStatus.DRAFT
    blank = worksheet is None or all(worksheet_data.is_empty(v) for v in data.values())
    return WorksheetDocument(
        lang=locale.replace("_", "-"),
        team=header,
        title=str(texts.get("title") or wtype.slug),
        record_label=_("Record %(number)s", number=record_no) if wtype.is_repeatable else "",
        description=str(texts.get("description") or ""),
        status=str(STATUS_LABELS[status]) if worksheet else _("Not started"),
        is_blank=blank,
        generated_on=format_date(today, "long"),
        saved_on=format_date(worksheet.updated_at, "long") if worksheet and worksheet.updated_at else "",
        fields=field_views(wtype, texts, data, refs, links),
        diagram_svg=None if blank else diagram_for(wtype.slug, data, refs, texts),
        process_map=process_map_for(data, texts, direction="TB") if wtype.slug == "process-map" and not blank else None,
    )
