"""The sections of data.json about the person and their learning: profile, memberships, staff roles,
invitations, licence seats, module progress, knowledge-check attempts, self-assessments, attendance."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from qtp.accounts.models import Invitation, User
from qtp.catalog.models import Module, Program
from qtp.cohorts.models import Attendance, Cohort, CohortEvent, Membership, StaffAssignment, Team
from qtp.licensing.models import License, LicenseSeat
from qtp.privacy.records import iso, rows
from qtp.progress.models import KnowledgeCheckAttempt, ModuleProgress, SelfAssessment


def profile(session: Session, user: User, locale: str) -> Iterator[dict]:
    yield {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "organization": user.organization.name if user.organization else None,
        "roles": sorted(r.role for r in user.roles),
        "language": user.locale,
        "timezone": user.timezone,
        "is_active": user.is_active,
        "created_at": iso(user.created_at),
        "last_sign_in_at": iso(user.last_login_at),
    }


def memberships(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(Membership.role, Membership.created_at, Team.id, Team.project_title, Cohort.name, Program.titles)
        .join(Team, Team.id == Membership.team_id)
        .join(Cohort, Cohort.id == Team.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.id)
    )
    for role, since, team_id, project, cohort, titles in rows(session, statement):
        yield {
            "team_id": team_id,
            "project_title": project,
            "cohort": cohort,
            "program": Program.title_of(titles or {}, locale, ""),
            "role": role,
            "since": iso(since),
        }


def staff(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(StaffAssignment.role, StaffAssignment.created_at, Cohort.name)
        .join(Cohort, Cohort.id == StaffAssignment.cohort_id)
        .where(StaffAssignment.user_id == user.id)
        .order_by(StaffAssignment.id)
    )
    for role, since, cohort in rows(session, statement):
        yield {"cohort": cohort, "role": role, "since": iso(since)}


def invitations(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(Invitation)
        .where(or_(Invitation.email == user.email, Invitation.user_id == user.id))
        .order_by(Invitation.id)
    )
    now = datetime.now(UTC)
    for (invitation,) in rows(session, statement):
        yield {
            "email": invitation.email,
            "name": invitation.name,
            "roles": invitation.roles,
            "team_role": invitation.team_role,
            "language": invitation.locale,
            "created_at": iso(invitation.created_at),
            "expires_at": iso(invitation.expires_at),
            "accepted_at": iso(invitation.accepted_at),
            "status": invitation.status(now),
        }


def seats(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(LicenseSeat.assigned_at, LicenseSeat.freed_at, License.number, License.product)
        .join(License, License.id == LicenseSeat.license_id)
        .where(LicenseSeat.user_id == user.id)
        .order_by(LicenseSeat.id)
    )
    for assigned, freed, number, product in rows(session, statement):
        yield {"licence": number, "product": product, "assigned_at": iso(assigned), "freed_at": iso(freed)}


def module_progress(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(ModuleProgress.completed_at, ModuleProgress.content_version, Module.slug)
        .join(Module, Module.id == ModuleProgress.module_id)
        .where(ModuleProgress.user_id == user.id)
        .order_by(ModuleProgress.id)
    )
    for completed, version, module in rows(session, statement):
        yield {"module": module, "completed_at": iso(completed), "content_version": version}


def attempts(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(KnowledgeCheckAttempt, Module.slug)
        .join(Module, Module.id == KnowledgeCheckAttempt.module_id)
        .where(KnowledgeCheckAttempt.user_id == user.id)
        .order_by(KnowledgeCheckAttempt.id)
    )
    for attempt, module in rows(session, statement):
        yield {
            "module": module,
            "submitted_at": iso(attempt.submitted_at),
            "answers": attempt.answers,
            "correct": attempt.correct,
            "total": attempt.total,
            "score_percent": attempt.score,
            "passed": attempt.passed,
            "content_version": attempt.content_version,
        }


def self_assessments(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(SelfAssessment, Cohort.name)
        .join(Cohort, Cohort.id == SelfAssessment.cohort_id)
        .where(SelfAssessment.user_id == user.id)
        .order_by(SelfAssessment.id)
    )
    for assessment, cohort in rows(session, statement):
        yield {
            "cohort": cohort,
            "kind": assessment.kind,
            "ratings": assessment.ratings,
            "submitted_at": iso(assessment.submitted_at),
        }


def attendance(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(Attendance.status, Attendance.note, Attendance.recorded_at, CohortEvent.key, CohortEvent.starts_on)
        .add_columns(CohortEvent.title, Cohort.name)
        .join(CohortEvent, CohortEvent.id == Attendance.event_id)
        .join(Cohort, Cohort.id == CohortEvent.cohort_id)
        .where(Attendance.user_id == user.id)
        .order_by(Attendance.id)
    )
    for status, note, recorded, key, starts, event_title, cohort in rows(session, statement):
        yield {
            "cohort": cohort,
            "event": event_title or key,
            "date": iso(starts),
            "status": status,
            "note": note,
            "recorded_at": iso(recorded),
        }
