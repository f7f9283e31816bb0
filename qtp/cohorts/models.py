"""Cohorts, teams, memberships (leader, core, extended, sponsor) and staff (faculty, coach)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qtp.accounts.models import Organization, User
from qtp.catalog.models import Program
from qtp.core.db import Base, TimestampMixin, utcnow


class CohortStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    FINISHED = "finished"


COHORT_STATUS_LABELS = {
    CohortStatus.PLANNED: _l("Planned"),
    CohortStatus.ACTIVE: _l("In progress"),
    CohortStatus.FINISHED: _l("Finished"),
}


class TeamRole(StrEnum):
    LEADER = "leader"
    CORE = "core"
    EXTENDED = "extended"
    SPONSOR = "sponsor"


# The roles that take part in the program: study the modules, attend the sessions, earn the certificate.
# Sponsors are kept informed and are not expected at sessions.
PARTICIPATING_ROLES = (TeamRole.LEADER, TeamRole.CORE, TeamRole.EXTENDED)

TEAM_ROLE_LABELS = {
    TeamRole.LEADER: _l("Team leader"),
    TeamRole.CORE: _l("Core team member"),
    TeamRole.EXTENDED: _l("Extended team member"),
    TeamRole.SPONSOR: _l("Sponsor"),
}


class StaffRole(StrEnum):
    FACULTY = "faculty"
    COACH = "coach"


STAFF_ROLE_LABELS = {StaffRole.FACULTY: _l("Faculty"), StaffRole.COACH: _l("Improvement coach")}


class Cohort(TimestampMixin, Base):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="RESTRICT"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(10), default="en")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default=CohortStatus.PLANNED)
    # {phase id: ISO date} where the cohort's phases start, when set by an admin (else program.yaml's days)
    phase_starts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    program: Mapped[Program] = relationship(lazy="joined")
    teams: Mapped[list[Team]] = relationship(back_populates="cohort", order_by="Team.project_title")
    events: Mapped[list[CohortEvent]] = relationship(
        back_populates="cohort", order_by="(CohortEvent.starts_on, CohortEvent.kind)", cascade="all, delete-orphan"
    )
    due_dates: Mapped[list[WorksheetDue]] = relationship(
        back_populates="cohort", order_by="WorksheetDue.due_on", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return str(COHORT_STATUS_LABELS.get(CohortStatus(self.status), self.status))


class Team(TimestampMixin, Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("cohort_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    project_title: Mapped[str] = mapped_column(String(300))
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The public graduates page: shown only when the team's leader (or an admin) opted in, with one result line.
    graduate_listed: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    graduate_result: Mapped[str] = mapped_column(String(300), default="", server_default="")

    cohort: Mapped[Cohort] = relationship(back_populates="teams")
    organization: Mapped[Organization] = relationship()
    coach: Mapped[User | None] = relationship(foreign_keys=[coach_id])
    memberships: Mapped[list[Membership]] = relationship(back_populates="team", cascade="all, delete-orphan")


class Membership(TimestampMixin, Base):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id"),
        # A team has exactly one leader: the database refuses a second.
        Index(
            "uq_memberships_one_leader",
            "team_id",
            unique=True,
            sqlite_where=text("role = 'leader'"),
            postgresql_where=text("role = 'leader'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    team: Mapped[Team] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    @property
    def role_label(self) -> str:
        return str(TEAM_ROLE_LABELS.get(TeamRole(self.role), self.role))


class StaffAssignment(TimestampMixin, Base):
    __tablename__ = "staff_assignments"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    cohort: Mapped[Cohort] = relationship()
    user: Mapped[User] = relationship()

    @property
    def role_label(self) -> str:
        return str(STAFF_ROLE_LABELS.get(StaffRole(self.role), self.role))


class EventKind(StrEnum):
    LEARNING_SESSION = "learning_session"
    COACHING_CALL = "coaching_call"


class EventMode(StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"


EVENT_MODE_LABELS = {EventMode.IN_PERSON: _l("In person"), EventMode.VIRTUAL: _l("Virtual")}


class CohortEvent(Base):
    """A learning session (or the one-day workshop) or a coaching call of a cohort: created from program.yaml
    when the cohort is created, then moved or placed by admins, who may also add events of their own (with a
    title, keys `added-1`, `added-2`...) and remove those nobody's attendance was recorded for."""

    __tablename__ = "cohort_events"
    __table_args__ = (UniqueConstraint("cohort_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(40))  # ls1, workshop, call-3: the id in program.yaml
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    mode: Mapped[str] = mapped_column(String(20), default=EventMode.IN_PERSON)
    place: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200), default="", server_default="")  # set for added events

    cohort: Mapped[Cohort] = relationship(back_populates="events")

    def title_in(self, locale: str, session_titles: dict[str, str] | None = None) -> str:
        """The event's name for a reader of `locale`: the title an admin gave it, else the program's title of
        the session, else "Coaching call n". `session_titles` (Program.session_titles) saves a lookup per event."""
        if self.title:
            return self.title
        titles = session_titles if session_titles is not None else self.cohort.program.session_titles(locale)
        if self.key in titles:
            return titles[self.key]
        if self.kind == EventKind.COACHING_CALL:
            number = self.key.rsplit("-", 1)[-1]
            return _("Coaching call %(number)s", number=number) if number.isdigit() else _("Coaching call")
        return _("Learning session")

    @property
    def is_learning_session(self) -> bool:
        return self.kind == EventKind.LEARNING_SESSION

    @property
    def mode_label(self) -> str:
        return str(EVENT_MODE_LABELS.get(EventMode(self.mode), self.mode))


class WorksheetDue(Base):
    """When a required worksheet is due for a cohort (program.yaml's default, editable by admins)."""

    __tablename__ = "worksheet_due_dates"
    __table_args__ = (UniqueConstraint("cohort_id", "worksheet_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    worksheet_type: Mapped[str] = mapped_column(String(40))  # a worksheet type's slug
    due_on: Mapped[date]

    cohort: Mapped[Cohort] = relationship(back_populates="due_dates")


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT: _l("Present"),
    AttendanceStatus.ABSENT: _l("Absent"),
    AttendanceStatus.EXCUSED: _l("Excused"),
}


class Attendance(Base):
    """Whether a participant attended a learning session, as recorded by faculty or an admin."""

    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("cohort_events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(300), default="")  # the reason of an excused absence
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[CohortEvent] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
