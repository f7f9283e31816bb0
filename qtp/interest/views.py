"""The International Interest Survey: the public form at `/interest` and its thank-you page; the admins' list
(filters, counts per country as a chart, mark as handled) and its CSV export."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qtp.core.forms import ConfirmForm, commit_or_flash, commit_or_show
from qtp.core.i18n import country_choices, country_name, current_locale_code
from qtp.core.permissions import ensure_visible, public, require, unlisted
from qtp.core.ratelimit import client_address, enforce
from qtp.core.security import back_to_referrer
from qtp.core.spreadsheet import csv_response
from qtp.extensions import db
from qtp.interest import queries, services
from qtp.interest.forms import InterestForm
from qtp.interest.models import PROGRAM_LABELS, ROLE_LABELS, InterestProgram, InterestResponse
from qtp.interest.queries import Filters

bp = Blueprint("interest", __name__, template_folder="templates")
READ = "admin:interest:read"


@bp.route("/interest", methods=["GET", "POST"])
@public
def survey():
    form = InterestForm()
    if not form.is_submitted():
        form.language.data = current_locale_code()  # the language the visitor reads the form in
        if request.args.get("program") in set(InterestProgram):  # from a program page's button
            form.program.data = request.args["program"]
    if request.method == "POST":
        enforce("QTP_INTEREST_LIMIT", "interest", client_address())
        if form.validate_on_submit():
            outcome = commit_or_show(
                form,
                lambda: services.submit(
                    db.session, form.answer(), honeypot=form.website.data or "", stamp=form.stamp.data or ""
                ),
            )
            if outcome.ok:
                return redirect(url_for("interest.thanks"))
    form.stamp.data = services.form_stamp()  # a fresh time stamp on every showing of the form
    status = 400 if form.is_submitted() else 200
    return render_template("interest/survey.html", form=form), status


@bp.get("/interest/thanks")
@public
@unlisted
def thanks():
    return render_template("interest/thanks.html")


def _filters() -> Filters:
    handled = {"yes": True, "no": False}.get(request.args.get("handled", ""))
    country = request.args.get("country") or None
    program = request.args.get("program") or None
    if program not in {None, *InterestProgram}:
        program = None
    return Filters(country=country, program=program, handled=handled)


@bp.get("/admin/interest")
@require(READ)
def index():
    filters = _filters()
    locale = current_locale_code()
    counts = queries.counts_by_country(db.session, filters)
    return render_template(
        "interest/index.html",
        rows=queries.list_responses(db.session, filters),
        counts=[(country_name(code, locale), total) for code, total in counts],
        largest=max((total for _code, total in counts), default=0),
        filters=filters,
        countries=country_choices(locale),
        program_labels=PROGRAM_LABELS,
        role_labels=ROLE_LABELS,
        confirm=ConfirmForm(),
    )


@bp.post("/admin/interest/<int:response_id>/<any(handled, reopen):action>")
@require(services.WRITE)
def mark(response_id: int, action: str):
    response = db.session.get(InterestResponse, response_id)
    ensure_visible(response is not None)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if commit_or_flash(lambda: services.mark_handled(db.session, current_user, response, action == "handled")):
        flash(_("Marked as handled.") if action == "handled" else _("Marked as not handled yet."), "success")
    return redirect(back_to_referrer(request.referrer, request.host, "/admin/interest", url_for("interest.index")))


@bp.get("/admin/interest.csv")
@require(READ)
def export():
    locale = current_locale_code()
    rows = queries.list_responses(db.session, _filters(), limit=None)
    header = [
        _("Date and time (UTC)"),
        _("Country"),
        _("Hospital, practice or organization"),
        _("Your role"),
        _("Interest"),
        _("Size of your team"),
        _("Preferred language of the program"),
        _("Contact e-mail"),
        _("Message"),
        _("Handled"),
    ]
    body = (
        [
            row.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            country_name(row.country, locale),
            row.organization,
            str(ROLE_LABELS.get(row.role, row.role)),
            str(PROGRAM_LABELS.get(InterestProgram(row.program), row.program)),
            row.team_size if row.team_size is not None else "",
            row.language,
            row.email,
            row.message,
            row.handled_at.strftime("%Y-%m-%d") if row.handled_at else "",
        ]
        for row in rows
    )
    return csv_response("qtp-interest", header, body, locale)
