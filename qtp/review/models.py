"""A reviewer's decision on one submitted revision of a worksheet, with rubric levels and comments."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qtp.accounts.models import User
from qtp.core.db import Base, utcnow
from qtp.worksheets.models import Worksheet, WorksheetRevision


class Decision(StrEnum):
    APPROVE = "approve"
    RETURN = "return"


DECISION_LABELS = {
    Decision.APPROVE: _l("Approved"),
    Decision.RETURN: _l("Returned for revision"),
}


class Review(Base):
    """Every decision is kept: a worksheet returned twice and approved has three reviews.

    `revision_id` is unique: one decision per submitted revision, so when two reviewers decide at the same
    moment the database accepts one and refuses the other.
    """

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    worksheet_id: Mapped[int] = mapped_column(ForeignKey("worksheets.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("worksheet_revisions.id", ondelete="CASCADE"), unique=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    decision: Mapped[str] = mapped_column(String(20))
    # {criterion id: level}, levels counted from 1 (the rubric of the worksheet type at `content_version`)
    scores: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    criterion_comments: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    field_comments: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    content_version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    worksheet: Mapped[Worksheet] = relationship()
    revision: Mapped[WorksheetRevision] = relationship()
    reviewer: Mapped[User | None] = relationship(lazy="joined")

    @property
    def decision_label(self) -> str:
        return str(DECISION_LABELS.get(Decision(self.decision), self.decision))

    @property
    def is_approval(self) -> bool:
        return self.decision == Decision.APPROVE
