"""The signed-in home page: a section for each role the user holds."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from qtp.admin.queries import count_overview, list_recent_audit_events
from qtp.cohorts.models import Cohort
from qtp.cohorts.queries import list_cohorts_of_staff, list_teams_of_member
from qtp.core.i18n import current_locale_code, user_today
from qtp.core.permissions import SELF, Role, require
from qtp.extensions import db
from qtp.licensing.models import STATE_LABELS
from qtp.licensing.queries import held_licenses
from qtp.progress.home import participant_summary
from qtp.review.queries import count_waiting
from qtp.worksheets.models import STATUS_LABELS

STATUS_LABELS_BY_VALUE = {status.value: label for status, label in STATUS_LABELS.items()}

bp = Blueprint("home", __name__, template_folder="templates")


@bp.route("/home")
@require(SELF)
def index():
    user = current_user
    locale = current_locale_code()
    roles = user.role_set
    teams = list_teams_of_member(db.session, user.id, locale)
    is_staff = bool(roles & {Role.FACULTY, Role.COACH})
    today = user_today()
    context = {
        "teams": teams,
        "show_participant": Role.PARTICIPANT in roles or bool(teams),
        "show_staff": is_staff,
        "cohorts": list_cohorts_of_staff(db.session, user.id, locale, with_sessions=False) if is_staff else [],
        "waiting_reviews": count_waiting(db.session, user.id) if is_staff else 0,
        "summary": participant_summary(
            db.session, user.id, [(t.id, db.session.get(Cohort, t.cohort_id)) for t in teams], locale, today
        ),
        "show_licensee": Role.LICENSEE in roles,
        "licenses": held_licenses(db.session, user.id, today, locale) if Role.LICENSEE in roles else [],
        "license_states": STATE_LABELS,
        "show_admin": Role.ADMIN in roles,
        "counts": count_overview(db.session) if Role.ADMIN in roles else None,
        "recent_events": list_recent_audit_events(db.session) if Role.ADMIN in roles else [],
    }
    return render_template("home/index.html", status_labels=STATUS_LABELS_BY_VALUE, **context)


@bp.route("/home/cohorts")
@require("cohorts:dashboard")
def cohorts():
    """The cohorts a faculty member or coach is assigned to, with every page of theirs they may use."""
    user = current_user
    return render_template(
        "home/cohorts.html",
        cohorts=list_cohorts_of_staff(db.session, user.id, current_locale_code()),
        waiting_reviews=count_waiting(db.session, user.id),
    )
