"""The cohort's calendar for a participant's own calendar app: a download, and a private subscription link
(routes on the progress blueprint, and the feed on a blueprint of its own, outside /learning)."""

from __future__ import annotations

from flask import Blueprint, Response
from flask_babel import force_locale
from sqlalchemy import select

from qtp.accounts.models import User
from qtp.cohorts.calendar_feed import cohort_ics, due_dates, read_token
from qtp.core.i18n import current_locale_code
from qtp.core.permissions import ensure_visible, public, require, unlisted
from qtp.core.urls import external_url
from qtp.extensions import db
from qtp.progress import queries
from qtp.progress.views import PARTICIPATE, _cohort, bp

feed_bp = Blueprint("calendar", __name__)


def _ics(cohort, locale: str) -> Response:
    link = external_url("progress.overview", cohort_id=cohort.id)
    body = cohort_ics(cohort, locale, due_dates(db.session, cohort, locale), link)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="qtp-{cohort.slug}.ics"'
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/<int:cohort_id>/calendar.ics")
@require(PARTICIPATE)
def calendar_file(cohort_id: int):
    return _ics(_cohort(cohort_id), current_locale_code())


@feed_bp.get("/calendar/<token>.ics")
@public
@unlisted
def feed(token: str):
    """The subscription: the token names the person and the cohort; the dates are theirs while they belong to
    a team of the cohort and their account is active (else: not found, as for any unknown link)."""
    found = read_token(token)
    ensure_visible(found is not None)
    user_id, cohort_id = found  # type: ignore[misc]
    user = db.session.scalar(select(User).where(User.id == user_id))
    ensure_visible(user is not None and user.is_active)
    cohort = queries.find_member_cohort(db.session, user_id, cohort_id)
    ensure_visible(cohort is not None)
    locale = user.locale or cohort.locale or "en"
    with force_locale(locale):
        return _ics(cohort, locale)
