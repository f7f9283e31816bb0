"""What a participant's home page says to do next, across their teams: due worksheets and the next session,
modules to study, feedback to act on, and where each worksheet stands. Six statements, however many teams."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, lazyload

from qtp.catalog.models import Module, ModuleText, WorksheetType
from qtp.catalog.schedule import phase_dates
from qtp.certificates import facts, rules
from qtp.certificates.models import Certificate
from qtp.certificates.queries import in_force_of_user
from qtp.cohorts.models import Cohort, CohortEvent, WorksheetDue
from qtp.progress.tracking import Record, worksheet_cell
from qtp.review.models import Review
from qtp.worksheets.models import Worksheet, WorksheetStatus


@dataclass(frozen=True)
class DueItem:
    team_id: int
    slug: str
    title: str
    due_on: date
    is_late: bool
    status: str | None
    record_no: int


@dataclass(frozen=True)
class EventItem:
    cohort_id: int
    kind: str
    key: str
    title: str
    starts_on: date
    mode: str
    place: str


@dataclass(frozen=True)
class ModuleItem:
    cohort_id: int
    slug: str
    title: str
    minutes: int
    opens_on: date | None  # None: open now


@dataclass(frozen=True)
class FeedbackItem:
    team_id: int
    slug: str
    record_no: int
    title: str
    reviewer: str
    comment: str
    decided_on: date


@dataclass(frozen=True)
class CompletionView:
    team_id: int
    cohort_id: int
    cohort_name: str
    conditions: list[rules.Condition]
    complete: bool
    certificate: Certificate | None = None  # the participant's certificate in force for this cohort


@dataclass
class Summary:
    due: list[DueItem] = field(default_factory=list)
    next_event: EventItem | None = None
    modules: list[ModuleItem] = field(default_factory=list)
    feedback: list[FeedbackItem] = field(default_factory=list)
    worksheets: dict[int, list[tuple[str, str, str, int]]] = field(
        default_factory=dict
    )  # team: (slug, title, status, no)


def participant_summary(
    session: Session, user_id: int, teams: list[tuple[int, Cohort]], locale: str, today: date
) -> Summary:
    """`teams`: (team id, its cohort with the program loaded) for each of the user's teams."""
    summary = Summary()
    if not teams:
        return summary
    team_ids = [team_id for team_id, _cohort in teams]
    cohorts = {cohort.id: cohort for _team_id, cohort in teams}
    cohort_of_team = {team_id: cohort.id for team_id, cohort in teams}

    records: dict[tuple[int, str], list[Worksheet]] = {}
    titles: dict[str, str] = {}
    slugs: dict[int, str] = {}
    for worksheet, slug, *title in session.execute(
        select(Worksheet, WorksheetType.slug, *_title_columns(locale))
        .join(WorksheetType, WorksheetType.id == Worksheet.type_id)
        .options(defer(Worksheet.data), lazyload(Worksheet.type))  # the home page shows no answers
        .where(Worksheet.team_id.in_(team_ids))
        .order_by(Worksheet.type_id, Worksheet.record_no)
    ):
        slugs[worksheet.type_id] = slug
        titles[slug] = title[0] or title[1] or slug
        records.setdefault((worksheet.team_id, slug), []).append(worksheet)
        summary.worksheets.setdefault(worksheet.team_id, []).append(
            (slug, titles[slug], worksheet.status, worksheet.record_no)
        )

    due_rows = []
    due_titles = dict(titles)
    for due, *title in session.execute(
        select(WorksheetDue, *_title_columns(locale))
        .outerjoin(WorksheetType, WorksheetType.slug == WorksheetDue.worksheet_type)
        .where(WorksheetDue.cohort_id.in_(cohorts))
        .order_by(WorksheetDue.due_on)
    ):
        due_rows.append(due)
        if title[0] or title[1]:
            due_titles[due.worksheet_type] = title[0] or title[1]
    for team_id, _cohort in teams:
        for due in (d for d in due_rows if d.cohort_id == cohort_of_team[team_id]):
            found = records.get((team_id, due.worksheet_type), [])
            cell = worksheet_cell([Record(w.status, w.submitted_at) for w in found], due.due_on, today)
            if cell.status in (WorksheetStatus.SUBMITTED, WorksheetStatus.APPROVED):
                continue  # done, or with the reviewer
            summary.due.append(
                DueItem(
                    team_id,
                    due.worksheet_type,
                    due_titles.get(due.worksheet_type, due.worksheet_type),
                    due.due_on,
                    cell.is_late,
                    cell.status,
                    found[0].record_no if found else 1,
                )
            )
    summary.due = sorted(summary.due, key=lambda d: d.due_on)

    event = session.scalar(
        select(CohortEvent)
        .where(CohortEvent.cohort_id.in_(cohorts), CohortEvent.ends_on >= today)
        .order_by(CohortEvent.starts_on)
        .limit(1)
    )
    if event is not None:
        title = event.title_in(locale, cohorts[event.cohort_id].program.session_titles(locale))
        summary.next_event = EventItem(
            event.cohort_id, event.kind, event.key, title, event.starts_on, event.mode, event.place
        )

    summary.modules, modules, done, best = _modules_to_do(session, user_id, list(cohorts.values()), locale, today)
    summary.completion = _completion(session, user_id, teams, modules, done, best, records, due_rows)

    returned = [w for found in records.values() for w in found if w.status == WorksheetStatus.RETURNED]
    if returned:
        latest: dict[int, Review] = {}
        for review in session.scalars(
            select(Review).where(Review.worksheet_id.in_([w.id for w in returned])).order_by(Review.id)
        ):
            latest[review.worksheet_id] = review
        for worksheet in returned:
            review = latest.get(worksheet.id)
            if review is not None:
                summary.feedback.append(
                    FeedbackItem(
                        worksheet.team_id,
                        slugs[worksheet.type_id],
                        worksheet.record_no,
                        titles[slugs[worksheet.type_id]],
                        review.reviewer.name if review.reviewer else "",
                        review.comment,
                        review.created_at.date(),
                    )
                )
    return summary


def _title_columns(locale: str) -> tuple:
    """A worksheet type's title in `locale` and in English, read from its JSON by the database (its fields and
    rubric are not decoded for a title)."""
    return WorksheetType.texts[locale]["title"].as_string(), WorksheetType.texts["en"]["title"].as_string()


def _modules_to_do(
    session: Session, user_id: int, cohorts: list[Cohort], locale: str, today: date
) -> tuple[list[ModuleItem], list[Module], set[int], dict[int, int]]:
    """The next modules to study: open ones first (phase started, prerequisites done), then the next to open."""
    programs = {c.program_id: c for c in cohorts}
    titles: dict[int, str] = {}
    modules: list[Module] = []
    for module, text_locale, title in session.execute(  # the titles only, not the lessons
        select(Module, ModuleText.locale, ModuleText.title)
        .join(ModuleText, ModuleText.module_id == Module.id)
        .where(Module.program_id.in_(programs), Module.is_active, ModuleText.locale.in_((locale, "en")))
        .order_by(Module.program_id, Module.position)
    ):
        if module.id not in titles:
            modules.append(module)
        if text_locale == locale or module.id not in titles:
            titles[module.id] = title
    done, best = facts.module_results(session, user_id, [m.id for m in modules])
    completed_slugs = {(m.program_id, m.slug) for m in modules if m.id in done}
    items = []
    for module in modules:
        if module.id in done:
            continue
        cohort = programs[module.program_id]
        starts = {
            p.id: p.starts_on
            for p in phase_dates(cohort.program.config, cohort.starts_on, cohort.ends_on, cohort.phase_starts)
        }
        opens = starts.get(module.phase, cohort.starts_on)
        if any((module.program_id, slug) not in completed_slugs for slug in module.prerequisites) and opens <= today:
            continue  # waits for an earlier module, which is listed first
        items.append(
            ModuleItem(cohort.id, module.slug, titles[module.id], module.minutes, opens if opens > today else None)
        )
    return sorted(items, key=lambda i: i.opens_on or date.min), modules, done, best


def _completion(
    session: Session,
    user_id: int,
    teams: list[tuple[int, Cohort]],
    modules: list[Module],
    done: set[int],
    best: dict[int, int],
    records: dict[tuple[int, str], list[Worksheet]],
    due_rows: list[WorksheetDue],
) -> list[CompletionView]:
    """Each cohort's completion rule against what the participant (and the team) has done, and the certificates
    already issued: two statements."""
    held = in_force_of_user(session, user_id) if teams else {}
    sessions = facts.learning_sessions(session, user_id, {cohort.id for _team_id, cohort in teams})
    views = []
    for team_id, cohort in teams:
        rule = cohort.program.config.get("completion") or []
        if not rule:
            continue
        approved = {
            slug
            for (tid, slug), found in records.items()
            if tid == team_id and any(w.status == "approved" for w in found)
        }
        required = [d.worksheet_type for d in due_rows if d.cohort_id == cohort.id]
        known = facts.build(cohort, modules, done, best, required, approved, sessions.get(cohort.id, []))
        conditions = rules.evaluate(rule, known)
        views.append(
            CompletionView(
                team_id, cohort.id, cohort.name, conditions, rules.is_complete(conditions), held.get(cohort.id)
            )
        )
    return views
