"""The sections of data.json about the person's work and traces: worksheet contributions, attachments, data
points, reviews written, progress scores, certificates, downloads, interest-survey answers, audit entries."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from qtp.accounts.models import User
from qtp.catalog.models import WorksheetType
from qtp.certificates.document import verify_url
from qtp.certificates.models import Certificate
from qtp.cohorts.models import Cohort
from qtp.core.audit import AuditEvent
from qtp.interest.models import InterestResponse
from qtp.licensing.models import Download, License
from qtp.measurement.models import DataPoint
from qtp.privacy.records import iso, rows, safe_filename, title
from qtp.progress.models import ProgressScore
from qtp.review.models import Review
from qtp.worksheets.models import Attachment, Worksheet, WorksheetRevision


def written_fields(data: dict, previous: dict | None) -> dict:
    """The fields of a revision that its author wrote: those that differ from the revision before it."""
    previous = previous or {}
    return {key: value for key, value in data.items() if value != previous.get(key) and value not in ("", None, [])}


def contributions(session: Session, user: User, locale: str) -> Iterator[dict]:
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
    for revision, previous, record_no, team_id, slug, texts in rows(session, statement):
        yield {
            "worksheet": title(texts, locale, slug),
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
    yield from rows(session, statement)


def attachment_path(attachment: Attachment) -> str:
    """Where an uploaded file goes in the archive: its id keeps two files of the same name apart."""
    return f"files/{attachment.id}-{safe_filename(attachment.filename)}"


def attachments(session: Session, user: User, locale: str) -> Iterator[dict]:
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


def data_points(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(DataPoint, Worksheet.team_id, Worksheet.record_no)
        .join(Worksheet, Worksheet.id == DataPoint.measure_id)
        .where(DataPoint.created_by_id == user.id)
        .order_by(DataPoint.id)
    )
    for point, team_id, record_no in rows(session, statement):
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


def reviews(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(Review, Worksheet.team_id, WorksheetType.slug)
        .join(Worksheet, Worksheet.id == Review.worksheet_id)
        .join(WorksheetType, WorksheetType.id == Worksheet.type_id)
        .where(Review.reviewer_id == user.id)
        .order_by(Review.id)
    )
    for review, team_id, slug in rows(session, statement):
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


def progress_scores(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(ProgressScore)
        .where(or_(ProgressScore.proposed_by_id == user.id, ProgressScore.confirmed_by_id == user.id))
        .order_by(ProgressScore.id)
    )
    for (score,) in rows(session, statement):
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


def certificates(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(Certificate, Cohort.name)
        .join(Cohort, Cohort.id == Certificate.cohort_id)
        .where(Certificate.user_id == user.id)
        .order_by(Certificate.id)
    )
    for certificate, cohort in rows(session, statement):
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


def downloads(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = (
        select(Download, License.number)
        .join(License, License.id == Download.license_id)
        .where(Download.user_id == user.id)
        .order_by(Download.id)
    )
    for download, number in rows(session, statement):
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


def interest(session: Session, user: User, locale: str) -> Iterator[dict]:
    statement = select(InterestResponse).where(InterestResponse.email == user.email).order_by(InterestResponse.id)
    for (answer,) in rows(session, statement):
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


def audit(session: Session, user: User, locale: str) -> Iterator[dict]:
    """Entries where the person acted or which are about their account. What they did to other things is
    named by its type and id only: the summaries of those entries can name other people."""
    about = and_(AuditEvent.object_type == "users", AuditEvent.object_id == str(user.id))
    statement = select(AuditEvent).where(or_(AuditEvent.actor_id == user.id, about)).order_by(AuditEvent.id)
    for (event,) in rows(session, statement):
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
