"""A team's worksheets and their revisions. `version` guards against lost updates (optimistic locking)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qtp.accounts.models import User
from qtp.catalog.models import WorksheetType
from qtp.cohorts.models import Team
from qtp.core.db import Base, TimestampMixin, utcnow


class WorksheetStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


STATUS_LABELS = {
    WorksheetStatus.DRAFT: _l("Draft"),
    WorksheetStatus.SUBMITTED: _l("Submitted for review"),
    WorksheetStatus.RETURNED: _l("Returned for revision"),
    WorksheetStatus.APPROVED: _l("Approved"),
}
EDITABLE = (WorksheetStatus.DRAFT, WorksheetStatus.RETURNED)


class Worksheet(TimestampMixin, Base):
    __tablename__ = "worksheets"
    __table_args__ = (UniqueConstraint("team_id", "type_id", "record_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("worksheet_types.id", ondelete="RESTRICT"))
    # 1 for single worksheets; 1, 2, 3... for repeatable ones (one measure, one PDSA cycle per record)
    record_no: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default=WorksheetStatus.DRAFT)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None]

    team: Mapped[Team] = relationship()
    type: Mapped[WorksheetType] = relationship(lazy="joined")
    updated_by: Mapped[User | None] = relationship()
    revisions: Mapped[list[WorksheetRevision]] = relationship(
        back_populates="worksheet", order_by="WorksheetRevision.number", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(WorksheetStatus(self.status), self.status))


class WorksheetRevision(Base):
    """Every save: who, when, what the worksheet held, and why (save, restore, submit)."""

    __tablename__ = "worksheet_revisions"
    __table_args__ = (UniqueConstraint("worksheet_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worksheet_id: Mapped[int] = mapped_column(ForeignKey("worksheets.id", ondelete="CASCADE"))
    number: Mapped[int]
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(20), default="save")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    content_version: Mapped[str] = mapped_column(String(64))

    worksheet: Mapped[Worksheet] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship(lazy="joined")  # shown beside every revision


class Attachment(Base):
    """A file attached to a worksheet (a photographed whiteboard process map, a PDF). The bytes live in
    storage under `storage_key`, a random id; `filename` is only what the uploader called it, for display."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)  # random, the only id in URLs
    worksheet_id: Mapped[int] = mapped_column(ForeignKey("worksheets.id", ondelete="CASCADE"), index=True)
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    worksheet: Mapped[Worksheet] = relationship()
    uploaded_by: Mapped[User | None] = relationship()
