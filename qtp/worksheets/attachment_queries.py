"""Read models for worksheet attachments."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from qtp.worksheets.models import Attachment, Worksheet


def list_attachments(session: Session, worksheet_id: int) -> list[Attachment]:
    """A worksheet's attachments, oldest first, with who uploaded each (one query)."""
    return list(
        session.scalars(
            select(Attachment)
            .options(joinedload(Attachment.uploaded_by))
            .where(Attachment.worksheet_id == worksheet_id)
            .order_by(Attachment.created_at, Attachment.id)
        )
    )


def count_attachments(session: Session, worksheet_id: int) -> int:
    return session.scalar(select(func.count(Attachment.id)).where(Attachment.worksheet_id == worksheet_id)) or 0


def find_team_attachment(session: Session, team_id: int, public_id: str) -> Attachment | None:
    """The attachment with this public id on one of the team's worksheets, or None (also for another team's)."""
    return session.scalar(
        select(Attachment)
        .join(Worksheet, Attachment.worksheet_id == Worksheet.id)
        .options(joinedload(Attachment.worksheet))
        .where(Attachment.public_id == public_id, Worksheet.team_id == team_id)
    )
