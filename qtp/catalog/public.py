"""Read models of the public program pages: the authored page of each program in the reader's language, with the
program's own data beside it (phases and their modules, learning sessions, coaching calls, the workshop's agenda,
the countries where it is available, the worksheets a team hands in), counted in weeks from the cohort's start.

Everything here derives from the content, which changes only at a sync: the views are built once per language
and content version (`content_version`, one small statement) and kept in the process, as plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import has_request_context, request
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, undefer

from qtp.catalog.content_base import FORMATS, SOURCE_LOCALE
from qtp.catalog.models import Module, Program, WorksheetType
from qtp.core.i18n import country_name, fold


def week_of(day: int) -> int:
    """Day 0 to 6 of a cohort is its week 1."""
    return day // 7 + 1


@dataclass(frozen=True)
class PhaseRow:
    title: str
    summary: str
    week: int
    modules: list[str]


@dataclass(frozen=True)
class SessionRow:
    title: str
    week: int
    days: int
    mode: str


@dataclass(frozen=True)
class Coaching:
    calls: int
    minutes: int
    every_days: int
    first_week: int
    last_week: int
    mode: str


@dataclass(frozen=True)
class WorksheetRow:
    title: str
    week: int  # the week of the course in which it is due


@dataclass(frozen=True)
class AgendaRow:
    start: str
    end: str
    title: str


@dataclass(frozen=True)
class ProgramInfo:
    """What the public pages show of a program, detached from the database session."""

    id: int
    slug: str
    format: str
    format_label: str
    titles: dict[str, str]
    config: dict[str, Any]

    def title(self, locale: str) -> str:
        return self.titles.get(locale) or self.titles.get(SOURCE_LOCALE) or self.slug

    @classmethod
    def of(cls, program: Program) -> ProgramInfo:
        return cls(program.id, program.slug, program.format, program.format_label, program.titles, program.config)


@dataclass
class ProgramPageView:
    program: ProgramInfo
    locale: str
    page: dict[str, Any]
    summary: str
    module_count: int
    study_minutes: int
    phases: list[PhaseRow] = field(default_factory=list)
    sessions: list[SessionRow] = field(default_factory=list)
    coaching: Coaching | None = None
    agenda: list[AgendaRow] = field(default_factory=list)
    countries: list[tuple[str, str]] = field(default_factory=list)
    worksheets: list[WorksheetRow] = field(default_factory=list)

    @property
    def in_english_instead(self) -> bool:
        """The reader's language has no translation of the page: the English text is shown."""
        return self.locale != SOURCE_LOCALE and self.page["status"] == "missing"

    @property
    def session_days(self) -> int:
        return sum(row.days for row in self.sessions)

    @property
    def study_hours(self) -> int:
        return round(self.study_minutes / 60) or 1

    @property
    def weeks(self) -> int:
        """The weeks from the cohort's first day to the end of its last learning session."""
        days = [item["day"] + item["days"] - 1 for item in self.program.config.get("learning_sessions") or []]
        return week_of(max(days, default=0))

    @property
    def in_person_sessions(self) -> int:
        return sum(1 for row in self.sessions if row.mode == "in_person")


def _ordered(programs: list[Program]) -> list[Program]:
    rank = {name: index for index, name in enumerate(FORMATS)}
    return sorted((p for p in programs if p.pages), key=lambda p: (rank.get(p.format, len(rank)), p.slug))


def public_programs(session: Session) -> list[Program]:
    """The programs that have a public page: the six-month program first, then the one-day workshop."""
    return _ordered(list(session.scalars(select(Program).options(undefer(Program.pages)))))


def _module_title(module: Module, locale: str) -> str:
    texts = {text.locale: text for text in module.texts}
    text = texts.get(locale) or texts.get(SOURCE_LOCALE)
    return text.title if text else module.slug


def _worksheet_titles(session: Session, locale: str) -> dict[str, str]:
    types = session.scalars(select(WorksheetType).where(WorksheetType.is_active))
    return {t.slug: t.text(locale).get("title") or t.slug for t in types}


_VERSION_KEY = "_qtp_content_version"  # on the request: asked once per request
# {(locale, content version): [views]}: only the current version's are kept.
_VIEWS: dict[tuple[str, tuple], list[ProgramPageView]] = {}


def content_version(session: Session) -> tuple:
    """Changes whenever a sync changes a program, a module or a worksheet type (one statement, made once per
    request: a sync forgets it, see `forget_content_version`)."""
    if has_request_context() and hasattr(request, _VERSION_KEY):
        return getattr(request, _VERSION_KEY)
    modules = select(func.max(Module.updated_at)).scalar_subquery()
    count = select(func.count(Module.id)).scalar_subquery()
    worksheets = select(func.max(WorksheetType.updated_at)).scalar_subquery()
    rows = session.execute(
        select(Program.id, Program.content_hash, Program.synced_at, modules, count, worksheets).order_by(Program.id)
    ).all()
    version = tuple(tuple(row) for row in rows)
    if has_request_context():
        setattr(request, _VERSION_KEY, version)
    return version


def forget_content_version() -> None:
    if has_request_context() and hasattr(request, _VERSION_KEY):
        delattr(request, _VERSION_KEY)


def current_content_version() -> tuple:
    """For templates (`{% cache content_version() %}`): the content version of this request."""
    from qtp.extensions import db

    return content_version(db.session)


def program_views(session: Session, locale: str) -> list[ProgramPageView]:
    """Every program with a public page, as its page shows it: the six-month program first. Built once per
    language and content version."""
    key = (locale, content_version(session))
    views = _VIEWS.get(key)
    if views is None:
        programs = list(
            session.scalars(
                select(Program).options(
                    undefer(Program.pages), selectinload(Program.modules).selectinload(Module.texts)
                )
            )
        )
        titles = _worksheet_titles(session, locale)
        views = [_view_of(program, locale, titles) for program in _ordered(programs)]
        if any(version != key[1] for _locale, version in _VIEWS):
            _VIEWS.clear()  # a sync happened: the other languages' views are stale too
        _VIEWS[key] = views
    return views


def program_page(session: Session, slug: str, locale: str) -> ProgramPageView | None:
    return next((view for view in program_views(session, locale) if view.program.slug == slug), None)


def _view_of(program: Program, locale: str, worksheet_titles: dict[str, str]) -> ProgramPageView:
    modules = [m for m in program.modules if m.is_active]
    view = ProgramPageView(
        program=ProgramInfo.of(program),
        locale=locale,
        page=program.page(locale) or {},
        summary=program.text("summaries", locale),
        module_count=len(modules),
        study_minutes=sum(m.minutes for m in modules),
    )
    titles = {m.slug: _module_title(m, locale) for m in modules}
    for phase in program.phases:
        view.phases.append(
            PhaseRow(
                title=phase["titles"].get(locale) or phase["titles"].get(SOURCE_LOCALE, phase["id"]),
                summary=phase["summaries"].get(locale) or phase["summaries"].get(SOURCE_LOCALE, ""),
                week=week_of(phase["starts_day"]),
                modules=[titles[m.slug] for m in modules if m.phase == phase["id"]],
            )
        )
    session_titles = program.session_titles(locale)
    for item in program.config.get("learning_sessions") or []:
        view.sessions.append(SessionRow(session_titles[item["id"]], week_of(item["day"]), item["days"], item["mode"]))
    calls = program.config.get("coaching_calls")
    if calls and calls["every_days"] > 0 and calls["until_day"] >= calls["first_day"]:
        count = (calls["until_day"] - calls["first_day"]) // calls["every_days"] + 1
        last_day = calls["first_day"] + (count - 1) * calls["every_days"]
        view.coaching = Coaching(
            count, calls["minutes"], calls["every_days"], week_of(calls["first_day"]), week_of(last_day), calls["mode"]
        )
    for item in program.config.get("agenda") or []:
        title = titles.get(item["module"], "") if item["module"] else item["titles"].get(locale)
        view.agenda.append(AgendaRow(item["start"], item["end"], title or item["titles"].get(SOURCE_LOCALE, "")))
    names = [(code, country_name(code, locale)) for code in program.countries]
    view.countries = sorted(names, key=lambda item: fold(item[1]))
    for item in program.config.get("required_worksheets") or []:
        title = worksheet_titles.get(item["type"], item["type"])
        view.worksheets.append(WorksheetRow(title, week_of(item["due_day"])))
    return view
