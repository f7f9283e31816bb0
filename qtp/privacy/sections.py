"""The sections of data.json: one reader per section, each yielding the person's records a batch at a time
(see export.py for the format). Only the person's own data: never another person's name or e-mail."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from qtp.accounts.models import Invitation, User
from qtp.catalog.models import Module, Program, WorksheetType
from qtp.certificates.document import verify_url
from qtp.certificates.models import Certificate
from qtp.cohorts.models import Attendance, Cohort, CohortEvent, Membership, StaffAssignment, Team
from qtp.core.audit import AuditEvent
from qtp.interest.models import InterestResponse
from qtp.licensing.models import Download, License, LicenseSeat
from qtp.measurement.models import DataPoint
from qtp.progress.models import KnowledgeCheckAttempt, ModuleProgress, ProgressScore, SelfAssessment
from qtp.review.models import Review
from qtp.worksheets.models import Attachment, Worksheet, WorksheetRevision

BATCH = 500

SECTIONS = (
    "profile",
    "memberships",
    "staff_assignments",
    "invitations",
    "licence_seats",
    "module_progress",
    "knowledge_check_attempts",
    "self_assessments",
    "attendance",
    "worksheet_contributions",
    "attachments",
    "data_points",
    "reviews_written",
    "progress_scores",
    "certificates",
    "downloads",
    "interest_survey_answers",
    "audit_entries",
)


def iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def safe_filename(name: str) -> str:
    """A name safe inside an archive on every system: no folders, no control or reserved characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[\x00-\x1f<>:\"|?*]+", "_", base).strip(" .")
    return base[:120] or "file"


def _rows(session: Session, statement) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    yield from session.execute(statement.execution_options(yield_per=BATCH))


def _title(texts: dict | None, locale: str, slug: str) -> str:
    texts = texts or {}
    return (texts.get(locale) or {}).get("title") or (texts.get("en") or {}).get("title") or slug


# -- sections -------------------------------------------------------------------------------------------------


def _profile(session: Session, user: User, locale: str) -> Iterator[dict]:
    yield {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "organization": user.organization.name if user.organization else None,
        "roles": sorted(r.role for r in user.roles),
        "language": user.locale,
        "timezone": user.timezone,
        "is_active": user.is_active,
        "created_at": iso(user.created_at),
        "last_sign_in_at": iso(user.last_login_at),
    }


def _memberships(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(Membership.role, Membership.created_at, Team.id, Team.project_title, Cohort.name, Program.titles)
        .join(Team, Team.id == Membership.team_id)
        .join(Cohort, Cohort.id == Team.cohort_id)
        .join(Program, Program.id == Cohort.program_id)
        .where(Membership.user_id == user.id)
        .order_by(Membership.id)
    )
    for role, since, team_id, project, cohort, titles in _rows(session, statement):
        yield {
            "team_id": team_id,
            "project_title": project,
            "cohort": cohort,
            "program": Program.title_of(titles or {}, locale, ""),
            "role": role,
            "since": iso(since),
        }


def _staff(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(StaffAssignment.role, StaffAssignment.created_at, Cohort.name)
        .join(Cohort, Cohort.id == StaffAssignment.cohort_id)
        .where(StaffAssignment.user_id == user.id)
        .order_by(StaffAssignment.id)
    )
    for role, since, cohort in _rows(session, statement):
        yield {"cohort": cohort, "role": role, "since": iso(since)}


def _invitations(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(Invitation)
        .where(or_(Invitation.email == user.email, Invitation.user_id == user.id))
        .order_by(Invitation.id)
    )
    now = datetime.now(UTC)
    for (invitation,) in _rows(session, statement):
        yield {
            "email": invitation.email,
            "name": invitation.name,
            "roles": invitation.roles,
            "team_role": invitation.team_role,
            "language": invitation.locale,
            "created_at": iso(invitation.created_at),
            "expires_at": iso(invitation.expires_at),
            "accepted_at": iso(invitation.accepted_at),
            "status": invitation.status(now),
        }


def _seats(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(LicenseSeat.assigned_at, LicenseSeat.freed_at, License.number, License.product)
        .join(License, License.id == LicenseSeat.license_id)
        .where(LicenseSeat.user_id == user.id)
        .order_by(LicenseSeat.id)
    )
    for assigned, freed, number, product in _rows(session, statement):
        yield {"licence": number, "product": product, "assigned_at": iso(assigned), "freed_at": iso(freed)}


def _module_progress(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(ModuleProgress.completed_at, ModuleProgress.content_version, Module.slug)
        .join(Module, Module.id == ModuleProgress.module_id)
        .where(ModuleProgress.user_id == user.id)
        .order_by(ModuleProgress.id)
    )
    for completed, version, module in _rows(session, statement):
        yield {"module": module, "completed_at": iso(completed), "content_version": version}


def _attempts(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(KnowledgeCheckAttempt, Module.slug)
        .join(Module, Module.id == KnowledgeCheckAttempt.module_id)
        .where(KnowledgeCheckAttempt.user_id == user.id)
        .order_by(KnowledgeCheckAttempt.id)
    )
    for attempt, module in _rows(session, statement):
        yield {
            "module": module,
            "submitted_at": iso(attempt.submitted_at),
            "answers": attempt.answers,
            "correct": attempt.correct,
            "total": attempt.total,
            "score_percent": attempt.score,
            "passed": attempt.passed,
            "content_version": attempt.content_version,
        }


def _self_assessments(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(SelfAssessment, Cohort.name)
        .join(Cohort, Cohort.id == SelfAssessment.cohort_id)
        .where(SelfAssessment.user_id == user.id)
        .order_by(SelfAssessment.id)
    )
    for assessment, cohort in _rows(session, statement):
        yield {
            "cohort": cohort,
            "kind": assessment.kind,
            "ratings": assessment.ratings,
            "submitted_at": iso(assessment.submitted_at),
        }


def _attendance(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(Attendance.status, Attendance.note, Attendance.recorded_at, CohortEvent.key, CohortEvent.starts_on)
        .add_columns(CohortEvent.title, Cohort.name)
        .join(CohortEvent, CohortEvent.id == Attendance.event_id)
        .join(Cohort, Cohort.id == CohortEvent.cohort_id)
        .where(Attendance.user_id == user.id)
        .order_by(Attendance.id)
    )
    for status, note, recorded, key, starts, title, cohort in _rows(session, statement):
        yield {
            "cohort": cohort,
            "event": title or key,
            "date": iso(starts),
            "status": status,
            "note": note,
            "recorded_at": iso(recorded),
        }


def written_fields(data: dict, previous: dict | None) -> dict:
    """The fields of a revision that its author wrote: those that differ from the revision before it."""
    previous = previous or {}
    return {key: value for key, value in data.items() if value != previous.get(key) and value not in ("", None, [])}


def _contributions(session: Session, user: User, locale: str) -> Iterator[dict]:
    before = aliased(WorksheetRevision)
    statement = (
        select(WorksheetRevision, before.data, Worksheet.record_no, Worksheet.team_id, WorksheetType.slug)
        .add_columns(WorksheetType.texts)
        .join(Worksheet, Worksheet.id == WorksheetRevision.worksheet_id)
        .join(WorksheetType, WorksheetType.id == Worksheet.type_id)
        .outerjoin(
            before,
            and_(before.worksheet_id == WorksheetRevision.worksheet_id, before.number == WorksheetRevision.number - 1),
        )
        .where(WorksheetRevision.author_id == user.id)
        .order_by(WorksheetRevision.worksheet_id, WorksheetRevision.number)
    )
    for revision, previous, record_no, team_id, slug, texts in _rows(session, statement):
        yield {
            "worksheet": _title(texts, locale, slug),
            "worksheet_type": slug,
            "record": record_no,
            "team_id": team_id,
            "version": revision.number,
            "reason": revision.reason,
            "saved_at": iso(revision.created_at),
            "fields_written": written_fields(revision.data or {}, previous),
        }


def attachment_rows(session: Session, user: User) -> Iterator[tuple[Attachment, str]]:
    statement = (
        select(Attachment, WorksheetType.slug)
        .join(Worksheet, Worksheet.id == Attachment.worksheet_id)
        .join(WorksheetType, WorksheetType.id == Worksheet.type_id)
        .where(Attachment.uploaded_by_id == user.id)
        .order_by(Attachment.id)
    )
    yield from _rows(session, statement)


def attachment_path(attachment: Attachment) -> str:
    """Where an uploaded file goes in the archive: its id keeps two files of the same name apart."""
    return f"files/{attachment.id}-{safe_filename(attachment.filename)}"


def _attachments(session: Session, user: User, locale: str) -> Iterator[dict]:
    for attachment, slug in attachment_rows(session, user):
        yield {
            "filename": attachment.filename,
            "in_archive": attachment_path(attachment),
            "worksheet_type": slug,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "sha256": attachment.sha256,
            "uploaded_at": iso(attachment.created_at),
        }


def _data_points(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(DataPoint, Worksheet.team_id, Worksheet.record_no)
        .join(Worksheet, Worksheet.id == DataPoint.measure_id)
        .where(DataPoint.created_by_id == user.id)
        .order_by(DataPoint.id)
    )
    for point, team_id, record_no in _rows(session, statement):
        yield {
            "team_id": team_id,
            "measure": record_no,
            "period": iso(point.period),
            "numerator": point.numerator,
            "denominator": point.denominator,
            "value": point.value,
            "note": point.note,
            "entered_at": iso(point.created_at),
        }


def _reviews(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(Review, Worksheet.team_id, WorksheetType.slug)
        .join(Worksheet, Worksheet.id == Review.worksheet_id)
        .join(WorksheetType, WorksheetType.id == Worksheet.type_id)
        .where(Review.reviewer_id == user.id)
        .order_by(Review.id)
    )
    for review, team_id, slug in _rows(session, statement):
        yield {
            "team_id": team_id,
            "worksheet_type": slug,
            "decision": review.decision,
            "scores": review.scores,
            "comment": review.comment,
            "criterion_comments": review.criterion_comments,
            "field_comments": review.field_comments,
            "decided_at": iso(review.created_at),
        }


def _progress_scores(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(ProgressScore)
        .where(or_(ProgressScore.proposed_by_id == user.id, ProgressScore.confirmed_by_id == user.id))
        .order_by(ProgressScore.id)
    )
    for (score,) in _rows(session, statement):
        proposed = score.proposed_by_id == user.id
        yield {
            "team_id": score.team_id,
            "you": "proposed" if proposed else "confirmed",
            "proposed_score": score.proposed_score,
            "note": score.note if proposed else "",
            "proposed_at": iso(score.proposed_at),
            "confirmed_score": score.confirmed_score if score.confirmed_by_id == user.id else None,
            "confirmed_at": iso(score.confirmed_at) if score.confirmed_by_id == user.id else None,
        }


def _certificates(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(Certificate, Cohort.name)
        .join(Cohort, Cohort.id == Certificate.cohort_id)
        .where(Certificate.user_id == user.id)
        .order_by(Certificate.id)
    )
    for certificate, cohort in _rows(session, statement):
        yield {
            "serial": certificate.serial,
            "verify_url": verify_url(certificate.serial),
            "recipient_name": certificate.recipient_name,
            "cohort": cohort,
            "language": certificate.locale,
            "issued_at": iso(certificate.issued_at),
            "revoked_at": iso(certificate.revoked_at),
            "revoked_reason": certificate.revoked_reason or None,
        }


def _downloads(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(Download, License.number)
        .join(License, License.id == Download.license_id)
        .where(Download.user_id == user.id)
        .order_by(Download.id)
    )
    for download, number in _rows(session, statement):
        yield {
            "licence": number,
            "product": download.product,
            "language": download.locale,
            "file": download.file or None,
            "at": iso(download.at),
            "address": download.address,
            "bytes_sent": download.bytes_sent,
            "status": download.status,
        }


def _interest(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = select(InterestResponse).where(InterestResponse.email == user.email).order_by(InterestResponse.id)
    for (answer,) in _rows(session, statement):
        yield {
            "country": answer.country,
            "organization": answer.organization,
            "role": answer.role,
            "program": answer.program,
            "team_size": answer.team_size,
            "language": answer.language,
            "email": answer.email,
            "message": answer.message,
            "consent": answer.consent,
            "answered_at": iso(answer.created_at),
        }


def _audit(session: Session, user: User, locale: str) -> Iterator[dict]:
    """Entries where the person acted or which are about their account. What they did to other things is
    named by its type and id only: the summaries of those entries can name other people."""
    about = and_(AuditEvent.object_type == "users", AuditEvent.object_id == str(user.id))
    statement = select(AuditEvent).where(or_(AuditEvent.actor_id == user.id, about)).order_by(AuditEvent.id)
    for (event,) in _rows(session, statement):
        own = event.object_type == "users" and event.object_id == str(user.id)
        yield {
            "at": iso(event.at),
            "action": event.action,
            "by": "you" if event.actor_id == user.id else ("another user" if event.actor_id else "the system"),
            "object": f"{event.object_type}/{event.object_id}",
            "summary": event.summary if own else "",
            "details": event.details if own and event.actor_id == user.id else {},
            "address": event.ip_address if event.actor_id == user.id else None,
        }


SECTION_READERS = {
    "profile": _profile,
    "memberships": _memberships,
    "staff_assignments": _staff,
    "invitations": _invitations,
    "licence_seats": _seats,
    "module_progress": _module_progress,
    "knowledge_check_attempts": _attempts,
    "self_assessments": _self_assessments,
    "attendance": _attendance,
    "worksheet_contributions": _contributions,
    "attachments": _attachments,
    "data_points": _data_points,
    "reviews_written": _reviews,
    "progress_scores": _progress_scores,
    "certificates": _certificates,
    "downloads": _downloads,
    "interest_survey_answers": _interest,
    "audit_entries": _audit,
}
assert tuple(SECTION_READERS) == SECTIONS
