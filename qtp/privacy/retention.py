"""Retention: answers to the International Interest Survey are deleted QTP_INTEREST_RETENTION_MONTHS months
after they were given (`flask qtp privacy purge`, run daily by cron: docs/operations.md)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from qtp.core import audit
from qtp.interest.models import InterestResponse


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day when it is shorter)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass(frozen=True)
class PurgeResult:
    cutoff: datetime
    months: int
    count: int
    dry_run: bool


def purge_interest_answers(session: Session, *, months: int, now: datetime, dry_run: bool = False) -> PurgeResult:
    """Delete the answers given before `months` months ago (count only, with `dry_run`); audited with the count."""
    if months < 1:
        raise ValueError("the retention period is at least one month")
    cutoff = months_before(now, months)
    old = InterestResponse.created_at < cutoff
    if dry_run:
        count = session.scalar(select(func.count(InterestResponse.id)).where(old)) or 0
        return PurgeResult(cutoff, months, count, True)
    count = session.execute(delete(InterestResponse).where(old).execution_options(synchronize_session=False)).rowcount
    count = count or 0
    audit.record(
        session,
        None,
        "interest.purged",
        ("interest_responses", None),
        summary=f"{count}",
        details={"deleted": count, "months": months, "answered_before": cutoff.isoformat()},
    )
    return PurgeResult(cutoff, months, count, False)
