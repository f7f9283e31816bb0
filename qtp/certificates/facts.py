"""What the completion rule is evaluated against, read from the database: one place for the home page (all of
a participant's teams at once) and for issuing a certificate (one participant, one cohort)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from qtp.catalog.models import Module, WorksheetType
from qtp.certificates import rules
from qtp.cohorts.models import Attendance, Cohort, CohortEvent, EventKind, WorksheetDue
from qtp.progress.models import KnowledgeCheckAttempt, ModuleProgress
from qtp.worksheets.models import Worksheet, WorksheetStatus

ATTENDED = ("present", "excused")  # an absence an admin excused counts as present


def module_results(session: Session, user_id: int, module_ids: Iterable[int]) -> tuple[set[int], dict[int, int]]:
    """The modules the participant completed, and their best knowledge-check score per module (one statement)."""
    completed = (
        select(ModuleProgress.id)
        .where(ModuleProgress.user_id == user_id, ModuleProgress.module_id == Module.id)
        .exists()
    )
    best = (
        select(func.max(KnowledgeCheckAttempt.score))
        .where(KnowledgeCheckAttempt.user_id == user_id, KnowledgeCheckAttempt.module_id == Module.id)
        .scalar_subquery()
    )
    done: set[int] = set()
    scores: dict[int, int] = {}
    for module_id, is_done, score in session.execute(
        select(Module.id, completed, best).where(Module.id.in_(list(module_ids)))
    ):
        if is_done:
            done.add(module_id)
        if score is not None:
            scores[module_id] = int(score)
    return done, scores


def learning_sessions(
    session: Session, user_id: int, cohort_ids: Iterable[int]
) -> dict[int, list[tuple[str, str | None]]]:
    """{cohort id: [(session key, the participant's attendance or None)]}, in date order (one statement)."""
    found: dict[int, list[tuple[str, str | None]]] = {}
    for cohort_id, key, status in session.execute(
        select(CohortEvent.cohort_id, CohortEvent.key, Attendance.status)
        .outerjoin(Attendance, and_(Attendance.event_id == CohortEvent.id, Attendance.user_id == user_id))
        .where(CohortEvent.cohort_id.in_(list(cohort_ids)), CohortEvent.kind == EventKind.LEARNING_SESSION)
        .order_by(CohortEvent.starts_on)
    ):
        found.setdefault(cohort_id, []).append((key, status))
    return found


def build(
    cohort: Cohort,
    modules: list[Module],
    done: set[int],
    best: dict[int, int],
    required: list[str],
    approved: set[str],
    sessions: list[tuple[str, str | None]],
) -> rules.Facts:
    """The facts of one participant in one cohort; `modules` may hold other programs' modules too."""
    mine = [m for m in modules if m.program_id == cohort.program_id]
    return rules.Facts(
        modules=[m.slug for m in mine],
        completed={m.slug for m in mine if m.id in done},
        checked_modules=[m.slug for m in mine if m.questions],
        best_scores={m.slug: best[m.id] for m in mine if m.id in best},
        pass_mark=cohort.program.pass_mark,
        required_worksheets=required,
        approved_worksheets=approved,
        sessions=[key for key, _status in sessions],
        attended={key for key, status in sessions if status in ATTENDED},
    )


def completion_for(session: Session, user_id: int, team_id: int, cohort: Cohort) -> list[rules.Condition]:
    """The cohort's completion rule for one participant of one team."""
    return completion_for_cohort(session, cohort, [(user_id, team_id)])[user_id]


def completion_for_cohort(
    session: Session, cohort: Cohort, members: list[tuple[int, int]]
) -> dict[int, list[rules.Condition]]:
    """The completion rule for every participant of a cohort at once: {user id: conditions}, from
    `members` as (user id, team id) pairs (seven statements, whatever the cohort's size)."""
    rule = cohort.program.config.get("completion") or []
    user_ids = [user_id for user_id, _team_id in members]
    team_ids = {team_id for _user_id, team_id in members}
    modules = list(session.scalars(select(Module).where(Module.program_id == cohort.program_id, Module.is_active)))
    module_ids = [m.id for m in modules]
    done: dict[int, set[int]] = {}
    for user_id, module_id in session.execute(
        select(ModuleProgress.user_id, ModuleProgress.module_id).where(
            ModuleProgress.user_id.in_(user_ids), ModuleProgress.module_id.in_(module_ids)
        )
    ):
        done.setdefault(user_id, set()).add(module_id)
    best: dict[int, dict[int, int]] = {}
    for user_id, module_id, score in session.execute(
        select(KnowledgeCheckAttempt.user_id, KnowledgeCheckAttempt.module_id, func.max(KnowledgeCheckAttempt.score))
        .where(KnowledgeCheckAttempt.user_id.in_(user_ids), KnowledgeCheckAttempt.module_id.in_(module_ids))
        .group_by(KnowledgeCheckAttempt.user_id, KnowledgeCheckAttempt.module_id)
    ):
        best.setdefault(user_id, {})[module_id] = int(score)
    required = list(session.scalars(select(WorksheetDue.worksheet_type).where(WorksheetDue.cohort_id == cohort.id)))
    approved: dict[int, set[str]] = {}
    for team_id, slug in session.execute(
        select(Worksheet.team_id, WorksheetType.slug)
        .join(WorksheetType, Worksheet.type_id == WorksheetType.id)
        .where(Worksheet.team_id.in_(team_ids), Worksheet.status == WorksheetStatus.APPROVED)
    ):
        approved.setdefault(team_id, set()).add(slug)
    events = list(
        session.execute(
            select(CohortEvent.id, CohortEvent.key)
            .where(CohortEvent.cohort_id == cohort.id, CohortEvent.kind == EventKind.LEARNING_SESSION)
            .order_by(CohortEvent.starts_on)
        )
    )
    statuses = {
        (user_id, event_id): status
        for user_id, event_id, status in session.execute(
            select(Attendance.user_id, Attendance.event_id, Attendance.status).where(
                Attendance.event_id.in_([event_id for event_id, _key in events]), Attendance.user_id.in_(user_ids)
            )
        )
    }
    found = {}
    for user_id, team_id in members:
        sessions = [(key, statuses.get((user_id, event_id))) for event_id, key in events]
        known = build(
            cohort,
            modules,
            done.get(user_id, set()),
            best.get(user_id, {}),
            required,
            approved.get(team_id, set()),
            sessions,
        )
        found[user_id] = rules.evaluate(rule, known)
    return found
