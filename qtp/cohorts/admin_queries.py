"""Read models for the admin pages of cohorts and teams (eager loading; a fixed number of statements)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from qtp.accounts.models import Invitation, Organization, User, UserRole
from qtp.catalog.models import Program, WorksheetType
from qtp.cohorts.models import PARTICIPATING_ROLES, Attendance, Cohort, Membership, StaffAssignment, Team


@dataclass(frozen=True)
class CohortRow:
    cohort: Cohort
    teams: int
    members: int


def list_cohorts(session: Session) -> list[CohortRow]:
    """Every cohort with its number of teams and members, the most recent first (one statement)."""
    teams = select(func.count(Team.id)).where(Team.cohort_id == Cohort.id).scalar_subquery()
    members = (
        select(func.count(Membership.id))
        .join(Team, Membership.team_id == Team.id)
        .where(Team.cohort_id == Cohort.id)
        .scalar_subquery()
    )
    rows = session.execute(select(Cohort, teams, members).order_by(Cohort.starts_on.desc(), Cohort.id.desc()))
    return [CohortRow(cohort, team_count or 0, member_count or 0) for cohort, team_count, member_count in rows]


def find_cohort(session: Session, cohort_id: int) -> Cohort | None:
    """The cohort with its calendar (events, due dates) loaded."""
    return session.scalar(
        select(Cohort)
        .where(Cohort.id == cohort_id)
        .options(selectinload(Cohort.events), selectinload(Cohort.due_dates))
    )


def list_staff(session: Session, cohort_id: int) -> list[StaffAssignment]:
    return list(
        session.scalars(
            select(StaffAssignment)
            .where(StaffAssignment.cohort_id == cohort_id)
            .options(joinedload(StaffAssignment.user))
            .order_by(StaffAssignment.role, StaffAssignment.id)
        )
    )


def find_staff_assignment(session: Session, cohort_id: int, assignment_id: int) -> StaffAssignment | None:
    return session.scalar(
        select(StaffAssignment).where(StaffAssignment.id == assignment_id, StaffAssignment.cohort_id == cohort_id)
    )


def list_cohort_teams(session: Session, cohort_id: int) -> list[Team]:
    """The cohort's teams with their practice, coach and members (three statements in all)."""
    return list(
        session.scalars(
            select(Team)
            .where(Team.cohort_id == cohort_id)
            .options(
                joinedload(Team.organization),
                joinedload(Team.coach),
                selectinload(Team.memberships).joinedload(Membership.user),
            )
            .order_by(Team.project_title)
        ).unique()
    )


def find_team(session: Session, team_id: int) -> Team | None:
    return session.scalar(
        select(Team)
        .where(Team.id == team_id)
        .options(
            joinedload(Team.organization),
            joinedload(Team.coach),
            joinedload(Team.cohort),
            selectinload(Team.memberships).joinedload(Membership.user),
        )
    )


def find_membership(session: Session, team_id: int, membership_id: int) -> Membership | None:
    return session.scalar(
        select(Membership)
        .where(Membership.id == membership_id, Membership.team_id == team_id)
        .options(joinedload(Membership.user))
    )


def list_team_invitations(session: Session, team_id: int) -> list[Invitation]:
    """Invitations to the team not yet accepted (pending, expired or revoked), newest first."""
    return list(
        session.scalars(
            select(Invitation)
            .where(Invitation.team_id == team_id, Invitation.accepted_at.is_(None))
            .order_by(Invitation.created_at.desc())
        )
    )


def find_team_invitation(session: Session, team_id: int, invitation_id: int) -> Invitation | None:
    return session.scalar(select(Invitation).where(Invitation.id == invitation_id, Invitation.team_id == team_id))


def program_choices(session: Session, locale: str) -> list[tuple[int, str]]:
    return [(p.id, p.title(locale)) for p in session.scalars(select(Program).order_by(Program.slug))]


def organization_choices(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Organization.id, Organization.name, Organization.city)
        .where(Organization.is_active.is_(True), Organization.kind == "practice")
        .order_by(Organization.name)
    )
    return [(oid, f"{name}, {city}" if city else name) for oid, name, city in rows]


def people_with_role(session: Session, *roles: str) -> list[tuple[int, str]]:
    """Active people holding any of `roles`, by name (one statement)."""
    rows = session.execute(
        select(User.id, User.name, User.email)
        .where(
            User.is_active.is_(True),
            User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(roles))),
        )
        .order_by(User.name)
    )
    return [(uid, f"{name} ({email})") for uid, name, email in rows]


def worksheet_titles(session: Session, locale: str) -> dict[str, str]:
    return {
        t.slug: t.text(locale)["title"] for t in session.scalars(select(WorksheetType).order_by(WorksheetType.position))
    }


@dataclass(frozen=True)
class AttendanceRow:
    user_id: int
    name: str
    team: str
    role: str
    status: str
    note: str


def list_attendance(session: Session, cohort_id: int, event_id: int) -> list[AttendanceRow]:
    """The cohort's participants (sponsors aside), by team, with what is recorded for the event (two statements)."""
    memberships = session.scalars(
        select(Membership)
        .join(Team, Membership.team_id == Team.id)
        .where(Team.cohort_id == cohort_id, Membership.role.in_(PARTICIPATING_ROLES))
        .options(joinedload(Membership.user), joinedload(Membership.team))
        .order_by(Team.project_title, Membership.id)
    ).all()
    marks = {a.user_id: a for a in session.scalars(select(Attendance).where(Attendance.event_id == event_id))}
    rows = []
    for membership in memberships:
        mark = marks.get(membership.user_id)
        rows.append(
            AttendanceRow(
                membership.user_id,
                membership.user.name,
                membership.team.project_title,
                membership.role_label,
                mark.status if mark else "",
                mark.note if mark else "",
            )
        )
    return rows
