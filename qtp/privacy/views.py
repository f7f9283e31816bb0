"""Personal data: "Download my data" (a person's own archive) and the erasure of an account by an admin."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qtp.admin import queries as admin_queries
from qtp.core.db import utcnow
from qtp.core.forms import ConfirmForm, commit_or_show
from qtp.core.i18n import current_locale_code
from qtp.core.permissions import SELF, ensure_visible, require
from qtp.core.ratelimit import enforce
from qtp.extensions import db
from qtp.privacy import erasure, queries, services
from qtp.privacy.forms import EraseAccountForm

bp = Blueprint("privacy", __name__, template_folder="templates")


@bp.post("/account/data.zip")
@require(SELF)
def export():
    if not ConfirmForm().validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
        return redirect(url_for("accounts.profile"))
    user = current_user._get_current_object()
    enforce("QTP_DATA_EXPORT_LIMIT", "data-export", str(user.id))
    now = utcnow()
    plan = services.export_my_data(db.session, user, locale=user.locale or current_locale_code(), now=now)
    db.session.commit()

    def body():  # type: ignore[no-untyped-def]
        try:
            yield from plan.chunks()
        finally:
            plan.close()

    response = Response(
        stream_with_context(body()),
        mimetype="application/zip",
        direct_passthrough=True,
        headers={"Content-Length": str(plan.size), "Cache-Control": "private, no-store"},
    )
    response.headers.set("Content-Disposition", "attachment", filename=f"qtp-my-data-{now.date().isoformat()}.zip")
    return response


@bp.route("/admin/users/<int:user_id>/erase", methods=["GET", "POST"])
@require("admin:users:erase")
def erase(user_id: int):
    user = admin_queries.find_user(db.session, user_id)
    ensure_visible(user is not None)
    actor = current_user._get_current_object()
    form = EraseAccountForm()
    if form.validate_on_submit():
        outcome = commit_or_show(
            form, lambda: services.erase_account(db.session, actor, user, confirm_email=form.confirm_email.data)
        )
        if outcome.ok:
            flash(_("The account has been erased. Its team work is kept under “Erased user”."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return (
        render_template(
            "privacy/erase.html",
            form=form,
            user=user,
            summary=queries.erasure_summary(db.session, actor, user),
            policy=erasure.certificate_policy(),
        ),
        400 if form.errors else 200,
    )
