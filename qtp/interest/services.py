"""The interest survey's rules: what an answer must hold, the spam checks, the confirmation e-mail in the
visitor's language, and admins marking answers as handled (audited).

Spam is kept out without third-party services: a honeypot field people never see (a filled one is accepted
silently and nothing is stored), a signed time stamp of when the form was shown (answers sent within a few
seconds, or from a form older than a day, are refused with a message), and a rate limit per address (views).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from qtp.accounts.models import User
from qtp.core import audit
from qtp.core.db import utcnow
from qtp.core.i18n import country_choices, supported_locales
from qtp.core.mail import queue_mail, render_mail
from qtp.core.service import ServiceError, authorize
from qtp.core.urls import external_url
from qtp.interest.models import PROGRAM_LABELS, ROLE_LABELS, InterestProgram, InterestResponse

WRITE = "admin:interest:write"
MESSAGE_MAX = 2000
MIN_SECONDS = 3  # faster than a person can read the form
MAX_SECONDS = 24 * 3600
_SALT = "qtp-interest-form"


@dataclass(frozen=True)
class Answer:
    country: str
    organization: str
    role: str
    program: str
    team_size: int | None
    language: str
    email: str
    message: str
    consent: bool
    locale: str


def form_stamp(shown_at: float | None = None) -> str:
    """When the form was shown (now, unless told), signed: the form's hidden field."""
    moment = int(time.time() if shown_at is None else shown_at)
    return str(URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT).dumps(moment))


def check_stamp(stamp: str, now: float | None = None) -> None:
    """Refuse an answer sent too fast after the form was shown, from a stale form, or with a forged stamp."""
    try:
        shown = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT).loads(stamp or "")
    except BadSignature:
        shown = None
    elapsed = (now or time.time()) - shown if isinstance(shown, int) else -1
    if not 0 <= elapsed <= MAX_SECONDS:
        raise ServiceError(_("This form has expired. Please check your answers and send them again."))
    if elapsed < MIN_SECONDS:
        raise ServiceError(_("The form was sent too quickly. Please check your answers and send them again."))


def _check(answer: Answer) -> None:
    if answer.country not in {code for code, _name in country_choices("en")}:
        raise ServiceError(_("Choose your country from the list."), field="country")
    if not answer.organization.strip() or len(answer.organization) > 200:
        raise ServiceError(_("Please enter your hospital, practice or organization."), field="organization")
    if answer.role not in ROLE_LABELS:
        raise ServiceError(_("Choose your role from the list."), field="role")
    if answer.program not in set(InterestProgram):
        raise ServiceError(_("Choose what you are interested in."), field="program")
    if answer.team_size is not None and not 1 <= answer.team_size <= 50:
        raise ServiceError(_("A team has from 1 to 50 people."), field="team_size")
    if answer.language not in supported_locales():
        raise ServiceError(_("Choose a language from the list."), field="language")
    if len(answer.message) > MESSAGE_MAX:
        raise ServiceError(_("Keep the message under %(max)s characters.", max=MESSAGE_MAX), field="message")
    if not answer.consent:
        raise ServiceError(_("Please agree to be contacted, or we cannot answer you."), field="consent")


def submit(session: Session, answer: Answer, *, honeypot: str, stamp: str) -> InterestResponse | None:
    """Store a visitor's answer and queue its confirmation; None (nothing stored) when the honeypot was filled."""
    if honeypot:
        return None
    check_stamp(stamp)
    _check(answer)
    locale = answer.locale if answer.locale in supported_locales() else "en"
    response = InterestResponse(
        country=answer.country,
        organization=answer.organization.strip(),
        role=answer.role,
        program=answer.program,
        team_size=answer.team_size,
        language=answer.language,
        email=answer.email.strip().lower(),
        message=answer.message.strip(),
        consent=True,
        locale=locale,
    )
    session.add(response)
    session.flush()
    mail = render_mail(
        response.email,
        locale,
        "interest/email/confirmation",
        response=response,
        program=PROGRAM_LABELS[InterestProgram(response.program)],
        site=external_url("public.index"),
    )
    queue_mail(session, mail)
    return response


def mark_handled(session: Session, actor: User, response: InterestResponse, handled: bool) -> bool:
    """Mark an answer as followed up (or not); False when nothing changed."""
    authorize(actor, WRITE)
    if (response.handled_at is not None) == handled:
        return False
    response.handled_at = utcnow() if handled else None
    response.handled_by_id = actor.id if handled else None
    audit.record(
        session,
        actor,
        "interest.handled" if handled else "interest.reopened",
        response,
        summary=f"{response.organization} · {response.country}",
    )
    return True
