"""Reading the interest survey's answers for admins: filtered lists and counts per country."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qtp.interest.models import InterestResponse


@dataclass(frozen=True)
class Filters:
    country: str | None = None
    program: str | None = None
    handled: bool | None = None  # None: every answer


def _where(query, filters: Filters):  # type: ignore[no-untyped-def]
    if filters.country:
        query = query.where(InterestResponse.country == filters.country)
    if filters.program:
        query = query.where(InterestResponse.program == filters.program)
    if filters.handled is not None:
        query = query.where(
            InterestResponse.handled_at.is_not(None) if filters.handled else InterestResponse.handled_at.is_(None)
        )
    return query


def list_responses(session: Session, filters: Filters, limit: int | None = 500) -> list[InterestResponse]:
    query = _where(select(InterestResponse), filters).order_by(
        InterestResponse.created_at.desc(), InterestResponse.id.desc()
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def counts_by_country(session: Session, filters: Filters) -> list[tuple[str, int]]:
    """[(country code, answers)], most answers first (the chart), with the same filters as the list."""
    query = _where(
        select(InterestResponse.country, func.count(InterestResponse.id)).group_by(InterestResponse.country),
        filters,
    )
    return sorted(((code, count) for code, count in session.execute(query).all()), key=lambda row: (-row[1], row[0]))
