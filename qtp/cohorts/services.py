"""Running a cohort (admins): the cohort and its calendar, its staff, and its teams.

A new cohort gets its learning sessions, coaching calls and worksheet due dates from program.yaml; admins
then move, place or rename them per cohort. Every change writes an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.accounts.models import Organization, User
from qtp.catalog.models import Program
from qtp.catalog.schedule import default_due_dates, events, phase_dates
from qtp.cohorts.models import (
    Cohort,
    CohortEvent,
    CohortStatus,
    EventMode,
    StaffAssignment,
    StaffRole,
    Team,
    WorksheetDue,
)
from qtp.core import audit
from qtp.core.i18n import normalize_locale
from qtp.core.permissions import Role
from qtp.core.service import ServiceError, authorize, flush_or_refuse

WRITE = "admin:cohorts:write"


@dataclass(frozen=True)
class CohortFields:
    name: str
    slug: str
    locale: str
    starts_on: date
    ends_on: date
    status: str = CohortStatus.PLANNED
    program_id: int | None = None  # only when creating


def _check_fields(fields: CohortFields) -> None:
    if not fields.name.strip():
        raise ServiceError(_("Please enter a name."), field="name")
    if fields.ends_on < fields.starts_on:
        raise ServiceError(_("The cohort must end after it starts."), field="ends_on")
    if normalize_locale(fields.locale) != fields.locale:
        raise ServiceError(_("Choose one of the languages offered."), field="locale")
    if fields.status not in set(CohortStatus):
        raise ServiceError(_("Choose a status from the list."), field="status")


def create_cohort(session: Session, actor: User, fields: CohortFields) -> Cohort:
    """A new cohort with the program's calendar: learning sessions, coaching calls and worksheet due dates."""
    authorize(actor, WRITE)
    _check_fields(fields)
    program = session.get(Program, fields.program_id) if fields.program_id else None
    if program is None:
        raise ServiceError(_("Choose a program."), field="program_id")
    if session.scalar(select(Cohort.id).where(Cohort.slug == fields.slug)) is not None:
        raise ServiceError(_("Another cohort already uses this short name."), field="slug")
    cohort = Cohort(
        program=program,
        slug=fields.slug,
        name=fields.name.strip(),
        locale=fields.locale,
        starts_on=fields.starts_on,
        ends_on=fields.ends_on,
        status=fields.status,
        phase_starts={},
    )
    add_program_calendar(cohort, program)
    session.add(cohort)
    flush_or_refuse(session, _("Another cohort already uses this short name."), field="slug")
    audit.record(session, actor, "cohort.created", cohort, summary=cohort.name, details={"program": program.slug})
    return cohort


def add_program_calendar(cohort: Cohort, program: Program) -> None:
    """The program's learning sessions, coaching calls and due dates, counted from the cohort's first day."""
    for event in events(program.config, cohort.starts_on):
        cohort.events.append(
            CohortEvent(
                kind=event.kind, key=event.id, starts_on=event.starts_on, ends_on=event.ends_on, mode=event.mode
            )
        )
    for slug, due_on in default_due_dates(program.config, cohort.starts_on).items():
        cohort.due_dates.append(WorksheetDue(worksheet_type=slug, due_on=due_on))


def update_cohort(session: Session, actor: User, cohort: Cohort, fields: CohortFields) -> None:
    authorize(actor, WRITE)
    _check_fields(fields)
    before = {"name": cohort.name, "locale": cohort.locale, "starts_on": str(cohort.starts_on)}
    before |= {"ends_on": str(cohort.ends_on), "status": cohort.status}
    cohort.name, cohort.locale, cohort.status = fields.name.strip(), fields.locale, fields.status
    cohort.starts_on, cohort.ends_on = fields.starts_on, fields.ends_on
    after = {"name": cohort.name, "locale": cohort.locale, "starts_on": str(cohort.starts_on)}
    after |= {"ends_on": str(cohort.ends_on), "status": cohort.status}
    changes = audit.changes(before, after)
    if changes:
        audit.record(session, actor, "cohort.updated", cohort, summary=cohort.name, details=changes)


@dataclass(frozen=True)
class EventChange:
    starts_on: date
    ends_on: date
    mode: str
    place: str


@dataclass(frozen=True)
class ScheduleChange:
    phase_starts: dict[str, date] = field(default_factory=dict)
    events: dict[int, EventChange] = field(default_factory=dict)  # by CohortEvent id
    due_dates: dict[str, date] = field(default_factory=dict)  # by worksheet type


def update_schedule(session: Session, actor: User, cohort: Cohort, change: ScheduleChange) -> None:
    """Move the cohort's phases, sessions, calls and due dates. Everything is checked before anything
    changes: a refused change leaves the calendar as it was."""
    authorize(actor, WRITE)
    phases = [p["id"] for p in cohort.program.phases]
    current = {
        p.id: p.starts_on
        for p in phase_dates(cohort.program.config, cohort.starts_on, cohort.ends_on, cohort.phase_starts)
    }
    starts = [change.phase_starts.get(pid, current[pid]) for pid in phases]
    for index in range(1, len(starts)):
        if starts[index] <= starts[index - 1]:
            raise ServiceError(_("Each phase must start after the previous one."), field=f"phase-{phases[index]}")
    by_id = {event.id: event for event in cohort.events}
    for event_id, event_change in change.events.items():
        if event_id not in by_id:
            raise ServiceError(_("This event is not part of the cohort. Please reload the page."))
        if event_change.ends_on < event_change.starts_on:
            raise ServiceError(_("An event must end on or after the day it starts."), field=f"event-{event_id}-ends_on")
        if event_change.mode not in set(EventMode):
            raise ServiceError(_("Choose in person or virtual."), field=f"event-{event_id}-mode")
        if len(event_change.place) > 200:
            raise ServiceError(_("The place can be at most 200 characters long."), field=f"event-{event_id}-place")
    dues = {due.worksheet_type: due for due in cohort.due_dates}
    unknown = set(change.due_dates) - set(dues)
    if unknown:
        raise ServiceError(_("This worksheet is not required in this cohort. Please reload the page."))

    details: dict[str, dict] = {}
    phase_starts = {pid: start.isoformat() for pid, start in zip(phases, starts, strict=True)}
    if phase_starts != {pid: d.isoformat() for pid, d in current.items()}:
        details["phases"] = audit.changes({k: v.isoformat() for k, v in current.items()}, phase_starts)
    cohort.phase_starts = phase_starts
    for event_id, event_change in change.events.items():
        event = by_id[event_id]
        before = {
            "starts_on": str(event.starts_on),
            "ends_on": str(event.ends_on),
            "mode": event.mode,
            "place": event.place,
        }
        event.starts_on, event.ends_on = event_change.starts_on, event_change.ends_on
        event.mode, event.place = event_change.mode, event_change.place.strip()
        after = {
            "starts_on": str(event.starts_on),
            "ends_on": str(event.ends_on),
            "mode": event.mode,
            "place": event.place,
        }
        if before != after:
            details[event.key] = audit.changes(before, after)
    for slug, due_on in change.due_dates.items():
        if dues[slug].due_on != due_on:
            details[f"due:{slug}"] = {"from": str(dues[slug].due_on), "to": str(due_on)}
            dues[slug].due_on = due_on
    if details:
        audit.record(session, actor, "cohort.schedule_changed", cohort, summary=cohort.name, details=details)


# --- staff -----------------------------------------------------------------------------------------------


def assign_staff(session: Session, actor: User, cohort: Cohort, user_id: int, role: str) -> StaffAssignment:
    """Faculty and coaches of the cohort: a faculty assignment needs the faculty role, a coach one the coach role."""
    authorize(actor, WRITE)
    if role not in set(StaffRole):
        raise ServiceError(_("Choose faculty or improvement coach."), field="role")
    user = session.get(User, user_id)
    needed = Role.FACULTY if role == StaffRole.FACULTY else Role.COACH
    if user is None or not user.is_active or not user.has_role(needed):
        raise ServiceError(_("Choose a person who holds this role."), field="user_id")
    exists = session.scalar(
        select(StaffAssignment.id).where(
            StaffAssignment.cohort_id == cohort.id, StaffAssignment.user_id == user.id, StaffAssignment.role == role
        )
    )
    if exists is not None:
        raise ServiceError(_("%(name)s already has this role in the cohort.", name=user.name), field="user_id")
    assignment = StaffAssignment(cohort_id=cohort.id, user_id=user.id, role=role)
    session.add(assignment)
    flush_or_refuse(session, _("%(name)s already has this role in the cohort.", name=user.name), field="user_id")
    audit.record(session, actor, "cohort.staff_assigned", cohort, summary=f"{user.email} · {role}")
    return assignment


def remove_staff(session: Session, actor: User, assignment: StaffAssignment) -> None:
    authorize(actor, WRITE)
    summary = f"{assignment.user.email} · {assignment.role}"
    audit.record(session, actor, "cohort.staff_removed", ("cohorts", assignment.cohort_id), summary=summary)
    session.delete(assignment)


# --- teams -----------------------------------------------------------------------------------------------


def _coach(session: Session, coach_id: int | None) -> User | None:
    if coach_id is None:
        return None
    coach = session.get(User, coach_id)
    if coach is None or not coach.is_active or not coach.has_role(Role.COACH):
        raise ServiceError(_("Choose an improvement coach from the list."), field="coach_id")
    return coach


def create_team(
    session: Session, actor: User, cohort: Cohort, *, organization_id: int, project_title: str, coach_id: int | None
) -> Team:
    authorize(actor, WRITE)
    organization = session.get(Organization, organization_id)
    if organization is None or not organization.is_active:
        raise ServiceError(_("Choose an active organization."), field="organization_id")
    if not project_title.strip():
        raise ServiceError(_("Please enter the project title."), field="project_title")
    coach = _coach(session, coach_id)
    duplicate = _("This organization already has a team in the cohort.")
    if (
        session.scalar(select(Team.id).where(Team.cohort_id == cohort.id, Team.organization_id == organization.id))
        is not None
    ):
        raise ServiceError(duplicate, field="organization_id")
    team = Team(
        cohort_id=cohort.id,
        organization_id=organization.id,
        project_title=project_title.strip(),
        coach_id=coach.id if coach else None,
    )
    session.add(team)
    flush_or_refuse(session, duplicate, field="organization_id")
    audit.record(session, actor, "team.created", team, summary=f"{organization.name} · {team.project_title}")
    return team


def update_team(session: Session, actor: User, team: Team, *, project_title: str, coach_id: int | None) -> None:
    authorize(actor, WRITE)
    if not project_title.strip():
        raise ServiceError(_("Please enter the project title."), field="project_title")
    coach = _coach(session, coach_id)
    before = {"project_title": team.project_title, "coach_id": team.coach_id}
    team.project_title, team.coach_id = project_title.strip(), coach.id if coach else None
    changes = audit.changes(before, {"project_title": team.project_title, "coach_id": team.coach_id})
    if changes:
        audit.record(session, actor, "team.updated", team, summary=team.project_title, details=changes)
