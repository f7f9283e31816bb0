"""The team's progress page: its people against the modules, its worksheets against the due dates, its
measures with their run charts, and its IHI progress score. A fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, joinedload

from qtp.catalog.models import WorksheetType
from qtp.cohorts.models import Cohort, Membership, Team, TeamRole
from qtp.measurement.queries import MeasureChart, list_measure_charts
from qtp.progress.dashboards import module_results, program_modules
from qtp.progress.models import ProgressScore
from qtp.progress.tracking import Cell, Record, worksheet_cell
from qtp.worksheets.models import Worksheet


def find_team(session: Session, team_id: int) -> Team | None:
    """The team with its practice, coach, cohort, program and due dates, in one statement."""
    return (
        session.scalars(
            select(Team)
            .where(Team.id == team_id)
            .options(
                joinedload(Team.organization),
                joinedload(Team.coach),
                joinedload(Team.cohort).options(joinedload(Cohort.program), joinedload(Cohort.due_dates)),
            )
        )
        .unique()
        .first()
    )


@dataclass(frozen=True)
class MemberProgress:
    name: str
    role: str
    role_label: str
    completed: int
    modules: int
    checks_passed: int
    best_mean: float | None  # mean of the best knowledge-check score of each module taken


@dataclass(frozen=True)
class WorksheetProgress:
    slug: str
    title: str
    repeatable: bool
    required: bool
    cell: Cell
    first_record: int | None  # the record to open (1 for single worksheets)


@dataclass
class TeamPage:
    members: list[MemberProgress]
    worksheets: list[WorksheetProgress]
    charts: list[MeasureChart]
    scores: list[ProgressScore]  # newest first

    @property
    def current_score(self) -> ProgressScore | None:
        return next((s for s in self.scores if s.is_confirmed), None)

    @property
    def pending_score(self) -> ProgressScore | None:
        latest = self.scores[0] if self.scores else None
        return latest if latest is not None and not latest.is_confirmed else None


def team_page(session: Session, team: Team, locale: str, today: date) -> TeamPage:
    cohort = team.cohort
    memberships = session.scalars(
        select(Membership).where(Membership.team_id == team.id).options(joinedload(Membership.user))
    ).all()
    modules = program_modules(session, cohort, locale)
    completed: dict[int, int] = {}
    best: dict[int, list[int]] = {}
    user_ids = [m.user_id for m in memberships]
    for user_id, _module_id, score in module_results(session, user_ids, cohort.program_id) if user_ids else []:
        if score is None:
            completed[user_id] = completed.get(user_id, 0) + 1
        else:
            best.setdefault(user_id, []).append(int(score))
    pass_mark = cohort.program.pass_mark
    order = list(TeamRole)
    members = [
        MemberProgress(
            m.user.name,
            m.role,
            m.role_label,
            completed.get(m.user_id, 0),
            len(modules),
            sum(1 for s in best.get(m.user_id, []) if s >= pass_mark),
            sum(best[m.user_id]) / len(best[m.user_id]) if best.get(m.user_id) else None,
        )
        for m in sorted(memberships, key=lambda m: (order.index(TeamRole(m.role)), m.user.name))
    ]

    # every active worksheet type, with the team's records of it (one statement)
    rows = session.execute(
        select(WorksheetType, Worksheet)
        .outerjoin(Worksheet, and_(Worksheet.type_id == WorksheetType.id, Worksheet.team_id == team.id))
        .where(WorksheetType.is_active.is_(True))
        .order_by(WorksheetType.position, Worksheet.record_no)
    ).all()
    due = {d.worksheet_type: d.due_on for d in cohort.due_dates}
    by_type: dict[str, tuple[WorksheetType, list[Worksheet]]] = {}
    records: list[Worksheet] = []
    for wtype, worksheet in rows:
        entry = by_type.setdefault(wtype.slug, (wtype, []))
        if worksheet is not None:
            entry[1].append(worksheet)
            records.append(worksheet)
    worksheets = []
    for slug, (wtype, found) in by_type.items():
        cell = worksheet_cell([Record(w.status, w.submitted_at) for w in found], due.get(slug), today)
        worksheets.append(
            WorksheetProgress(
                slug,
                wtype.text(locale)["title"],
                wtype.is_repeatable,
                slug in due,
                cell,
                found[0].record_no if found else (None if wtype.is_repeatable else 1),
            )
        )
    worksheets.sort(key=lambda w: (not w.required, due.get(w.slug) or date.max))
    charts = list_measure_charts(session, team.id, records=records)
    scores = list(
        session.scalars(
            select(ProgressScore)
            .where(ProgressScore.team_id == team.id)
            .order_by(ProgressScore.proposed_at.desc(), ProgressScore.id.desc())
        )
    )
    return TeamPage(members, worksheets, charts, scores)
