"""Issuing, revoking and re-issuing certificates.

A certificate needs the program's completion rule to hold for the participant. Issuing is idempotent: one
certificate in force per participant and cohort (a partial unique index), however many attempts run at once.
The row is written first, with the storage key its PDF will have; the PDF is then rendered by a job
(`qtp.certificates.jobs.render`: inline by default, on the RQ queue when Redis is configured), so a run that
dies between the two is finished by the next one, under the same key, leaving no stray file.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.certificates import rules, serials
from qtp.certificates.facts import completion_for
from qtp.certificates.models import Certificate
from qtp.cohorts.models import PARTICIPATING_ROLES, Cohort, Membership, Team
from qtp.core import audit, jobs
from qtp.core.db import utcnow
from qtp.core.service import ServiceError, authorize
from qtp.core.storage import new_key

log = logging.getLogger(__name__)
WRITE = "admin:certificates:write"
RENDER_JOB = "qtp.certificates.jobs:render"
BULK_JOB = "qtp.certificates.jobs:issue_cohort"
REASON_MAX = 500


def find_in_force(session: Session, user_id: int, cohort_id: int) -> Certificate | None:
    return session.scalar(
        select(Certificate).where(
            Certificate.user_id == user_id, Certificate.cohort_id == cohort_id, Certificate.revoked_at.is_(None)
        )
    )


def participant_team(session: Session, user_id: int, cohort_id: int) -> int | None:
    """The team through which the user takes part in the cohort (leader, core or extended member)."""
    return session.scalar(
        select(Membership.team_id)
        .join(Team, Membership.team_id == Team.id)
        .where(Team.cohort_id == cohort_id, Membership.user_id == user_id, Membership.role.in_(PARTICIPATING_ROLES))
    )


def _claim(
    session: Session, actor: User | None, user: User, cohort: Cohort, team_id: int | None
) -> tuple[Certificate, bool]:
    """A new certificate row (True), or the one another attempt has just written (False)."""
    certificate = Certificate(
        serial=serials.new_serial(),
        user_id=user.id,
        cohort_id=cohort.id,
        team_id=team_id,
        recipient_name=user.name,
        locale=user.locale or cohort.locale or "en",
        issued_by_id=actor.id if actor else None,
        storage_key=new_key(),
    )
    try:
        with session.begin_nested():  # another attempt may have issued it meanwhile: keep that one
            session.add(certificate)
    except IntegrityError:
        existing = find_in_force(session, user.id, cohort.id)
        if existing is None:
            raise
        return existing, False
    return certificate, True


def issue_certificate(
    session: Session, actor: User | None, user: User, cohort: Cohort, *, render: bool = True
) -> Certificate:
    """The participant's certificate for the cohort: the one in force, or a new one if the completion rule
    holds. `actor` is the admin issuing it, or None when it is issued automatically. `render=False` leaves the
    PDF to the caller (a bulk run renders a whole cohort at once)."""
    team_id = participant_team(session, user.id, cohort.id)
    if team_id is None:
        if actor is not None:
            authorize(actor, WRITE)
        existing = find_in_force(session, user.id, cohort.id)
        if existing is not None:
            return existing
        raise ServiceError(_("%(name)s is not a participant of this cohort.", name=user.name))
    return issue_completed(
        session, actor, user, cohort, team_id, completion_for(session, user.id, team_id, cohort), render=render
    )


def issue_completed(
    session: Session,
    actor: User | None,
    user: User,
    cohort: Cohort,
    team_id: int,
    conditions: list[rules.Condition],
    *,
    render: bool = True,
) -> Certificate:
    """As issue_certificate, for a caller that has evaluated the completion rule already (`conditions`, for
    this participant of this team): the bulk run and the automatic issue evaluate a whole list at once."""
    if actor is not None:
        authorize(actor, WRITE)
    existing = find_in_force(session, user.id, cohort.id)
    if existing is not None:
        return existing
    if not rules.is_complete(conditions):
        raise ServiceError(_("%(name)s has not met every condition of the program yet.", name=user.name))
    certificate, created = _claim(session, actor, user, cohort, team_id)
    if created:
        how = "by hand" if actor else "automatically"
        audit.record(session, actor, "certificate.issued", certificate, summary=f"{user.email} · {cohort.slug} · {how}")
        if render:
            render_soon(session, [certificate.id])
    return certificate


def render_soon(session: Session, ids: list[int]) -> None:
    """Render the certificates' PDFs (now, or on the queue). A failure to render never undoes the issue nor
    what led to it (an approval, a completed module): the certificate stands, shows as being prepared, and
    the cohort's next bulk run renders it under the same storage key."""
    try:
        with session.begin_nested():
            jobs.enqueue(session, RENDER_JOB, ids)
    except Exception:
        log.exception("certificates %s could not be rendered now; the next bulk run renders them", ids)


def issue_if_complete(session: Session, user_ids: list[int], cohort: Cohort) -> list[Certificate]:
    """Automatic issue: called when something a certificate depends on changed (a module completed, a check
    passed, a worksheet approved, attendance recorded). Issues to each listed participant who now meets
    every condition and holds no certificate yet; never raises for someone who does not."""
    if not (cohort.program.config.get("completion") or []):
        return []
    holders = set(
        session.scalars(
            select(Certificate.user_id).where(
                Certificate.cohort_id == cohort.id,
                Certificate.user_id.in_(user_ids),
                Certificate.revoked_at.is_(None),
            )
        )
    )
    issued = []
    for user_id in user_ids:
        if user_id in holders:
            continue
        team_id = participant_team(session, user_id, cohort.id)
        if team_id is None:
            continue
        conditions = completion_for(session, user_id, team_id, cohort)
        user = session.get(User, user_id)
        if rules.is_complete(conditions) and user is not None and user.is_active:
            issued.append(issue_completed(session, None, user, cohort, team_id, conditions, render=False))
    if issued:  # a whole learning session may complete many participants at once: one rendering pass
        render_soon(session, [certificate.id for certificate in issued])
    return issued


def _reason(reason: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise ServiceError(_("Give the reason: it is kept in the audit log."), field="reason")
    if len(cleaned) > REASON_MAX:
        raise ServiceError(_("Keep the reason under %(max)s characters.", max=REASON_MAX), field="reason")
    return cleaned


def revoke_certificate(session: Session, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Withdraw a certificate: its serial then verifies as revoked, with the date."""
    authorize(actor, WRITE)
    cleaned = _reason(reason)
    if certificate.is_revoked:
        raise ServiceError(_("This certificate was already revoked."))
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = actor.id
    certificate.revoked_reason = cleaned
    session.flush()
    audit.record(
        session,
        actor,
        "certificate.revoked",
        certificate,
        summary=certificate.recipient_name,
        details={"reason": cleaned},
    )
    return certificate


def reissue_certificate(session: Session, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Replace a certificate (after a name correction, say): the old one is revoked and points to the new
    one, which carries the participant's current name under a new serial. The completion rule is not asked
    again: the participant earned the certificate when it was first issued."""
    authorize(actor, WRITE)
    cleaned = _reason(reason)
    if certificate.is_revoked:
        raise ServiceError(_("This certificate was revoked: only the certificate in force can be re-issued."))
    user, cohort = certificate.user, certificate.cohort
    old_name = certificate.recipient_name
    revoke_certificate(session, actor, certificate, cleaned)
    replacement, _created = _claim(session, actor, user, cohort, certificate.team_id)
    certificate.replaced_by_id = replacement.id
    session.flush()
    audit.record(
        session,
        actor,
        "certificate.reissued",
        replacement,
        summary=f"{old_name} → {replacement.recipient_name}",
        details={"replaces": certificate.serial, "reason": cleaned},
    )
    render_soon(session, [replacement.id])
    return replacement


def start_bulk_issue(session: Session, actor: User, cohort: Cohort):  # type: ignore[no-untyped-def]
    """Issue to every participant of the cohort who completed it: at once (inline jobs; returns the
    BulkResult), or on the queue (returns None). The bulk run commits as it goes, so that it can resume."""
    authorize(actor, WRITE)
    return jobs.enqueue(session, BULK_JOB, cohort.id, actor.id)
