"""Read models for a team's workspace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qtp.accounts.models import User
from qtp.catalog.models import WorksheetType
from qtp.cohorts.models import Membership, StaffAssignment, Team
from qtp.core.permissions import Role
from qtp.worksheets.models import Worksheet, WorksheetRevision
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


def find_team(session: Session, team_id: int) -> Team | None:
    return session.get(Team, team_id)


def list_worksheet_types(session: Session) -> list[WorksheetType]:
    return list(session.scalars(select(WorksheetType).where(WorksheetType.is_active).order_by(WorksheetType.position)))


def find_worksheet_type(session: Session, slug: str) -> WorksheetType | None:
    return session.scalar(select(WorksheetType).where(WorksheetType.slug == slug, WorksheetType.is_active))


def list_team_worksheets(session: Session, team_id: int) -> list[Worksheet]:
    return list(
        session.scalars(
            select(Worksheet)
            .where(Worksheet.team_id == team_id)
            .options(selectinload(Worksheet.updated_by))
            .order_by(Worksheet.type_id, Worksheet.record_no)
        )
    )


def find_worksheet(session: Session, team_id: int, type_id: int, record_no: int) -> Worksheet | None:
    return session.scalar(
        select(Worksheet).where(
            Worksheet.team_id == team_id, Worksheet.type_id == type_id, Worksheet.record_no == record_no
        )
    )


def ref_values(session: Session, team_id: int, definition: dict[str, Any]) -> dict[str, Any]:
    """Values of `ref` fields, read from the worksheets they refer to (entered once, shown everywhere)."""
    wanted = {spec["id"]: spec["from"].split(".", 1) for spec in definition["fields"] if spec["kind"] == "ref"}
    if not wanted:
        return {}
    slugs = {slug for slug, _ in wanted.values()}
    rows = session.execute(
        select(WorksheetType.slug, Worksheet.data)
        .join(Worksheet, Worksheet.type_id == WorksheetType.id)
        .where(Worksheet.team_id == team_id, WorksheetType.slug.in_(slugs), Worksheet.record_no == 1)
    ).all()
    data = dict(rows)
    return {fid: (data.get(slug) or {}).get(field) for fid, (slug, field) in wanted.items()}


@dataclass(frozen=True)
class RevisionRow:
    number: int
    reason: str
    author: str
    created_at: Any


def list_revisions(session: Session, worksheet_id: int) -> list[WorksheetRevision]:
    return list(
        session.scalars(
            select(WorksheetRevision)
            .where(WorksheetRevision.worksheet_id == worksheet_id)
            .options(selectinload(WorksheetRevision.author))
            .order_by(WorksheetRevision.number.desc())
        )
    )


def find_revision(session: Session, worksheet_id: int, number: int) -> WorksheetRevision | None:
    return session.scalar(
        select(WorksheetRevision).where(
            WorksheetRevision.worksheet_id == worksheet_id, WorksheetRevision.number == number
        )
    )
