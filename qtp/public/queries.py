"""Read models of the landing and program pages beyond the program itself: the cohorts a team can still join,
and a few graduate teams as proof."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.catalog.models import Program
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
        select(Cohort.name, Program.slug, Program.titles, Cohort.locale, Cohort.starts_on, Cohort.ends_on)
        .join(Program, Program.id == Cohort.program_id)
        .where(Cohort.starts_on > today, Cohort.status != CohortStatus.FINISHED)
        .order_by(Cohort.starts_on, Cohort.name)
        .limit(UPCOMING_SHOWN)
    )
    if program_id is not None:
        query = query.where(Cohort.program_id == program_id)
    return [
        UpcomingCohort(
            name=name,
            program_slug=slug,
            program_title=Program.title_of(titles, locale, slug),
            locale=cohort_locale,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        for name, slug, titles, cohort_locale, starts_on, ends_on in session.execute(query)
    ]
