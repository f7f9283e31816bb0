"""What participants did: completed modules, knowledge-check attempts, self-assessments.

Each row records the content version it was made against (`content_version`), so a later change to the
course never rewrites what a participant did.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
