"""Programs of the QTP. Indexed from `courses/<program>/program.yaml` by the content sync."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

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

    def title(self, locale: str) -> str:
        return self.titles.get(locale) or self.titles.get("en") or self.slug

    @property
    def format_label(self) -> str:
        return str(PROGRAM_FORMAT_LABELS.get(ProgramFormat(self.format), self.format))
