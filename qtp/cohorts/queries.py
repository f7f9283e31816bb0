"""Read models of cohorts and teams for pages (eager loading, plain dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from qtp.catalog.schedule import Event, events
from qtp.cohorts.models import (
    STAFF_ROLE_LABELS,
    Cohort,
    CohortEvent,
    CohortStatus,
    EventKind,
    Membership,
    StaffAssignment,
    StaffRole,
    Team,
    TeamRole,
)

ROLE_ORDER = [role.value for role in TeamRole]


def staff_roles(session: Session, user_id: int, cohort_id: int) -> set[str]:
    """The user's roles on the cohort's staff (faculty, coach), empty for anyone else."""
    return set(
        session.scalars(
            select(StaffAssignment.role).where(
                StaffAssignment.cohort_id == cohort_id, StaffAssignment.user_id == user_id
            )
        )
    )


def calendar_of(cohort: Cohort) -> list[Event]:
    """The cohort's learning sessions and coaching calls: as stored for the cohort (set up from program.yaml
    when it was created, then edited by admins), or computed from program.yaml for an older cohort."""
    if not cohort.events:
        return events(cohort.program.config, cohort.starts_on)
    titles = {s["id"]: s["titles"] for s in cohort.program.config.get("learning_sessions") or []}
    return [
        Event(e.kind, e.key, e.starts_on, e.ends_on, e.mode, {"en": e.title} if e.title else titles.get(e.key, {}),
              e.place)
        for e in cohort.events
    ]


_STATUS_ORDER = {CohortStatus.ACTIVE: 0, CohortStatus.PLANNED: 1, CohortStatus.FINISHED: 2}


@dataclass(frozen=True)
class TeamMemberView:
    name: str
    role: str
    role_label: str


@dataclass(frozen=True)
class TeamView:
    id: int
    cohort_id: int
    project_title: str
    organization: str
    country: str
    city: str
    cohort_name: str
    program_title: str
    program_format: str
    starts_on: date
    ends_on: date
    coach_name: str | None
    my_role_label: str | None
    members: list[TeamMemberView] = field(default_factory=list)
    my_role: str | None = None  # leader | core | extended | sponsor, for the member's own teams

    @property
    def submits(self) -> bool:
        """Whether the viewer sends this team's worksheets for review (the team leader does)."""
        return self.my_role == "leader"

    @property
    def leaders(self) -> list[str]:
        return [m.name for m in self.members if m.role == "leader"]


@dataclass(frozen=True)
class CohortView:
    id: int
    name: str
    program_title: str
    status: str
    status_label: str
    starts_on: date
    ends_on: date
    my_roles: list[str]
    teams: list[TeamView]
    sessions: list[SessionLink] = field(default_factory=list)


@dataclass(frozen=True)
class SessionLink:
    """A learning session of a cohort as staff reach its attendance sheet: event id, title, dates."""

    event_id: int
    title: str
    starts_on: date
    ends_on: date


def _team_view(team: Team, locale: str, my_role_label: str | None, my_role: str | None = None) -> TeamView:
    cohort = team.cohort
    members = sorted(team.memberships, key=lambda m: (ROLE_ORDER.index(m.role), m.user.name))
    return TeamView(
        id=team.id,
        cohort_id=team.cohort_id,
        project_title=team.project_title,
        organization=team.organization.name,
        country=team.organization.country,
        city=team.organization.city,
        cohort_name=cohort.name,
        program_title=cohort.program.title(locale),
        program_format=cohort.program.format_label,
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        coach_name=team.coach.name if team.coach else None,
        my_role_label=my_role_label,
        members=[TeamMemberView(m.user.name, m.role, m.role_label) for m in members],
        my_role=my_role,
    )


# Team.cohort is not listed: staff pages have the cohorts in the session already (a many-to-one lazy load
# then reads the identity map without SQL); member pages load it explicitly.
_TEAM_LOADS = (
    selectinload(Team.organization),
    selectinload(Team.coach),
    selectinload(Team.memberships).joinedload(Membership.user),
)


def list_teams_of_member(session: Session, user_id: int, locale: str) -> list[TeamView]:
    memberships = session.scalars(
        select(Membership)
        .where(Membership.user_id == user_id)
        .options(
            joinedload(Membership.team).options(
                joinedload(Team.cohort).joinedload(Cohort.program),
                joinedload(Team.organization),
                joinedload(Team.coach),
                selectinload(Team.memberships).joinedload(Membership.user),
            )
        )
    ).all()
    views = [_team_view(m.team, locale, m.role_label, m.role) for m in memberships]
    return sorted(views, key=lambda v: v.starts_on, reverse=True)


def list_cohorts_of_staff(
    session: Session, user_id: int, locale: str, with_sessions: bool = True
) -> list[CohortView]:
    """The cohorts a staff member is assigned to; `with_sessions=False` skips their learning sessions."""
    assignments = session.scalars(
        select(StaffAssignment)
        .where(StaffAssignment.user_id == user_id)
        .options(selectinload(StaffAssignment.cohort).joinedload(Cohort.program))
    ).all()
    roles_by_cohort: dict[int, list[str]] = {}
    for assignment in assignments:
        roles_by_cohort.setdefault(assignment.cohort_id, []).append(assignment.role)
    if not roles_by_cohort:
        return []
    teams = session.scalars(
        select(Team).where(Team.cohort_id.in_(roles_by_cohort)).options(*_TEAM_LOADS).order_by(Team.project_title)
    ).all()
    coached_ids = {team.id for team in teams if team.coach_id == user_id}
    sessions = (
        session.scalars(
            select(CohortEvent)
            .where(CohortEvent.cohort_id.in_(roles_by_cohort), CohortEvent.kind == EventKind.LEARNING_SESSION)
            .order_by(CohortEvent.starts_on, CohortEvent.id)
        ).all()
        if with_sessions
        else []
    )
    cohorts: dict[int, CohortView] = {}
    for assignment in assignments:
        cohort = assignment.cohort
        if cohort.id in cohorts:
            continue
        cohort_teams = [
            _team_view(t, locale, str(STAFF_ROLE_LABELS[StaffRole.COACH]) if t.id in coached_ids else None)
            for t in teams
            if t.cohort_id == cohort.id
        ]
        cohorts[cohort.id] = CohortView(
            id=cohort.id,
            name=cohort.name,
            program_title=cohort.program.title(locale),
            status=cohort.status,
            status_label=cohort.status_label,
            starts_on=cohort.starts_on,
            ends_on=cohort.ends_on,
            my_roles=sorted(set(roles_by_cohort[cohort.id])),
            teams=sorted(cohort_teams, key=lambda t: (t.id not in coached_ids, t.project_title)),
            sessions=[
                SessionLink(e.id, e.title_in(locale, titles), e.starts_on, e.ends_on)
                for titles in [cohort.program.session_titles(locale)]
                for e in sessions
                if e.cohort_id == cohort.id
            ],
        )
    # cohorts in progress first, then planned, then finished; the most recent first within each
    return sorted(cohorts.values(), key=lambda c: (_STATUS_ORDER.get(c.status, 9), -c.starts_on.toordinal()))
