"""Read models for a team's workspace."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.cohorts.models import Membership, StaffAssignment, Team
from qtp.core.permissions import Role
from qtp.worksheets.models import Worksheet
from qtp.worksheets.policy import TeamAccess


def team_access(session: Session, user: User, team: Team) -> TeamAccess:
    role = session.scalar(select(Membership.role).where(Membership.team_id == team.id, Membership.user_id == user.id))
    staff = session.scalar(
        select(StaffAssignment.id).where(
            StaffAssignment.cohort_id == team.cohort_id, StaffAssignment.user_id == user.id
        )
    )
    return TeamAccess(
        team_role=role,
        is_coach=team.coach_id == user.id,
        is_staff=staff is not None,
        is_admin=user.has_role(Role.ADMIN),
    )


def find_worksheet(session: Session, team_id: int, type_id: int, record_no: int) -> Worksheet | None:
    return session.scalar(
        select(Worksheet).where(
            Worksheet.team_id == team_id, Worksheet.type_id == type_id, Worksheet.record_no == record_no
        )
    )
