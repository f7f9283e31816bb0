"""Read models of the progress pages for faculty, coaches and admins: a cohort's teams against the schedule,
its members against the modules and sessions, and its self-assessment gains; and one team's page.

Each builds from a fixed number of statements, whatever the number of teams and members.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import Session

from qtp.accounts.models import Organization, User
from qtp.catalog.models import Module, ModuleText, WorksheetType
from qtp.cohorts.models import PARTICIPATING_ROLES, TEAM_ROLE_LABELS, Attendance, Cohort, Membership, Team
from qtp.progress.models import KnowledgeCheckAttempt, ModuleProgress, ProgressScore, SelfAssessment
from qtp.progress.tracking import Cell, Gain, Record, self_assessment_gains, worksheet_cell
from qtp.worksheets.models import Worksheet


@dataclass(frozen=True)
class Column:
    key: str
    title: str


@dataclass
class TeamScore:
    confirmed: str | None = None  # the latest score confirmed by the coach
    confirmed_at: date | None = None
    pending: str | None = None  # a proposal waiting for the coach
    pending_id: int | None = None


@dataclass
class TeamRow:
    id: int
    project_title: str
    organization: str
    coach: str
    cells: dict[str, Cell]
    score: TeamScore

    @property
    def approved(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.is_done)

    @property
    def late(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.is_late)


def required_columns(session: Session, cohort: Cohort, locale: str) -> list[Column]:
    """The cohort's required worksheets in due-date order, with their titles (one statement)."""
    slugs = [d.worksheet_type for d in cohort.due_dates]
    titles = {  # only the titles are read out of the types' texts (JSON paths, on SQLite and PostgreSQL alike)
        slug: title or english
        for slug, title, english in session.execute(
            select(
                WorksheetType.slug,
                WorksheetType.texts[locale]["title"].as_string(),
                WorksheetType.texts["en"]["title"].as_string(),
            ).where(WorksheetType.slug.in_(slugs))
        )
    }
    return [Column(slug, titles.get(slug) or slug) for slug in slugs]


def scores_by_team(session: Session, team_ids: Select[tuple[int]]) -> dict[int, TeamScore]:
    """Latest confirmed and pending progress score of each team (one statement)."""
    result: dict[int, TeamScore] = defaultdict(TeamScore)
    rows = session.execute(
        select(
            ProgressScore.id,
            ProgressScore.team_id,
            ProgressScore.proposed_score,
            ProgressScore.confirmed_score,
            ProgressScore.confirmed_at,
        )
        .where(ProgressScore.team_id.in_(team_ids))
        .order_by(ProgressScore.proposed_at, ProgressScore.id)
    )
    for score_id, team_id, proposed, confirmed, confirmed_at in rows:
        score = result[team_id]
        if confirmed_at is not None:
            score.confirmed, score.confirmed_at = confirmed, confirmed_at.date()
            if score.pending_id == score_id:
                score.pending, score.pending_id = None, None
        else:
            score.pending, score.pending_id = proposed, score_id
    return result


def teams_dashboard(session: Session, cohort: Cohort, locale: str, today: date) -> tuple[list[Column], list[TeamRow]]:
    """Teams x required worksheets (status and lateness) with their progress scores. Four statements."""
    columns = required_columns(session, cohort, locale)
    due = {d.worksheet_type: d.due_on for d in cohort.due_dates}
    teams = session.execute(  # plain columns: a dashboard row needs no ORM object
        select(Team.id, Team.project_title, Organization.name, User.name)
        .join(Organization, Team.organization_id == Organization.id)
        .outerjoin(User, Team.coach_id == User.id)
        .where(Team.cohort_id == cohort.id)
        .order_by(Team.project_title)
    ).all()
    team_ids = select(Team.id).where(Team.cohort_id == cohort.id)
    records: dict[tuple[int, str], list[Record]] = defaultdict(list)
    for team_id, slug, status, submitted_at in session.execute(
        select(Worksheet.team_id, WorksheetType.slug, Worksheet.status, Worksheet.submitted_at)
        .join(WorksheetType, Worksheet.type_id == WorksheetType.id)
        .where(Worksheet.team_id.in_(team_ids))
    ):
        records[(team_id, slug)].append(Record(status, submitted_at))
    scores = scores_by_team(session, team_ids)
    rows = [
        TeamRow(
            id=team_id,
            project_title=title,
            organization=organization,
            coach=coach or "",
            cells={c.key: worksheet_cell(records.get((team_id, c.key), []), due.get(c.key), today) for c in columns},
            score=scores.get(team_id) or TeamScore(),
        )
        for team_id, title, organization, coach in teams
    ]
    return columns, rows


@dataclass
class MemberRow:
    user_id: int
    name: str
    team: str
    role: str
    completed: set[int] = field(default_factory=set)  # module ids
    best: dict[int, int] = field(default_factory=dict)  # module id -> best knowledge-check score
    attendance: dict[int, str] = field(default_factory=dict)  # event id -> status

    @property
    def attended(self) -> int:
        return sum(1 for status in self.attendance.values() if status in ("present", "excused"))


def program_modules(session: Session, cohort: Cohort, locale: str) -> list[Column]:
    """The program's active modules with their titles in `locale` (English when missing): one statement."""
    rows = session.execute(
        select(Module.id, ModuleText.locale, ModuleText.title)
        .join(ModuleText, ModuleText.module_id == Module.id)
        .where(Module.program_id == cohort.program_id, Module.is_active, ModuleText.locale.in_((locale, "en")))
        .order_by(Module.position)
    ).all()
    titles: dict[int, str] = {}
    for module_id, text_locale, title in rows:
        if text_locale == locale or module_id not in titles:
            titles[module_id] = title
    return [Column(str(module_id), title) for module_id, title in titles.items()]


def module_results(session: Session, user_ids, program_id: int) -> list[tuple[int, int, int | None]]:
    """(user, module, None) for each completed module and (user, module, best score) for each check taken:
    one statement for both."""
    completed = (
        select(ModuleProgress.user_id, ModuleProgress.module_id, literal(None).label("score"))
        .join(Module, Module.id == ModuleProgress.module_id)
        .where(ModuleProgress.user_id.in_(user_ids), Module.program_id == program_id)
    )
    best = (
        select(KnowledgeCheckAttempt.user_id, KnowledgeCheckAttempt.module_id, func.max(KnowledgeCheckAttempt.score))
        .join(Module, Module.id == KnowledgeCheckAttempt.module_id)
        .where(KnowledgeCheckAttempt.user_id.in_(user_ids), Module.program_id == program_id)
        .group_by(KnowledgeCheckAttempt.user_id, KnowledgeCheckAttempt.module_id)
    )
    return session.execute(completed.union_all(best)).all()  # type: ignore[return-value]


def members_dashboard(session: Session, cohort: Cohort, locale: str) -> tuple[list[Column], list, list[MemberRow]]:
    """Members x modules (completion, best check score) and learning-session attendance. Four statements
    (the cohort's events are loaded with it)."""
    modules = program_modules(session, cohort, locale)
    memberships = session.execute(  # plain columns: a dashboard row needs no ORM object
        select(Membership.user_id, User.name, Team.project_title, Membership.role)
        .join(Team, Membership.team_id == Team.id)
        .join(User, Membership.user_id == User.id)
        .where(Team.cohort_id == cohort.id, Membership.role.in_(PARTICIPATING_ROLES))
        .order_by(Team.project_title, Membership.id)
    ).all()
    labels = {role.value: str(label) for role, label in TEAM_ROLE_LABELS.items()}
    rows = {uid: MemberRow(uid, name, title, labels.get(role, role)) for uid, name, title, role in memberships}
    user_ids = (
        select(Membership.user_id)
        .join(Team, Membership.team_id == Team.id)
        .where(Team.cohort_id == cohort.id, Membership.role.in_(PARTICIPATING_ROLES))
    )
    for user_id, module_id, score in module_results(session, user_ids, cohort.program_id):
        row = rows.get(user_id)
        if row is None:
            continue
        if score is None:
            row.completed.add(module_id)
        else:
            row.best[module_id] = int(score)
    sessions = [e for e in cohort.events if e.is_learning_session]
    if sessions:
        for user_id, event_id, status in session.execute(
            select(Attendance.user_id, Attendance.event_id, Attendance.status).where(
                Attendance.event_id.in_([e.id for e in sessions])
            )
        ):
            if user_id in rows:
                rows[user_id].attendance[event_id] = status
    return modules, sessions, list(rows.values())


def self_assessment_dashboard(session: Session, cohort: Cohort, locale: str) -> tuple[list[Column], list[Gain], int]:
    """Mean pre/post change per topic, with counts (one statement)."""
    config = cohort.program.config.get("self_assessment") or {}
    topics = [Column(t["id"], t["titles"].get(locale) or t["titles"]["en"]) for t in config.get("topics") or []]
    pre: dict[int, dict] = {}
    post: dict[int, dict] = {}
    for user_id, kind, ratings in session.execute(
        select(SelfAssessment.user_id, SelfAssessment.kind, SelfAssessment.ratings).where(
            SelfAssessment.cohort_id == cohort.id
        )
    ):
        (pre if kind == "pre" else post)[user_id] = ratings or {}
    gains = self_assessment_gains([t.key for t in topics], pre, post)
    return topics, gains, int(config.get("scale") or 10)
