"""The graduates page: teams that completed a cohort and opted in, newest cohorts first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

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
    """Every listed team that completed its cohort (one statement), newest cohort first."""
    teams = session.scalars(
        select(Team)
        .join(Cohort, Team.cohort_id == Cohort.id)
        .where(Team.graduate_listed, completed_condition())
        .options(joinedload(Team.organization), joinedload(Team.cohort))
        .order_by(Cohort.ends_on.desc(), Team.project_title)
    ).unique()
    return [
        Graduate(
            practice=team.organization.name,
            city=team.organization.city or "",
            country=team.organization.country or "",
            project_title=team.project_title,
            result=team.graduate_result,
            cohort=team.cohort.name,
            year=team.cohort.ends_on.year,
        )
        for team in teams
    ]
