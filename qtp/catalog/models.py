"""Programs and modules, indexed from `courses/` by `flask qtp content sync` (never edited in the app).

A module's version is the hash of its files; progress and attempts record the version they were made
against, so later content changes never rewrite history.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qtp.core.db import Base, TimestampMixin


class ProgramFormat(StrEnum):
    SIX_MONTH = "six_month"
    ONE_DAY = "one_day"


PROGRAM_FORMAT_LABELS = {
    ProgramFormat.SIX_MONTH: _l("Six-month program"),
    ProgramFormat.ONE_DAY: _l("One-day workshop"),
}


class Program(TimestampMixin, Base):
    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    format: Mapped[str] = mapped_column(String(20))
    # {"en": "...", "es": "...", "pt_BR": "..."}
    titles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # program.yaml as validated: phases, module order, pass mark, sessions, coaching rhythm, self-assessment
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # the public page per language (about.<locale>.md):
    # {locale: {"status", "title", "description", "sections": [{"id", "heading", "html"}]}}
    # deferred: the pages are large and only the public program pages read them (catalog/public.py keeps them)
    pages: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}", deferred=True)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    synced_at: Mapped[datetime | None]

    modules: Mapped[list[Module]] = relationship(back_populates="program", order_by="Module.position")

    def title(self, locale: str) -> str:
        return self.title_of(self.titles, locale, self.slug)

    @staticmethod
    def title_of(titles: dict[str, str], locale: str, slug: str) -> str:
        """The title in `locale`, else in English, else the slug (for queries that read the columns only)."""
        return titles.get(locale) or titles.get("en") or slug

    def text(self, key: str, locale: str) -> str:
        values = self.config.get(key) or {}
        return values.get(locale) or values.get("en") or ""

    def page(self, locale: str) -> dict[str, Any] | None:
        """The public page in `locale`, else in English; None before the content is synced."""
        return self.pages.get(locale) or self.pages.get("en")

    @property
    def countries(self) -> list[str]:
        """ISO 3166 codes of the countries where the program is available."""
        return list(self.config.get("countries") or [])

    @property
    def format_label(self) -> str:
        return str(PROGRAM_FORMAT_LABELS.get(ProgramFormat(self.format), self.format))

    @property
    def pass_mark(self) -> int:
        return int(self.config.get("pass_mark", 80))

    @property
    def phases(self) -> list[dict[str, Any]]:
        return list(self.config.get("phases") or [])

    def session_titles(self, locale: str) -> dict[str, str]:
        """{learning session id: its title in `locale`, else in English}."""
        return {
            s["id"]: s["titles"].get(locale) or s["titles"].get("en", s["id"])
            for s in self.config.get("learning_sessions") or []
        }


class Module(TimestampMixin, Base):
    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("program_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]
    phase: Mapped[str] = mapped_column(String(40))
    minutes: Mapped[int]
    prerequisites: Mapped[list[str]] = mapped_column(JSON, default=list)
    worksheets: Mapped[list[str]] = mapped_column(JSON, default=list)
    # language-neutral knowledge check: [{"id", "kind", "options", "answer"}]
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(64))
    # a module removed from courses/ stays (history points at it) but is no longer offered
    is_active: Mapped[bool] = mapped_column(default=True)

    program: Mapped[Program] = relationship(back_populates="modules")
    texts: Mapped[list[ModuleText]] = relationship(back_populates="module", cascade="all, delete-orphan")


class ModuleText(Base):
    """A module in one language, rendered and sanitized at sync time; `status` says how it relates to
    the English source (source, current, stale, missing: a missing one holds the English text)."""

    __tablename__ = "module_texts"
    __table_args__ = (UniqueConstraint("module_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    body_html: Mapped[str] = mapped_column(Text)
    questions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    slides: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # the module's figures in this language, as validated: {slug: {"alt", "caption", "source", "prefix"}};
    # the SVG source is sanitized again when shown (qtp/catalog/figures.py)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")

    module: Mapped[Module] = relationship(back_populates="texts")


class WorksheetType(TimestampMixin, Base):
    """A QI tool's form, indexed from courses/worksheets/: fields, rubric, and texts per language."""

    __tablename__ = "worksheet_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int]
    is_repeatable: Mapped[bool] = mapped_column(default=False)
    # {"fields": [...], "rubric": [...]} as validated
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # {locale: {"title", "description", "fields", "rubric"}}; a missing language falls back to English
    texts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    statuses: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    is_active: Mapped[bool] = mapped_column(default=True)

    def text(self, locale: str) -> dict[str, Any]:
        return self.texts.get(locale) or self.texts["en"]
