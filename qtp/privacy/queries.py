"""What the erasure confirm page shows: what will go, what stays, and why it may be refused."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.certificates.models import Certificate
from qtp.cohorts.models import Membership
from qtp.core.service import ServiceError
from qtp.licensing.models import LicenseSeat
from qtp.privacy.erasure import check_erasable
from qtp.worksheets.models import Attachment, WorksheetRevision


@dataclass(frozen=True)
class ErasureSummary:
    memberships: int
    revisions: int
    attachments: int
    certificates: int  # in force
    seats: int  # held
    refusal: str | None  # why it cannot be erased, already translated


def erasure_summary(session: Session, actor: User, user: User) -> ErasureSummary:
    def count(statement) -> int:  # type: ignore[no-untyped-def]
        return session.scalar(statement) or 0

    refusal = None
    try:
        check_erasable(session, actor, user)
    except ServiceError as error:
        refusal = error.message
    return ErasureSummary(
        memberships=count(select(func.count(Membership.id)).where(Membership.user_id == user.id)),
        revisions=count(select(func.count(WorksheetRevision.id)).where(WorksheetRevision.author_id == user.id)),
        attachments=count(select(func.count(Attachment.id)).where(Attachment.uploaded_by_id == user.id)),
        certificates=count(
            select(func.count(Certificate.id)).where(Certificate.user_id == user.id, Certificate.revoked_at.is_(None))
        ),
        seats=count(
            select(func.count(LicenseSeat.id)).where(LicenseSeat.user_id == user.id, LicenseSeat.freed_at.is_(None))
        ),
        refusal=refusal,
    )
