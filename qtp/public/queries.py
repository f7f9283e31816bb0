"""Read models of the landing and program pages beyond the program itself: the cohorts a team can still join,
and a few graduate teams as proof."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.cohorts.models import Cohort, CohortStatus

UPCOMING_SHOWN = 6


@dataclass(frozen=True)
class UpcomingCohort:
    name: str
    program_slug: str
    program_title: str
    locale: str  # the language the cohort is taught in
    starts_on: date
    ends_on: date

    @property
    def is_one_day(self) -> bool:
        return self.starts_on == self.ends_on


def list_upcoming_cohorts(
    session: Session, today: date, locale: str, program_id: int | None = None
) -> list[UpcomingCohort]:
    """The cohorts that have not started yet and are not closed (one statement), the soonest first."""
    query = (
        select(Cohort)
        .where(Cohort.starts_on > today, Cohort.status != CohortStatus.FINISHED)
        .order_by(Cohort.starts_on, Cohort.name)
        .limit(UPCOMING_SHOWN)
    )
    if program_id is not None:
        query = query.where(Cohort.program_id == program_id)
    return [
        UpcomingCohort(
            name=cohort.name,
            program_slug=cohort.program.slug,
            program_title=cohort.program.title(locale),
            locale=cohort.locale,
            starts_on=cohort.starts_on,
            ends_on=cohort.ends_on,
        )
        for cohort in session.scalars(query).unique()
    ]
