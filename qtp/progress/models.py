"""What participants did: completed modules, knowledge-check attempts, self-assessments.

Each row records the content version it was made against (`content_version`), so a later change to the
course never rewrites what a participant did.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qtp.accounts.models import User
from qtp.catalog.models import Module
from qtp.core.db import Base, utcnow


class AssessmentKind(StrEnum):
    PRE = "pre"
    POST = "post"


class ModuleProgress(Base):
    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)
    content_version: Mapped[str] = mapped_column(String(64))

    module: Mapped[Module] = relationship()


class KnowledgeCheckAttempt(Base):
    __tablename__ = "knowledge_check_attempts"
    __table_args__ = (Index("ix_knowledge_check_attempts_user_module", "user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # {question id: [chosen option ids]}
    answers: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    correct: Mapped[int]
    total: Mapped[int]
    score: Mapped[int]  # percent, rounded down
    passed: Mapped[bool]
    content_version: Mapped[str] = mapped_column(String(64))

    module: Mapped[Module] = relationship()


class SelfAssessment(Base):
    __tablename__ = "self_assessments"
    __table_args__ = (UniqueConstraint("user_id", "cohort_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    # {topic id: {"knowledge": n, "confidence": n}}
    ratings: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    content_version: Mapped[str] = mapped_column(String(64))


# The IHI project progress score: where a project stands, from intent to participate to sustainable results.
PROGRESS_SCORES = {
    "0.5": _l("Intent to participate"),
    "1.0": _l("Charter and team established"),
    "1.5": _l("Planning for the project has begun"),
    "2.0": _l("Activity, but no changes"),
    "2.5": _l("Changes tested, but no improvement"),
    "3.0": _l("Modest improvement"),
    "3.5": _l("Improvement"),
    "4.0": _l("Significant improvement"),
    "4.5": _l("Sustainable improvement"),
    "5.0": _l("Outstanding sustainable results"),
}


class ProgressScore(Base):
    """A team's IHI progress score: proposed by the team leader, then confirmed (or corrected) by the coach.
    Every proposal is kept; the latest confirmed one is the team's score."""

    __tablename__ = "progress_scores"
    __table_args__ = (Index("ix_progress_scores_team", "team_id", "proposed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    proposed_score: Mapped[str] = mapped_column(String(3))  # "0.5" ... "5.0", a key of PROGRESS_SCORES
    note: Mapped[str] = mapped_column(String(1000), default="")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_score: Mapped[str | None] = mapped_column(String(3))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None]

    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id], lazy="joined")
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id], lazy="joined")

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
