"""A cohort's calendar as iCalendar (RFC 5545): learning sessions, coaching calls and the team's worksheet due
dates, for a participant's own calendar app, downloaded once or subscribed to through a private link.

The private link carries a signed token naming the person and the cohort (no password, no session): whoever
holds it reads that cohort's dates, nothing else; it stops working when the person leaves the cohort or their
account is deactivated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.catalog.models import WorksheetType
from qtp.cohorts.models import Cohort, WorksheetDue
from qtp.cohorts.queries import calendar_of

SALT = "qtp-calendar-feed"


@dataclass(frozen=True)
class DueDate:
    due_on: date
    title: str


def due_dates(session: Session, cohort: Cohort, locale: str) -> list[DueDate]:
    """The cohort's worksheet due dates with the worksheets' titles in `locale` (one statement)."""
    rows = session.execute(
        select(WorksheetDue.due_on, WorksheetDue.worksheet_type, WorksheetType.texts)
        .outerjoin(WorksheetType, WorksheetType.slug == WorksheetDue.worksheet_type)
        .where(WorksheetDue.cohort_id == cohort.id)
        .order_by(WorksheetDue.due_on)
    ).all()
    out = []
    for due_on, slug, texts in rows:
        texts = texts or {}
        title = (texts.get(locale) or {}).get("title") or (texts.get("en") or {}).get("title") or slug
        out.append(DueDate(due_on, title))
    return out


def feed_token(user_id: int, cohort_id: int) -> str:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT).dumps([user_id, cohort_id])


def read_token(token: str) -> tuple[int, int] | None:
    """(user id, cohort id) of a genuine token; None for anything else."""
    try:
        value = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT).loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)):
        return None
    return value[0], value[1]


def cohort_ics(cohort: Cohort, locale: str, dues: list[DueDate], link: str) -> bytes:
    """The calendar file: every date an all-day event (sessions keep their days; times are set per cohort)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Quality Training Program//QTP calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = f"QTP · {cohort.name}"
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    stamp = datetime.now(UTC).replace(microsecond=0)
    program = cohort.program.title(locale)
    for item in calendar_of(cohort):
        event = Event()
        title = item.titles.get(locale) or item.titles.get("en")
        title = title or (_("Learning session") if item.kind == "learning_session" else _("Coaching call"))
        event.add("uid", f"{cohort.slug}-{item.id}@qtp")
        event.add("summary", f"{title} · {program}")
        event.add("dtstart", item.starts_on)
        event.add("dtend", item.ends_on + timedelta(days=1))
        event.add("dtstamp", stamp)
        where = item.place or (_("In person") if item.mode == "in_person" else _("Virtual"))
        event.add("location", where)
        event.add("description", _("%(cohort)s. Your program on the platform: %(link)s", cohort=cohort.name, link=link))
        event.add("transp", "OPAQUE" if item.mode == "in_person" else "TRANSPARENT")
        calendar.add_component(event)
    for number, due in enumerate(dues, start=1):
        event = Event()
        event.add("uid", f"{cohort.slug}-due-{number}-{due.due_on.isoformat()}@qtp")
        event.add("summary", _("Due: %(worksheet)s", worksheet=due.title))
        event.add("dtstart", due.due_on)
        event.add("dtend", due.due_on + timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("description", _("The team leader sends this worksheet for review by this date. %(link)s", link=link))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
