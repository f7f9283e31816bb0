"""A team's place on the public graduates page: its leader (or an admin) opts in with one result line, once the
team has completed its cohort (the cohort is finished and a certificate of it is in force for a team member).
Every change is audited."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.certificates.models import Certificate
from qtp.cohorts.models import Cohort, CohortStatus, Membership, Team, TeamRole
from qtp.core import audit
from qtp.core.permissions import has_permission
from qtp.core.service import PermissionDenied, ServiceError

RESULT_MAX = 300
ADMIN = "admin:cohorts:write"


def completed_condition():  # type: ignore[no-untyped-def]
    """SQL: the team's cohort is finished and one of its certificates is in force."""
    return (Cohort.status == CohortStatus.FINISHED) & exists(
        select(Certificate.id).where(Certificate.team_id == Team.id, Certificate.revoked_at.is_(None))
    )


def is_leader(session: Session, user: User, team: Team) -> bool:
    return bool(
        session.scalar(
            select(Membership.id).where(
                Membership.team_id == team.id, Membership.user_id == user.id, Membership.role == TeamRole.LEADER
            )
        )
    )


def may_manage(session: Session, user: User, team: Team) -> bool:
    """The team's leader, or an admin, decides whether the team is shown."""
    return has_permission(user, ADMIN) or is_leader(session, user, team)


def has_completed(session: Session, team: Team) -> bool:
    return bool(
        session.scalar(
            select(Team.id).join(Cohort, Team.cohort_id == Cohort.id).where(Team.id == team.id, completed_condition())
        )
    )


def set_listing(session: Session, actor: User, team: Team, *, listed: bool, result: str) -> bool:
    """Show the team on the graduates page with its result line, or take it off; False when nothing changed."""
    if not may_manage(session, actor, team):
        raise PermissionDenied("graduates:listing")
    result = result.strip()
    if len(result) > RESULT_MAX:
        raise ServiceError(_("Keep the result under %(max)s characters.", max=RESULT_MAX), field="result")
    if listed and not result:
        raise ServiceError(_("Please write the result your team is proudest of, in one line."), field="result")
    if listed and not has_completed(session, team):
        raise ServiceError(_("Your team can appear on the graduates page once it has completed the program."))
    if (team.graduate_listed, team.graduate_result) == (listed, result):
        return False
    team.graduate_listed, team.graduate_result = listed, result
    audit.record(
        session,
        actor,
        "team.graduate_listed" if listed else "team.graduate_unlisted",
        team,
        summary=f"{team.project_title} · {result}"[:200],
    )
    return True
