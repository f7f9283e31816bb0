"""The graduates page: teams that completed a cohort and opted in, newest cohorts first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.accounts.models import Organization
from qtp.cohorts.models import Cohort, Team
from qtp.graduates.services import completed_condition


@dataclass(frozen=True)
class Graduate:
    practice: str
    city: str
    country: str  # ISO code
    project_title: str
    result: str
    cohort: str
    year: int


def list_graduates(session: Session) -> list[Graduate]:
    """Every listed team that completed its cohort (one statement of the columns shown), newest cohort first."""
    rows = session.execute(
        select(
            Organization.name,
            Organization.city,
            Organization.country,
            Team.project_title,
            Team.graduate_result,
            Cohort.name,
            Cohort.ends_on,
        )
        .join(Cohort, Team.cohort_id == Cohort.id)
        .join(Organization, Team.organization_id == Organization.id)
        .where(Team.graduate_listed, completed_condition())
        .order_by(Cohort.ends_on.desc(), Team.project_title)
    )
    return [
        Graduate(
            practice=practice,
            city=city or "",
            country=country or "",
            project_title=project_title,
            result=result,
            cohort=cohort,
            year=ends_on.year,
        )
        for practice, city, country, project_title, result, cohort, ends_on in rows
    ]
