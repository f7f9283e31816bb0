"""Issuing certificates. A certificate needs the program's completion rule to hold for the participant; issuing
is idempotent: one certificate in force per participant and cohort, however many attempts run at once."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.certificates import rules, serials
from qtp.certificates.facts import completion_for
from qtp.certificates.models import Certificate
from qtp.cohorts.models import PARTICIPATING_ROLES, Cohort, Membership, Team
from qtp.core import audit
from qtp.core.service import ServiceError, authorize

WRITE = "admin:certificates:write"


def find_in_force(session: Session, user_id: int, cohort_id: int) -> Certificate | None:
    return session.scalar(
        select(Certificate).where(
            Certificate.user_id == user_id, Certificate.cohort_id == cohort_id, Certificate.revoked_at.is_(None)
        )
    )


def issue_certificate(session: Session, actor: User | None, user: User, cohort: Cohort) -> Certificate:
    """The participant's certificate for the cohort: the one in force, or a new one if the completion rule
    holds. `actor` is the admin issuing it, or None when it is issued automatically."""
    if actor is not None:
        authorize(actor, WRITE)
    existing = find_in_force(session, user.id, cohort.id)
    if existing is not None:
        return existing
    team_id = session.scalar(
        select(Membership.team_id)
        .join(Team, Membership.team_id == Team.id)
        .where(Team.cohort_id == cohort.id, Membership.user_id == user.id, Membership.role.in_(PARTICIPATING_ROLES))
    )
    if team_id is None:
        raise ServiceError(_("%(name)s is not a participant of this cohort.", name=user.name))
    if not rules.is_complete(completion_for(session, user.id, team_id, cohort)):
        raise ServiceError(_("%(name)s has not met every condition of the program yet.", name=user.name))
    certificate = Certificate(
        serial=serials.new_serial(),
        user_id=user.id,
        cohort_id=cohort.id,
        team_id=team_id,
        recipient_name=user.name,
        locale=user.locale or cohort.locale or "en",
        issued_by_id=actor.id if actor else None,
    )
    try:
        with session.begin_nested():  # another attempt may have issued it meanwhile: keep that one
            session.add(certificate)
    except IntegrityError:
        existing = find_in_force(session, user.id, cohort.id)
        if existing is None:
            raise
        return existing
    audit.record(session, actor, "certificate.issued", certificate, summary=f"{user.email} · {cohort.slug}")
    return certificate
