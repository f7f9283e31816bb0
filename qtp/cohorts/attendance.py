"""Attendance at learning sessions, recorded per participant by the cohort's faculty or an admin."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.certificates.services import issue_if_complete
from qtp.cohorts import policy
from qtp.cohorts.models import (
    PARTICIPATING_ROLES,
    Attendance,
    AttendanceStatus,
    CohortEvent,
    EventKind,
    Membership,
    Team,
)
from qtp.cohorts.queries import staff_roles
from qtp.core import audit
from qtp.core.db import utcnow
from qtp.core.permissions import Role
from qtp.core.service import PermissionDenied, ServiceError


@dataclass(frozen=True)
class Mark:
    status: str  # present | absent | excused | "" (not recorded)
    note: str = ""


def participant_ids(session: Session, cohort_id: int) -> set[int]:
    return set(
        session.scalars(
            select(Membership.user_id)
            .join(Team, Membership.team_id == Team.id)
            .where(Team.cohort_id == cohort_id, Membership.role.in_(PARTICIPATING_ROLES))
        )
    )


def record_attendance(session: Session, actor: User, event: CohortEvent, marks: dict[int, Mark]) -> int:
    """Store the marks of one learning session (all or nothing); returns how many changed."""
    is_admin = actor.has_role(Role.ADMIN)
    if not policy.can_record_attendance(is_admin, staff_roles(session, actor.id, event.cohort_id)):
        raise PermissionDenied("cohorts:attendance")
    if event.kind != EventKind.LEARNING_SESSION:
        raise ServiceError(_("Attendance is recorded for learning sessions only."))
    allowed = participant_ids(session, event.cohort_id)
    if set(marks) - allowed:
        raise ServiceError(_("Someone in this list is not a participant of the cohort. Please reload the page."))
    stored = {a.user_id: a for a in session.scalars(select(Attendance).where(Attendance.event_id == event.id))}
    for user_id, mark in marks.items():
        if mark.status and mark.status not in set(AttendanceStatus):
            raise ServiceError(_("Choose present, absent or excused."), field=f"status-{user_id}")
        was = stored[user_id].status if user_id in stored else ""
        if mark.status == AttendanceStatus.EXCUSED and was != AttendanceStatus.EXCUSED:
            if not policy.can_excuse_absence(is_admin):
                raise ServiceError(_("Only an administrator can excuse an absence."), field=f"status-{user_id}")
            if not mark.note.strip():
                raise ServiceError(_("Give the reason for the excused absence."), field=f"note-{user_id}")
        if len(mark.note) > 300:
            raise ServiceError(_("A note can be at most 300 characters long."), field=f"note-{user_id}")
    changed = 0
    for user_id, mark in marks.items():
        row = stored.get(user_id)
        note = mark.note.strip() if mark.status == AttendanceStatus.EXCUSED else ""
        if not mark.status:
            if row is not None:
                session.delete(row)
                changed += 1
            continue
        if row is not None and (row.status, row.note) == (mark.status, note):
            continue
        if row is None:
            row = Attendance(event_id=event.id, user_id=user_id, status=mark.status)
            session.add(row)
        if mark.status == AttendanceStatus.EXCUSED and (row.status != mark.status or row.note != note):
            audit.record(session, actor, "attendance.excused", ("users", user_id), summary=f"{event.key}: {note}"[:300])
        row.status, row.note, row.recorded_by_id, row.recorded_at = mark.status, note, actor.id, utcnow()
        changed += 1
    if changed:
        audit.record(
            session,
            actor,
            "attendance.recorded",
            ("cohort_events", event.id),
            summary=f"{event.key}: {changed} changed",
        )
        attended = [
            user_id
            for user_id, mark in marks.items()
            if mark.status in (AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED)
        ]
        issue_if_complete(session, attended, event.cohort)  # this session may be the last condition
    return changed
