"""Erasing an account on request (GDPR art. 17, LGPD art. 18): personal data removed or anonymized, the team's
work kept without the name, all in the caller's one transaction (flush only; nothing is half-done: a failure
anywhere rolls everything back, and the certificate PDFs to delete go only once the transaction commits).

What happens, and why:
- The user row stays (revisions, attachments, reviews and the audit log point to it, so the team's history
  stays coherent) but is anonymized: name ERASED_NAME, a unique non-routable e-mail (RFC 2606 `.invalid`),
  an unusable password, a new session token (every session and remember-me cookie ends), no roles, no
  organization, language and time zone reset, deactivated. Pages show it as "Erased user" (User.display_name).
- Memberships and staff assignments are removed, not kept anonymized: an "Erased user" left in a team would
  count in its dashboards, attendance and certificate lists as a person who can still take part, and a team
  whose leader is erased should visibly need a new leader. What the person did for the team (revisions,
  attachments, data points, reviews, progress scores) is kept and reads "Erased user".
- The person's own records are deleted: module progress, knowledge-check attempts and answers,
  self-assessments, attendance (with its notes), invitations sent to their address, interest-survey answers
  with their address. Held licence seats are freed (download links check the seat: they stop working), and
  calendar feed links stop since they need a membership and an active account.
- Download records keep what was downloaded (the licence's accounting) without the name, e-mail and address.
- The person's name and e-mail written inside the team's work (a charter's team list, a note, a file name) are
  replaced by ERASED_NAME.
- Certificates follow QTP_ERASURE_CERTIFICATES: "keep" (default) leaves them verifiable with the name frozen on
  them, which is what a verifier checks (the certificate is the person's proof, issued to them; erasing it would
  harm them); "revoke" revokes those in force, replaces the name and deletes the PDF.
- Audit: one `account.erased` event (no name, no e-mail in it); every other event whose summary or details hold
  the name or e-mail (present or earlier ones) is redacted through qtp.core.audit.redact, which keeps the hash
  chain verifiable; the events the person acted in lose their IP address.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import String, cast, delete, func, or_, select, update
from sqlalchemy.orm import Session

from qtp.accounts.models import ERASED_DOMAIN, ERASED_NAME, Invitation, User, UserRole, new_session_token
from qtp.accounts.queries import normalize_email
from qtp.accounts.security_models import UserSession
from qtp.accounts.twofactor_services import remove_two_factor
from qtp.certificates.models import Certificate
from qtp.cohorts.models import Attendance, CohortEvent, Membership, StaffAssignment, Team
from qtp.core import audit, storage
from qtp.core.audit import AuditEvent
from qtp.core.db import utcnow
from qtp.core.permissions import Role
from qtp.core.service import ServiceError, authorize
from qtp.interest.models import InterestResponse
from qtp.licensing.models import Download, LicenseSeat
from qtp.measurement.models import DataPoint
from qtp.privacy import redaction
from qtp.progress.models import KnowledgeCheckAttempt, ModuleProgress, ProgressScore, SelfAssessment
from qtp.review.models import Review
from qtp.worksheets.models import Attachment, Worksheet, WorksheetRevision

PERMISSION = "admin:users:erase"
KEEP, REVOKE = "keep", "revoke"
CERTIFICATE_POLICIES = (KEEP, REVOKE)
UNUSABLE_PASSWORD = "!erased"  # not an argon2 hash: no password ever verifies against it  # noqa: S105


def certificate_policy() -> str:
    policy = current_app.config.get("QTP_ERASURE_CERTIFICATES", KEEP)
    return policy if policy in CERTIFICATE_POLICIES else KEEP


def placeholder_email(user_id: int) -> str:
    return f"erased-{user_id}-{secrets.token_hex(6)}@{ERASED_DOMAIN}"


def is_last_admin(session: Session, user: User) -> bool:
    if not user.has_role(Role.ADMIN):
        return False
    others = session.scalar(
        select(func.count(User.id))
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.ADMIN.value, User.id != user.id, User.is_active.is_(True))
    )
    return not others


def check_erasable(session: Session, actor: User, user: User) -> None:
    """The rules of who may be erased; raises ServiceError with the reason."""
    if user.is_erased:
        raise ServiceError(_("This account has already been erased."))
    if user.id == actor.id:
        raise ServiceError(_("You cannot erase your own account."))
    if is_last_admin(session, user):
        raise ServiceError(_("This is the last administrator's account: give another person the role first."))


def _known_identities(session: Session, user: User) -> tuple[set[str], set[str]]:
    """The person's names and e-mail addresses, now and as earlier audit events recorded them."""
    names, emails = {user.name}, {user.email}
    rows = session.scalars(
        select(AuditEvent.details).where(AuditEvent.object_type == "users", AuditEvent.object_id == str(user.id))
    )
    for details in rows:
        for key, into in (("name", names), ("email", emails)):
            change = (details or {}).get(key)
            if isinstance(change, dict):
                into.update(v for v in (change.get("from"), change.get("to")) if isinstance(v, str) and v.strip())
    return {n for n in names if len(n.strip()) >= 3}, {e for e in emails if "@" in e}


def _scrubber(values: Iterable[str]):  # type: ignore[no-untyped-def]
    pattern = re.compile("|".join(re.escape(v) for v in sorted(set(values), key=len, reverse=True)), re.IGNORECASE)

    def scrub(value: Any) -> Any:
        if isinstance(value, str):
            return pattern.sub(ERASED_NAME, value)
        if isinstance(value, list):
            return [scrub(v) for v in value]
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items()}
        return value

    return scrub


def _scrub_team_work(session: Session, team_ids: set[int], scrub) -> None:  # type: ignore[no-untyped-def]
    """The person's name and e-mail inside what their teams wrote, replaced (the work itself is kept)."""
    if not team_ids:
        return
    worksheet_ids = select(Worksheet.id).where(Worksheet.team_id.in_(team_ids))
    for worksheet in session.scalars(select(Worksheet).where(Worksheet.team_id.in_(team_ids))):
        cleaned = scrub(worksheet.data or {})
        if cleaned != worksheet.data:
            worksheet.data = cleaned
    for revision in session.scalars(select(WorksheetRevision).where(WorksheetRevision.worksheet_id.in_(worksheet_ids))):
        cleaned = scrub(revision.data or {})
        if cleaned != revision.data:
            revision.data = cleaned
    for review in session.scalars(select(Review).where(Review.worksheet_id.in_(worksheet_ids))):
        for field in ("comment", "criterion_comments", "field_comments"):
            value = getattr(review, field)
            if scrub(value) != value:
                setattr(review, field, scrub(value))
    for model, column in ((Attachment, "filename"), (DataPoint, "note")):
        key = Attachment.worksheet_id if model is Attachment else DataPoint.measure_id
        for row in session.scalars(select(model).where(key.in_(worksheet_ids))):
            if scrub(getattr(row, column)) != getattr(row, column):
                setattr(row, column, scrub(getattr(row, column)))
    for score in session.scalars(select(ProgressScore).where(ProgressScore.team_id.in_(team_ids))):
        if scrub(score.note) != score.note:
            score.note = scrub(score.note)
    for team in session.scalars(select(Team).where(Team.id.in_(team_ids))):
        if scrub(team.graduate_result) != team.graduate_result:
            team.graduate_result = scrub(team.graduate_result)
        if scrub(team.project_title) != team.project_title:
            team.project_title = scrub(team.project_title)


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _events_naming(session: Session, values: set[str]) -> list[AuditEvent]:
    conditions = []
    for value in values:
        for form in {value, json.dumps(value)[1:-1]}:  # JSON escapes accents: "Jos\u00e9"
            like = _like(form)
            conditions += [
                AuditEvent.summary.ilike(like, escape="\\"),
                cast(AuditEvent.details, String).ilike(like, escape="\\"),
            ]
    return list(session.scalars(select(AuditEvent).where(or_(*conditions)).order_by(AuditEvent.id)))


def erase_account(session: Session, actor: User, user: User, *, confirm_email: str) -> AuditEvent:
    """Erase `user` (see the module's docstring). `confirm_email` must be the account's address, typed."""
    authorize(actor, PERMISSION)
    check_erasable(session, actor, user)
    if normalize_email(confirm_email or "") != user.email:
        raise ServiceError(_("Type the account's e-mail address exactly to confirm."), field="confirm_email")
    policy = certificate_policy()
    now = utcnow()
    names, emails = _known_identities(session, user)
    scrub = _scrubber(names | emails)
    counts: dict[str, int] = {}

    team_ids = set(session.scalars(select(Membership.team_id).where(Membership.user_id == user.id)))
    team_ids |= set(session.scalars(select(Team.id).where(Team.coach_id == user.id)))
    _scrub_team_work(session, team_ids, scrub)
    cohort_ids = set(session.scalars(select(Team.cohort_id).where(Team.id.in_(team_ids))))
    cohort_ids |= set(session.scalars(select(StaffAssignment.cohort_id).where(StaffAssignment.user_id == user.id)))

    def remove(key: str, statement) -> None:  # type: ignore[no-untyped-def]
        counts[key] = session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0

    remove("memberships", delete(Membership).where(Membership.user_id == user.id))
    remove("staff_assignments", delete(StaffAssignment).where(StaffAssignment.user_id == user.id))
    remove("attendance", delete(Attendance).where(Attendance.user_id == user.id))
    remove("module_progress", delete(ModuleProgress).where(ModuleProgress.user_id == user.id))
    remove("knowledge_check_attempts", delete(KnowledgeCheckAttempt).where(KnowledgeCheckAttempt.user_id == user.id))
    remove("self_assessments", delete(SelfAssessment).where(SelfAssessment.user_id == user.id))
    remove(
        "invitations",
        delete(Invitation).where(or_(func.lower(Invitation.email).in_(emails), Invitation.user_id == user.id)),
    )
    remove("interest_survey_answers", delete(InterestResponse).where(func.lower(InterestResponse.email).in_(emails)))
    session.execute(update(Team).where(Team.coach_id == user.id).values(coach_id=None))
    counts["licence_seats_freed"] = (
        session.execute(
            update(LicenseSeat)
            .where(LicenseSeat.user_id == user.id, LicenseSeat.freed_at.is_(None))
            .values(freed_at=now, freed_by_id=actor.id)
        ).rowcount
        or 0
    )
    # Notes on other people's attendance in the person's cohorts can name them ("covering for ...").
    events = select(CohortEvent.id).where(CohortEvent.cohort_id.in_(cohort_ids))
    for attendance in session.scalars(select(Attendance).where(Attendance.event_id.in_(events))):
        if scrub(attendance.note) != attendance.note:
            attendance.note = scrub(attendance.note)

    placeholder = placeholder_email(user.id)
    counts["downloads"] = (
        session.execute(
            update(Download)
            .where(Download.user_id == user.id)
            .values(user_name=ERASED_NAME, user_email=placeholder, address="")
        ).rowcount
        or 0
    )
    certificates = list(session.scalars(select(Certificate).where(Certificate.user_id == user.id)))
    counts["certificates"] = len(certificates)
    if policy == REVOKE:
        for certificate in certificates:
            if certificate.revoked_at is None:
                certificate.revoked_at, certificate.revoked_by_id = now, actor.id
                certificate.revoked_reason = "Account erased on request"
            certificate.recipient_name = ERASED_NAME
            if certificate.storage_key:
                storage.delete_after_commit(session, certificate.storage_key)
                certificate.storage_key, certificate.sha256 = None, None

    remove_two_factor(session, user)
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))  # addresses, browsers, times
    user.name = ERASED_NAME
    user.email = placeholder
    user.password_hash = UNUSABLE_PASSWORD
    user.session_token = new_session_token()
    user.roles.clear()
    user.organization_id = None
    user.locale, user.timezone = None, "UTC"
    user.last_login_at = None
    user.is_active = False
    session.flush()

    event = audit.record(
        session,
        actor,
        "account.erased",
        user,
        summary=f"#{user.id}",
        details={"certificates": policy, "removed": counts},
    )
    session.flush()
    # e-mails first: a name can be part of an address
    replacements = {value: placeholder for value in emails} | {value: ERASED_NAME for value in names}
    events = _events_naming(session, names | emails)
    known = {e.id for e in events}
    events += session.scalars(
        select(AuditEvent).where(AuditEvent.actor_id == user.id, AuditEvent.ip_address.is_not(None))
    ).all()
    events = list({e.id: e for e in events if e.id != event.id and (e.id in known or e.ip_address)}.values())
    redaction.redact(session, events, by=event, replacements=replacements, actor_id=user.id)
    return event
