"""Read models for a team's workspace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, lazyload, selectinload

from qtp.accounts.models import User
from qtp.catalog.models import WorksheetType
from qtp.cohorts.models import Membership, StaffAssignment, Team
from qtp.core.permissions import Role
from qtp.worksheets.models import Worksheet, WorksheetRevision
from qtp.worksheets.policy import TeamAccess, can_view


def team_access(session: Session, user: User, team: Team) -> TeamAccess:
    """The user's role in the team and on its cohort's staff (one statement)."""
    role = select(Membership.role).where(Membership.team_id == team.id, Membership.user_id == user.id).scalar_subquery()
    staff = (
        select(func.count(StaffAssignment.id))
        .where(StaffAssignment.cohort_id == team.cohort_id, StaffAssignment.user_id == user.id)
        .scalar_subquery()
    )
    team_role, staff_count = session.execute(select(role, staff)).one()
    return TeamAccess(
        team_role=team_role,
        is_coach=team.coach_id == user.id,
        is_staff=bool(staff_count),
        is_admin=user.has_role(Role.ADMIN),
    )


def find_visible_team(session: Session, user: User, team_id: int) -> tuple[Team, TeamAccess] | None:
    """The team and what the user may do there, or None when the user may not see it (the caller answers
    404, so that other teams cannot be discovered)."""
    team = session.get(Team, team_id)
    if team is None:
        return None
    access = team_access(session, user, team)
    return (team, access) if can_view(access) else None


def list_types(session: Session) -> list[WorksheetType]:
    return list(
        session.scalars(select(WorksheetType).where(WorksheetType.is_active.is_(True)).order_by(WorksheetType.position))
    )


@dataclass(frozen=True)
class TypeCard:
    """What the workspace shows of a worksheet type: its title and description in one language."""

    id: int
    slug: str
    is_repeatable: bool
    title: str
    description: str


def list_type_cards(session: Session, locale: str) -> list[TypeCard]:
    """The active worksheet types with their title and description in `locale` (else English), read from the
    texts by the database: the fields, rubric and labels of three languages are not decoded for a list."""
    texts = WorksheetType.texts
    rows = session.execute(
        select(
            WorksheetType.id,
            WorksheetType.slug,
            WorksheetType.is_repeatable,
            texts[locale]["title"].as_string(),
            texts[locale]["description"].as_string(),
            texts["en"]["title"].as_string(),
            texts["en"]["description"].as_string(),
        )
        .where(WorksheetType.is_active.is_(True))
        .order_by(WorksheetType.position)
    )
    cards = []
    for type_id, slug, repeatable, title, description, english_title, english_description in rows:
        localized = title is not None  # as WorksheetType.text: the language's texts, else the English ones
        cards.append(
            TypeCard(
                type_id,
                slug,
                repeatable,
                (title if localized else english_title) or slug,
                (description if localized else english_description) or "",
            )
        )
    return cards


def find_type(session: Session, slug: str) -> WorksheetType | None:
    return session.scalar(select(WorksheetType).where(WorksheetType.slug == slug, WorksheetType.is_active.is_(True)))


def list_team_worksheets(session: Session, team_id: int) -> list[Worksheet]:
    """Every worksheet of the team with who saved it last (one statement for all authors)."""
    return list(
        session.scalars(
            select(Worksheet)
            .where(Worksheet.team_id == team_id)
            .order_by(Worksheet.type_id, Worksheet.record_no)
            .options(selectinload(Worksheet.updated_by))
        )
    )


def find_worksheet(session: Session, team_id: int, type_id: int, record_no: int) -> Worksheet | None:
    return session.scalar(
        select(Worksheet).where(
            Worksheet.team_id == team_id, Worksheet.type_id == type_id, Worksheet.record_no == record_no
        )
    )


def _records(team_id: int, slug: str) -> Select[tuple[Worksheet]]:
    # The type is one for all the records: loaded once (and then found in the session), not joined and its
    # definition decoded again for every record.
    return (
        select(Worksheet)
        .join(WorksheetType, Worksheet.type_id == WorksheetType.id)
        .where(Worksheet.team_id == team_id, WorksheetType.slug == slug)
        .options(lazyload(Worksheet.type))
        .order_by(Worksheet.record_no)
    )


def list_records(session: Session, team_id: int, slug: str) -> list[Worksheet]:
    """Every record of one worksheet type for a team (the measures, the PDSA cycles), in order."""
    return list(session.scalars(_records(team_id, slug)))


def find_record(session: Session, team_id: int, slug: str, record_no: int) -> Worksheet | None:
    """The team's record `record_no` of a worksheet type, or None (also for another team's)."""
    return session.scalar(_records(team_id, slug).where(Worksheet.record_no == record_no))


def next_record_no(session: Session, team_id: int, type_id: int) -> int:
    highest = session.scalar(
        select(func.max(Worksheet.record_no)).where(Worksheet.team_id == team_id, Worksheet.type_id == type_id)
    )
    return (highest or 0) + 1


def find_revision(session: Session, worksheet_id: int, number: int) -> WorksheetRevision | None:
    return session.scalar(
        select(WorksheetRevision).where(
            WorksheetRevision.worksheet_id == worksheet_id, WorksheetRevision.number == number
        )
    )


def ref_values(session: Session, team_id: int, definition: dict[str, Any]) -> dict[str, Any]:
    """Values of `ref` fields, read from the worksheet they come from (entered once, shown everywhere)."""
    refs = [spec for spec in definition["fields"] if spec["kind"] == "ref"]
    if not refs:
        return {}
    slugs = {spec["from"].split(".", 1)[0] for spec in refs}
    rows = session.execute(
        select(WorksheetType.slug, Worksheet.data)
        .join(WorksheetType)
        .where(Worksheet.team_id == team_id, WorksheetType.slug.in_(slugs), Worksheet.record_no == 1)
    ).all()
    data_by_slug = {slug: data for slug, data in rows}
    values = {}
    for spec in refs:
        slug, field = spec["from"].split(".", 1)
        values[spec["id"]] = (data_by_slug.get(slug) or {}).get(field)
    return values


@dataclass(frozen=True)
class LinkChoice:
    value: str
    label: str


def link_choices(session: Session, team_id: int, definition: dict[str, Any]) -> dict[str, list[LinkChoice]]:
    """Choices of `link` fields (a row of another worksheet's group, by its code) and `records` fields
    (records of a repeatable worksheet, by number), from the team's own worksheets."""
    choices: dict[str, list[LinkChoice]] = {}
    for spec in definition["fields"]:
        if spec["kind"] == "link":
            slug, group = spec["from"].split(".", 1)
            source = list_records(session, team_id, slug)
            rows = (source[0].data.get(group) or []) if source else []
            choices[spec["id"]] = [
                LinkChoice(str(row.get("code")), f"{row.get('code')} · {row.get('description') or ''}".strip(" ·"))
                for row in rows
                if row.get("code")
            ]
        elif spec["kind"] == "records":
            choices[spec["id"]] = [
                LinkChoice(
                    str(record.record_no), record.data.get(spec.get("label_field", "name")) or f"#{record.record_no}"
                )
                for record in list_records(session, team_id, spec["from"])
            ]
    return choices


def link_names(choices: dict[str, list[LinkChoice]]) -> dict[str, dict[str, str]]:
    """link_choices as {field id: {stored value: name}}, for showing stored links as text."""
    return {field_id: {c.value: c.label for c in options} for field_id, options in choices.items()}
