"""The demo teams' QI projects: each worksheet saved, submitted and reviewed on dates inside its cohort's
timeline (qtp.demo.cohort_progress says what each team did), with its revisions and review rounds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.accounts.models import Organization, User
from qtp.catalog.models import WorksheetType
from qtp.cohorts.models import Cohort, Team
from qtp.core.db import utcnow
from qtp.demo.cohort_progress import TeamWork
from qtp.measurement.models import DataPoint
from qtp.review.models import Review
from qtp.worksheets import data as worksheet_data
from qtp.worksheets.models import Worksheet, WorksheetRevision


def at(day: date) -> datetime:
    """Nine in the morning, UTC, on `day`: when the demo's dated records happen."""
    return datetime.combine(day, time(9), UTC)


def load_project(session: Session, work: TeamWork, cohort: Cohort, author: User, reviewer: User) -> int:
    """A team's worksheets, reviews, and measures with weekly data (once content is synced)."""
    team = session.scalar(
        select(Team).join(Organization).where(Team.cohort_id == cohort.id, Organization.name == work.organization)
    )
    types = {t.slug: t for t in session.scalars(select(WorksheetType))}
    if team is None or not types:
        return 0
    created = 0
    for (slug, record_no), values in work.worksheets.items():
        wtype = types.get(slug)
        if wtype is None:
            continue
        worksheet = session.scalar(
            select(Worksheet).where(
                Worksheet.team_id == team.id, Worksheet.type_id == wtype.id, Worksheet.record_no == record_no
            )
        )
        if worksheet is None:
            cleaned = worksheet_data.clean(wtype.definition, values)
            due = next((d.due_on for d in team.cohort.due_dates if d.worksheet_type == slug), None)
            saved_before, sent_before = work.timing.get((slug, record_no), (14, 10))
            saved = _first_saved(due, saved_before)
            worksheet = Worksheet(
                team=team,
                type=wtype,
                record_no=record_no,
                data=cleaned,
                updated_by_id=author.id,
                created_at=saved,
                updated_at=saved,
            )
            worksheet.revisions.append(
                WorksheetRevision(
                    number=1,
                    data=cleaned,
                    reason="save",
                    author_id=author.id,
                    content_version=wtype.content_hash,
                    created_at=saved,
                )
            )
            session.add(worksheet)
            session.flush()
            rounds, sent = work.reviews.get((slug, record_no), []), (slug, record_no) in work.submitted
            created += 1 + _load_reviews(session, worksheet, rounds, sent, author, reviewer, due, sent_before)
        if slug == "measures" and record_no in work.series:
            has_points = session.scalar(select(DataPoint.id).where(DataPoint.measure_id == worksheet.id).limit(1))
            if has_points is None:
                for period, numerator, denominator in work.series[record_no]:
                    session.add(
                        DataPoint(
                            measure_id=worksheet.id,
                            period=period,
                            numerator=numerator,
                            denominator=denominator,
                            created_by_id=author.id,
                        )
                    )
                    created += 1
    return created


def _first_saved(due: date | None, days_before: int = 14) -> datetime:
    """When the team first saved a demo worksheet: by default two weeks before its due date (four days before
    the first submission, see _load_reviews; a negative number of days: after it), never in the future."""
    now = utcnow()
    if due is None:
        return now - timedelta(days=2)
    return min(datetime.combine(due, time(11), tzinfo=UTC) - timedelta(days=days_before), now - timedelta(hours=1))


def _load_reviews(
    session: Session,
    worksheet: Worksheet,
    rounds: list[dict],
    waiting: bool,
    author: User,
    reviewer: User,
    due: date | None,
    days_before: int = 10,
) -> int:
    """Submissions and review decisions of a newly created demo worksheet (`rounds`, then one submission left
    `waiting` for review if asked): by default the first submission ten days before the cohort's due date, each
    decision and resubmission three days apart (never in the future)."""
    now = utcnow()
    when = datetime.combine(due, time(16), tzinfo=UTC) - timedelta(days=days_before) if due else now
    submissions = len(rounds) + (1 if waiting else 0)
    created = 0
    for number in range(2, submissions + 2):
        revision = WorksheetRevision(
            number=number,
            data=worksheet.data,
            reason="submit",
            author_id=author.id,
            content_version=worksheet.type.content_hash,
            created_at=min(when, now),
        )
        worksheet.revisions.append(revision)
        worksheet.status, worksheet.submitted_at = "submitted", min(when, now)
        worksheet.updated_at = worksheet.submitted_at  # not the time the demo was loaded
        when += timedelta(days=3)
        session.flush()
        created += 1
        if number - 2 < len(rounds):
            decision, decided = rounds[number - 2], min(when, now)
            session.add(
                Review(
                    worksheet_id=worksheet.id,
                    revision_id=revision.id,
                    reviewer_id=reviewer.id,
                    decision=decision["decision"],
                    scores=decision["scores"],
                    field_comments=decision["field_comments"],
                    criterion_comments={},
                    comment=decision["comment"],
                    content_version=worksheet.type.content_hash,
                    created_at=decided,
                )
            )
            when += timedelta(days=3)
            worksheet.status = "approved" if decision["decision"] == "approve" else "returned"
            worksheet.updated_at = decided
            session.flush()
            created += 1
    return created
