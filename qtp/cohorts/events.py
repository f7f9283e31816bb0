"""Adding and removing a cohort's learning sessions and coaching calls (admins).

The program's events are created with the cohort (services.add_program_calendar); an admin may add one of
their own (an extra coaching call, a make-up session), with a title, inside the cohort's dates, and remove
any event as long as no attendance was recorded for it: a session that took place is history. Both write an
audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.cohorts.models import Attendance, Cohort, CohortEvent, EventKind, EventMode
from qtp.cohorts.services import WRITE
from qtp.core import audit
from qtp.core.service import ServiceError, authorize

ADDED_PREFIX = "added-"


@dataclass(frozen=True)
class NewEvent:
    kind: str
    title: str
    starts_on: date
    ends_on: date
    mode: str
    place: str = ""


def _next_key(cohort: Cohort) -> str:
    numbers = [int(e.key[len(ADDED_PREFIX):]) for e in cohort.events if e.key.startswith(ADDED_PREFIX)
               and e.key[len(ADDED_PREFIX):].isdigit()]
    return f"{ADDED_PREFIX}{max(numbers, default=0) + 1}"


def add_event(session: Session, actor: User, cohort: Cohort, new: NewEvent) -> CohortEvent:
    """A learning session or coaching call of the admin's own, checked whole before anything is stored."""
    authorize(actor, WRITE)
    title, place = new.title.strip(), new.place.strip()
    if new.kind not in set(EventKind):
        raise ServiceError(_("Choose a learning session or a coaching call."), field="kind")
    if not title:
        raise ServiceError(_("Please give the event a title."), field="title")
    if len(title) > 200:
        raise ServiceError(_("The title can be at most 200 characters long."), field="title")
    if new.mode not in set(EventMode):
        raise ServiceError(_("Choose in person or virtual."), field="mode")
    if len(place) > 200:
        raise ServiceError(_("The place can be at most 200 characters long."), field="place")
    if new.ends_on < new.starts_on:
        raise ServiceError(_("An event must end on or after the day it starts."), field="ends_on")
    if new.starts_on < cohort.starts_on or new.ends_on > cohort.ends_on:
        raise ServiceError(
            _(
                "The cohort runs from %(first)s to %(last)s: choose days within it, "
                "or change the cohort's dates first.",
                first=format_date(cohort.starts_on, "long"),
                last=format_date(cohort.ends_on, "long"),
            ),
            field="starts_on",
        )
    event = CohortEvent(
        kind=new.kind, key=_next_key(cohort), title=title, starts_on=new.starts_on, ends_on=new.ends_on,
        mode=new.mode, place=place,
    )
    cohort.events.append(event)
    session.flush()
    audit.record(
        session, actor, "cohort.event_added", cohort, summary=f"{cohort.name} · {title}",
        details={"kind": new.kind, "starts_on": str(new.starts_on), "ends_on": str(new.ends_on)},
    )
    return event


def remove_event(session: Session, actor: User, cohort: Cohort, event: CohortEvent, locale: str) -> str:
    """Remove an event nobody's attendance was recorded for; returns its title for the confirmation."""
    authorize(actor, WRITE)
    title = event.title_in(locale)
    recorded = session.scalar(select(func.count()).select_from(Attendance).where(Attendance.event_id == event.id))
    if recorded:
        raise ServiceError(
            _("Attendance was recorded for %(event)s, so it stays in the calendar: you can still move it.", event=title)
        )
    audit.record(
        session, actor, "cohort.event_removed", cohort, summary=f"{cohort.name} · {title}",
        details={"key": event.key, "kind": event.kind, "starts_on": str(event.starts_on)},
    )
    cohort.events.remove(event)  # delete-orphan: the row goes at the flush
    return title
