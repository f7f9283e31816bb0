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


def best_scores(session: Session, user_id: int, module_ids: Iterable[int]) -> dict[int, int]:
    """{module id: best knowledge-check score} (one statement)."""
    rows = session.execute(
        select(KnowledgeCheckAttempt.module_id, func.max(KnowledgeCheckAttempt.score))
        .where(KnowledgeCheckAttempt.user_id == user_id, KnowledgeCheckAttempt.module_id.in_(list(module_ids)))
        .group_by(KnowledgeCheckAttempt.module_id)
    )
    return {module_id: int(score) for module_id, score in rows}


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
    """The cohort's completion rule for one participant of one team (six statements)."""
    rule = cohort.program.config.get("completion") or []
    modules = list(session.scalars(select(Module).where(Module.program_id == cohort.program_id, Module.is_active)))
    ids = [m.id for m in modules]
    done = set(
        session.scalars(
            select(ModuleProgress.module_id).where(ModuleProgress.user_id == user_id, ModuleProgress.module_id.in_(ids))
        )
    )
    required = list(session.scalars(select(WorksheetDue.worksheet_type).where(WorksheetDue.cohort_id == cohort.id)))
    approved = set(
        session.scalars(
            select(WorksheetType.slug)
            .join(Worksheet, Worksheet.type_id == WorksheetType.id)
            .where(Worksheet.team_id == team_id, Worksheet.status == WorksheetStatus.APPROVED)
        )
    )
    facts = build(
        cohort,
        modules,
        done,
        best_scores(session, user_id, ids),
        required,
        approved,
        learning_sessions(session, user_id, [cohort.id]).get(cohort.id, []),
    )
    return rules.evaluate(rule, facts)
