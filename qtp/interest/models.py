"""Answers to the International Interest Survey (`/interest`), kept for the admins who follow them up."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qtp.core.db import Base, utcnow


class InterestProgram(StrEnum):
    SIX_MONTH = "six_month"
    ONE_DAY = "one_day"
    LICENSING = "licensing"
    OTHER = "other"


PROGRAM_LABELS = {
    InterestProgram.SIX_MONTH: _l("The six-month program"),
    InterestProgram.ONE_DAY: _l("The one-day workshop"),
    InterestProgram.LICENSING: _l("Licensing the content for our own training"),
    InterestProgram.OTHER: _l("Something else"),
}

ROLE_LABELS = {
    "physician": _l("Physician"),
    "nurse": _l("Nurse"),
    "pharmacist": _l("Pharmacist"),
    "administrator": _l("Administrator or manager"),
    "quality": _l("Quality or patient-safety lead"),
    "educator": _l("Educator or society representative"),
    "other": _l("Other"),
}


class InterestResponse(Base):
    __tablename__ = "interest_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(2), index=True)  # ISO 3166
    organization: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    program: Mapped[str] = mapped_column(String(20))
    team_size: Mapped[int | None]
    language: Mapped[str] = mapped_column(String(10))  # preferred language of the program
    email: Mapped[str] = mapped_column(String(320))
    message: Mapped[str] = mapped_column(Text, default="")
    consent: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str] = mapped_column(String(10))  # the language the visitor answered in
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    handled_at: Mapped[datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
