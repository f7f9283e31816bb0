"""Read models for the participant's pages: their cohorts, the program overview, module texts, scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer, joinedload, selectinload

from qtp.catalog.models import Module, ModuleText, WorksheetType
from qtp.catalog.schedule import Event, phase_dates
from qtp.cohorts.models import Cohort, Membership, Team
from qtp.cohorts.queries import calendar_of
from qtp.progress import policy
from qtp.progress.models import KnowledgeCheckAttempt, ModuleProgress, SelfAssessment


def is_member(session: Session, user_id: int, cohort_id: int) -> bool:
    return (
        session.scalar(
            select(Membership.id).join(Team).where(Membership.user_id == user_id, Team.cohort_id == cohort_id).limit(1)
        )
        is not None
    )


@dataclass(frozen=True)
class PracticeLink:
    """A worksheet a module introduces, in the member's team workspace."""

    slug: str
    title: str
    is_repeatable: bool


def module_practice(
    session: Session, user_id: int, cohort_id: int, module: Module, locale: str
) -> tuple[int | None, list[PracticeLink]]:
    """The member's team in this cohort and the worksheets the module introduces, in module order."""
    team_id = session.scalar(
        select(Team.id).join(Membership).where(Membership.user_id == user_id, Team.cohort_id == cohort_id).limit(1)
    )
    if team_id is None or not module.worksheets:
        return team_id, []
    types = {
        t.slug: t
        for t in session.scalars(
            select(WorksheetType).where(WorksheetType.slug.in_(module.worksheets), WorksheetType.is_active.is_(True))
        )
    }
    links = [
        PracticeLink(slug, types[slug].text(locale)["title"], types[slug].is_repeatable)
        for slug in module.worksheets
        if slug in types
    ]
    return team_id, links


def list_learning_cohorts(session: Session, user_id: int) -> list[Cohort]:
    return list(
        session.scalars(
            select(Cohort)
            .join(Team, Team.cohort_id == Cohort.id)
            .join(Membership, Membership.team_id == Team.id)
            .where(Membership.user_id == user_id)
            .options(joinedload(Cohort.program))
            .order_by(Cohort.starts_on.desc())
        ).unique()
    )


def find_member_cohort(session: Session, user_id: int, cohort_id: int) -> Cohort | None:
    """The cohort, if the user is on one of its teams (otherwise it does not exist for them)."""
    if not is_member(session, user_id, cohort_id):
        return None
    return session.get(Cohort, cohort_id, options=[joinedload(Cohort.program)])


def find_module(session: Session, program_id: int, slug: str) -> Module | None:
    return session.scalar(
        select(Module)
        .where(Module.program_id == program_id, Module.slug == slug, Module.is_active)
        .options(selectinload(Module.texts))
    )


def text_for(module: Module, locale: str) -> ModuleText:
    """The module in `locale`, or in English when that language is missing (status tells which)."""
    by_locale = {t.locale: t for t in module.texts}
    return by_locale.get(locale) or by_locale["en"]


def completed_slugs(session: Session, user_id: int, program_id: int) -> set[str]:
    return set(
        session.scalars(
            select(Module.slug)
            .join(ModuleProgress, ModuleProgress.module_id == Module.id)
            .where(ModuleProgress.user_id == user_id, Module.program_id == program_id)
        )
    )


def module_access(
    session: Session, user_id: int, cohort: Cohort, module: Module, today: date, completed: set[str] | None = None
) -> policy.Access:
    """Whether the module is open to this member now: its phase has started and its prerequisites are done."""
    if completed is None:
        completed = completed_slugs(session, user_id, cohort.program_id)
    dates = phase_dates(cohort.program.config, cohort.starts_on, cohort.ends_on, cohort.phase_starts)
    starts = {p.id: p.starts_on for p in dates}
    return policy.module_access(starts.get(module.phase, cohort.starts_on), module.prerequisites, completed, today)


def taken_assessments(session: Session, user_id: int, cohort_id: int) -> set[str]:
    return set(
        session.scalars(
            select(SelfAssessment.kind).where(SelfAssessment.user_id == user_id, SelfAssessment.cohort_id == cohort_id)
        )
    )


def best_scores(session: Session, user_id: int, program_id: int) -> dict[int, int]:
    rows = session.execute(
        select(KnowledgeCheckAttempt.module_id, func.max(KnowledgeCheckAttempt.score))
        .join(Module, Module.id == KnowledgeCheckAttempt.module_id)
        .where(KnowledgeCheckAttempt.user_id == user_id, Module.program_id == program_id)
        .group_by(KnowledgeCheckAttempt.module_id)
    ).all()
    return dict(rows)


def find_attempt(session: Session, user_id: int, attempt_id: int) -> KnowledgeCheckAttempt | None:
    attempt = session.get(KnowledgeCheckAttempt, attempt_id)
    return attempt if attempt is not None and attempt.user_id == user_id else None


@dataclass(frozen=True)
class ModuleRow:
    slug: str
    title: str
    summary: str
    minutes: int
    is_complete: bool
    access: policy.Access
    missing_titles: list[str]
    best_score: int | None
    passed: bool
    text_status: str


@dataclass
class PhaseView:
    id: str
    title: str
    summary: str
    starts_on: date
    ends_on: date
    is_current: bool
    modules: list[ModuleRow] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(m.is_complete for m in self.modules)

    @property
    def percent(self) -> int:
        return self.done * 100 // len(self.modules) if self.modules else 0


@dataclass(frozen=True)
class AgendaItem:
    start: str
    end: str
    title: str
    module_slug: str | None


@dataclass
class Overview:
    cohort: Cohort
    phases: list[PhaseView]
    events: list[Event]
    assessments_taken: set[str]
    can_take: dict[str, bool]
    agenda: list[AgendaItem] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(p.done for p in self.phases)

    @property
    def total(self) -> int:
        return sum(len(p.modules) for p in self.phases)

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 0


def program_overview(session: Session, user_id: int, cohort: Cohort, locale: str, today: date) -> Overview:
    program = cohort.program
    modules = list(
        session.scalars(
            select(Module)
            .where(Module.program_id == program.id, Module.is_active)
            .options(  # what the overview shows of each module, not its lessons, checks and slides
                defer(Module.questions),
                selectinload(Module.texts).load_only(
                    ModuleText.locale, ModuleText.status, ModuleText.title, ModuleText.summary
                ),
            )
            .order_by(Module.position)
        )
    )
    completed = completed_slugs(session, user_id, program.id)
    scores = best_scores(session, user_id, program.id)
    titles = {m.slug: text_for(m, locale).title for m in modules}
    dates = phase_dates(program.config, cohort.starts_on, cohort.ends_on, cohort.phase_starts)
    phases = []
    for phase, when in zip(program.phases, dates, strict=True):
        view = PhaseView(
            id=phase["id"],
            title=phase["titles"].get(locale) or phase["titles"]["en"],
            summary=(phase.get("summaries") or {}).get(locale) or (phase.get("summaries") or {}).get("en", ""),
            starts_on=when.starts_on,
            ends_on=when.ends_on,
            is_current=when.starts_on <= today <= when.ends_on,
        )
        for module in modules:
            if module.phase != phase["id"]:
                continue
            text = text_for(module, locale)
            access = policy.module_access(when.starts_on, module.prerequisites, completed, today)
            best = scores.get(module.id)
            view.modules.append(
                ModuleRow(
                    slug=module.slug,
                    title=text.title,
                    summary=text.summary,
                    minutes=module.minutes,
                    is_complete=module.slug in completed,
                    access=access,
                    missing_titles=[titles.get(s, s) for s in access.missing],
                    best_score=best,
                    passed=best is not None and best >= program.pass_mark,
                    text_status=text.status,
                )
            )
        phases.append(view)
    taken = taken_assessments(session, user_id, cohort.id)
    has_assessment = bool(program.config.get("self_assessment"))
    last_start = dates[-1].starts_on if dates else cohort.starts_on
    can_take = {
        kind: has_assessment and policy.can_take_self_assessment(kind, taken, last_start, today)
        for kind in ("pre", "post")
    }
    agenda = [
        AgendaItem(
            item["start"],
            item["end"],
            titles.get(item["module"], "") if item["module"] else (item["titles"].get(locale) or item["titles"]["en"]),
            item["module"],
        )
        for item in program.config.get("agenda") or []
    ]
    return Overview(cohort, phases, calendar_of(cohort), taken, can_take, agenda)


def self_assessments(session: Session, user_id: int, cohort_id: int) -> dict[str, SelfAssessment]:
    rows = session.scalars(
        select(SelfAssessment).where(SelfAssessment.user_id == user_id, SelfAssessment.cohort_id == cohort_id)
    )
    return {row.kind: row for row in rows}


@dataclass(frozen=True)
class ModuleLink:
    slug: str
    number: int  # the module's place in the program, from 1
    title: str


@dataclass(frozen=True)
class ModulePlace:
    """Where a module sits in its program: its number, the module before and the one after (None at the ends)."""

    number: int
    total: int
    previous: ModuleLink | None
    next: ModuleLink | None


def module_place(session: Session, module: Module, locale: str) -> ModulePlace:
    """The module's neighbours in the program's order, titled in `locale` (English when that text is missing);
    one statement."""
    rows = session.execute(
        select(Module.slug, ModuleText.locale, ModuleText.title)
        .join(ModuleText, ModuleText.module_id == Module.id)
        .where(Module.program_id == module.program_id, Module.is_active, ModuleText.locale.in_({locale, "en"}))
        .order_by(Module.position, Module.id)
    ).all()
    order: list[str] = []
    titles: dict[str, str] = {}
    for slug, text_locale, title in rows:
        if slug not in titles:
            order.append(slug)
        if slug not in titles or text_locale == locale:
            titles[slug] = title
    links = [ModuleLink(slug, number, titles[slug]) for number, slug in enumerate(order, start=1)]
    index = order.index(module.slug) if module.slug in order else -1
    if index < 0:
        return ModulePlace(0, len(links), None, None)
    return ModulePlace(
        number=index + 1,
        total=len(links),
        previous=links[index - 1] if index > 0 else None,
        next=links[index + 1] if index + 1 < len(links) else None,
    )
