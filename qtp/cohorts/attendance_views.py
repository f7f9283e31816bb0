"""Recording attendance at a learning session (the cohort's faculty and admins); routes on the cohorts blueprint."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qtp.cohorts import admin_queries as queries
from qtp.cohorts import attendance, forms, policy
from qtp.cohorts.models import ATTENDANCE_LABELS
from qtp.cohorts.queries import staff_roles
from qtp.cohorts.views import bp
from qtp.core.forms import commit_or_show
from qtp.core.i18n import current_locale_code
from qtp.core.permissions import Role, ensure_visible, require
from qtp.extensions import db


@bp.route("/cohorts/<int:cohort_id>/attendance/<int:event_id>", methods=["GET", "POST"])
@require("cohorts:attendance")
def attendance_sheet(cohort_id: int, event_id: int):
    cohort = queries.find_cohort(db.session, cohort_id)
    ensure_visible(cohort is not None)
    is_admin = current_user.has_role(Role.ADMIN)
    roles = staff_roles(db.session, current_user.id, cohort.id)
    ensure_visible(policy.can_record_attendance(is_admin, roles))  # faculty of another cohort: 404
    event = next((e for e in cohort.events if e.id == event_id and e.is_learning_session), None)
    ensure_visible(event is not None)
    rows = queries.list_attendance(db.session, cohort.id, event.id)
    form_class = forms.build_attendance_form([row.user_id for row in rows])
    if form_class().is_submitted():
        form = form_class()
        if form.validate():
            marks = {
                row.user_id: attendance.Mark(
                    form[f"status-{row.user_id}"].data or "", form[f"note-{row.user_id}"].data or ""
                )
                for row in rows
            }
            outcome = commit_or_show(form, lambda: attendance.record_attendance(db.session, current_user, event, marks))
            if outcome.ok:
                flash(_("Attendance saved."), "success")
                return redirect(url_for("cohorts.attendance_sheet", cohort_id=cohort.id, event_id=event.id), 303)
        status = 400
    else:
        data = {f"status-{r.user_id}": r.status for r in rows} | {f"note-{r.user_id}": r.note for r in rows}
        form, status = form_class(formdata=None, data=data), 200
    return (
        render_template(
            "cohorts/attendance.html",
            cohort=cohort,
            event=event,
            title=event.title_in(current_locale_code()),
            rows=rows,
            form=form,
            can_excuse=policy.can_excuse_absence(is_admin),
            labels=ATTENDANCE_LABELS,
        ),
        status,
    )
