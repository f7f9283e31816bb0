"""Read models for reviewers: the queue of their teams' submissions, one submission with its reviews.

A reviewer's scope is the teams of the cohorts they are assigned to (faculty or coach) and the teams they
coach, never a team they belong to. Everything outside it does not exist for them (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload, lazyload

from qtp.accounts.models import Organization, User
from qtp.catalog.models import WorksheetType
from qtp.cohorts.models import Cohort, Membership, StaffAssignment, Team
from qtp.review import policy
from qtp.review.models import Review
from qtp.worksheets.models import STATUS_LABELS, Worksheet, WorksheetRevision, WorksheetStatus
from qtp.worksheets.policy import TeamAccess
from qtp.worksheets.queries import team_access

QUEUE_STATUSES = (WorksheetStatus.SUBMITTED, WorksheetStatus.RETURNED, WorksheetStatus.APPROVED)


def scope_team_ids(user_id: int) -> Select[tuple[int]]:
    """The ids of the teams this user reviews (a subquery: one statement wherever it is used)."""
    cohorts = select(StaffAssignment.cohort_id).where(StaffAssignment.user_id == user_id)
    own = select(Membership.team_id).where(Membership.user_id == user_id)
    return select(Team.id).where(
        or_(Team.coach_id == user_id, Team.cohort_id.in_(cohorts)),
        Team.id.not_in(own),
    )


def record_label(slug: str, record_no: int, data: dict, repeatable: bool) -> str:
    """How one record is named in lists: "Cycle 2" for a PDSA cycle, a measure's name, else "Record 3"."""
    if not repeatable:
        return ""
    if slug == "pdsa":
        number = data.get("cycle-number") or record_no
        return _("Cycle %(number)s", number=int(number))
    return str(data.get("name") or _("Record %(number)s", number=record_no))


@dataclass(frozen=True)
class QueueFilters:
    cohort_id: int | None = None
    team_id: int | None = None
    type_slug: str | None = None
    status: str = WorksheetStatus.SUBMITTED


@dataclass(frozen=True)
class QueueItem:
    worksheet_id: int
    team_id: int
    project_title: str
    organization: str
    cohort_name: str
    type_slug: str
    type_title: str
    record_label: str
    status: str
    status_label: str
    submitted_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class QueueOptions:
    cohorts: list[Choice]
    teams: list[Choice]
    types: list[Choice]


def list_queue(session: Session, user: User, locale: str, filters: QueueFilters) -> list[QueueItem]:
    """The reviewer's worksheets in one status (submitted by default), the longest waiting first. One
    statement, whatever the number of teams."""
    query = (
        select(Worksheet, Team.project_title, Organization.name, Cohort.name, WorksheetType)
        .join(Team, Worksheet.team_id == Team.id)
        .join(Organization, Team.organization_id == Organization.id)
        .join(Cohort, Team.cohort_id == Cohort.id)
        .join(WorksheetType, Worksheet.type_id == WorksheetType.id)
        .where(Worksheet.team_id.in_(scope_team_ids(user.id)), Worksheet.status == filters.status)
        .options(lazyload(Worksheet.type))  # the type is selected beside it
    )
    if filters.cohort_id is not None:
        query = query.where(Team.cohort_id == filters.cohort_id)
    if filters.team_id is not None:
        query = query.where(Team.id == filters.team_id)
    if filters.type_slug:
        query = query.where(WorksheetType.slug == filters.type_slug)
    if filters.status == WorksheetStatus.SUBMITTED:
        query = query.order_by(Worksheet.submitted_at, Worksheet.id)
    else:
        query = query.order_by(Worksheet.updated_at.desc(), Worksheet.id)
    items = []
    for worksheet, title, organization, cohort, wtype in session.execute(query):
        items.append(
            QueueItem(
                worksheet_id=worksheet.id,
                team_id=worksheet.team_id,
                project_title=title,
                organization=organization,
                cohort_name=cohort,
                type_slug=wtype.slug,
                type_title=wtype.text(locale)["title"],
                record_label=record_label(wtype.slug, worksheet.record_no, worksheet.data, wtype.is_repeatable),
                status=worksheet.status,
                status_label=str(STATUS_LABELS[WorksheetStatus(worksheet.status)]),
                submitted_at=worksheet.submitted_at,
                updated_at=worksheet.updated_at,
            )
        )
    return items


@dataclass(frozen=True)
class NextItem:
    worksheet_id: int
    title: str
    project_title: str


def next_waiting(session: Session, user: User, locale: str, after_id: int | None = None) -> NextItem | None:
    """The submission that has waited longest for this reviewer, other than `after_id` (one statement)."""
    query = (
        select(Worksheet.id, Worksheet.record_no, Worksheet.data, Team.project_title, WorksheetType)
        .join(Team, Worksheet.team_id == Team.id)
        .join(WorksheetType, Worksheet.type_id == WorksheetType.id)
        .where(Worksheet.team_id.in_(scope_team_ids(user.id)), Worksheet.status == WorksheetStatus.SUBMITTED)
        .order_by(Worksheet.submitted_at, Worksheet.id)
        .limit(1)
    )
    if after_id is not None:
        query = query.where(Worksheet.id != after_id)
    row = session.execute(query).first()
    if row is None:
        return None
    worksheet_id, record_no, data, project_title, wtype = row
    title = wtype.text(locale)["title"]
    label = record_label(wtype.slug, record_no, data or {}, wtype.is_repeatable)
    return NextItem(worksheet_id, f"{title} · {label}" if label else title, project_title)


def count_waiting(session: Session, user_id: int) -> int:
    """How many submitted worksheets wait for this reviewer (one statement)."""
    return (
        session.scalar(
            select(func.count(Worksheet.id)).where(
                Worksheet.team_id.in_(scope_team_ids(user_id)), Worksheet.status == WorksheetStatus.SUBMITTED
            )
        )
        or 0
    )


def list_queue_options(session: Session, user: User, locale: str) -> QueueOptions:
    """The filter choices: the reviewer's cohorts and teams, and the worksheet types (two statements)."""
    rows = session.execute(
        select(Team.id, Team.project_title, Cohort.id, Cohort.name)
        .join(Cohort, Team.cohort_id == Cohort.id)
        .where(Team.id.in_(scope_team_ids(user.id)))
        .order_by(Cohort.starts_on.desc(), Team.project_title)
    ).all()
    cohorts: dict[int, str] = {}
    for _team_id, _title, cohort_id, cohort_name in rows:
        cohorts.setdefault(cohort_id, cohort_name)
    types = session.scalars(
        select(WorksheetType).where(WorksheetType.is_active.is_(True)).order_by(WorksheetType.position)
    ).all()
    return QueueOptions(
        cohorts=[Choice(str(cid), name) for cid, name in cohorts.items()],
        teams=[Choice(str(tid), f"{title} ({cohort})") for tid, title, _cid, cohort in rows],
        types=[Choice(t.slug, t.text(locale)["title"]) for t in types],
    )


def find_reviewable(session: Session, user: User, worksheet_id: int) -> tuple[Worksheet, TeamAccess] | None:
    """The worksheet and the user's access to its team, or None when the user may not review that team
    (the caller answers 404). A draft never sent for review is not shown either."""
    worksheet = session.scalar(
        select(Worksheet)
        .where(Worksheet.id == worksheet_id)
        .options(joinedload(Worksheet.team).options(joinedload(Team.organization), joinedload(Team.cohort)))
    )
    if worksheet is None:
        return None
    access = team_access(session, user, worksheet.team)
    if not policy.can_review(access) or worksheet.status not in QUEUE_STATUSES:
        return None
    return worksheet, access


def list_reviews(session: Session, worksheet_id: int) -> list[Review]:
    """Every decision on the worksheet, newest first, with its reviewer. (`review.revision` is read from the
    worksheet's revisions, which the pages load first: no statement of its own.)"""
    return list(
        session.scalars(
            select(Review)
            .where(Review.worksheet_id == worksheet_id)
            .order_by(Review.created_at.desc(), Review.id.desc())
        )
    )


def find_latest_review(session: Session, worksheet_id: int) -> Review | None:
    return session.scalar(select(Review).where(Review.worksheet_id == worksheet_id).order_by(Review.id.desc()).limit(1))


def find_review_of_revision(session: Session, revision_id: int) -> Review | None:
    return session.scalar(select(Review).where(Review.revision_id == revision_id))


def submitted_revisions(worksheet: Worksheet) -> tuple[WorksheetRevision | None, WorksheetRevision | None]:
    """(the latest submitted revision, the one submitted before it), from the worksheet's revisions."""
    submitted = [r for r in worksheet.revisions if r.reason == "submit"]
    latest = submitted[-1] if submitted else None
    previous = submitted[-2] if len(submitted) > 1 else None
    return latest, previous
