"""Licences: the admins' pages (list, create, terms, seats) and the seat holder's page of their licences."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from qtp.accounts.models import Invitation
from qtp.accounts.services import resend_invitation, revoke_invitation
from qtp.core import jobs
from qtp.core.forms import ConfirmForm, commit_or_flash, commit_or_show, queued_message
from qtp.core.i18n import current_locale_code, user_today
from qtp.core.permissions import ensure_visible, require
from qtp.core.service import ServiceError
from qtp.extensions import db
from qtp.licensing import forms, policy, queries, services
from qtp.licensing.bundles.build import ContentInvalid
from qtp.licensing.models import (
    DOWNLOAD_STATUS_LABELS,
    PRODUCT_USES,
    STATE_LABELS,
    License,
    LicenseSeat,
    LicenseState,
    Product,
)

bp = Blueprint("licensing", __name__, template_folder="templates")
READ, WRITE = "admin:licenses:read", services.WRITE


def _license_form(license_: License | None = None) -> forms.LicenseForm:
    form = forms.LicenseForm(obj=license_)
    form.organization_id.choices = [(None, _("Choose an institution"))] + [
        (org.id, org.name) for org in queries.licensee_organizations(db.session)
    ]
    return form


@bp.get("/admin/licenses")
@require(READ)
def index():
    state = request.args.get("state") or None
    if state is not None and state not in set(LicenseState):
        state = None
    rows = queries.list_licenses(db.session, user_today(), state)
    return render_template(
        "licensing/index.html",
        rows=rows,
        state=state,
        state_labels=STATE_LABELS,
        build_form=ConfirmForm(),
        queued=jobs.uses_queue(),
    )


@bp.post("/admin/licenses/bundles/build")
@require(services.BUILD)
def build_bundles():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        result = services.start_bundle_build(db.session, current_user)  # type: ignore[arg-type]
    except ServiceError as error:  # another build is running
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("licensing.index") + "#bundles")
    except ContentInvalid as error:
        db.session.rollback()
        flash(_("No bundle was built: the course files have errors (%(detail)s).", detail=str(error)), "error")
        return redirect(url_for("licensing.index") + "#bundles")
    db.session.commit()
    if result is None:
        flash(queued_message(_("The bundle build is queued.")), "success")
    elif not result["built"]:
        flash(_("Every bundle is already up to date: nothing was built."), "success")
    else:
        flash(
            ngettext(
                "%(num)s bundle was built; the others were unchanged.",
                "%(num)s bundles were built; the others were unchanged.",
                len(result["built"]),
            ),
            "success",
        )
    return redirect(url_for("licensing.index") + "#bundles")


@bp.route("/admin/licenses/new", methods=["GET", "POST"])
@require(WRITE)
def new():
    form = _license_form()
    if form.validate_on_submit():
        outcome = commit_or_show(form, lambda: services.create_license(db.session, current_user, form.terms()))
        if outcome.ok:
            flash(_("Licence %(number)s created.", number=outcome.result.number), "success")  # type: ignore[union-attr]
            return redirect(url_for("licensing.show", license_id=outcome.result.id))  # type: ignore[union-attr]
    status = 400 if form.is_submitted() else 200
    return render_template("licensing/new.html", form=form), status


def _show(license_: License, form: forms.LicenseForm | None = None, seat: forms.SeatForm | None = None, status=200):
    today = user_today()
    pending = services.pending_invitations(db.session, license_.id)
    return (
        render_template(
            "licensing/show.html",
            license=license_,
            state=license_.state(today),
            state_labels=STATE_LABELS,
            days_left=policy.days_left(license_, today),
            countries=queries.country_names(license_.territory, current_locale_code()),
            uses=PRODUCT_USES[Product(license_.product)],
            form=form or _license_form(license_),
            seat_form=seat or forms.SeatForm(),
            confirm=ConfirmForm(),
            pending=pending,
            taken=services.seats_taken(db.session, license_, pending),
            rows=queries.downloads_of(db.session, license_.id, limit=50),
            status_labels=DOWNLOAD_STATUS_LABELS,
        ),
        status,
    )


def _license_or_404(license_id: int) -> License:
    license_ = queries.load_license(db.session, license_id)
    ensure_visible(license_ is not None)
    return license_  # type: ignore[return-value]


@bp.get("/admin/licenses/<int:license_id>")
@require(READ)
def show(license_id: int):
    return _show(_license_or_404(license_id))


@bp.post("/admin/licenses/<int:license_id>")
@require(WRITE)
def update(license_id: int):
    license_ = _license_or_404(license_id)
    form = _license_form(license_)
    if form.validate_on_submit():
        outcome = commit_or_show(
            form, lambda: services.update_license(db.session, current_user, license_, form.terms())
        )
        if outcome.ok:
            flash(_("The licence was saved.") if outcome.result else _("Nothing was changed."), "success")
            return redirect(url_for("licensing.show", license_id=license_id))
    return _show(license_, form=form, status=400)


@bp.post("/admin/licenses/<int:license_id>/seats")
@require(WRITE)
def give_seat(license_id: int):
    license_ = _license_or_404(license_id)
    seat = forms.SeatForm()
    if seat.validate_on_submit():
        outcome = commit_or_show(
            seat,
            lambda: services.give_seat(
                db.session, current_user, license_, email=seat.email.data, name=seat.name.data, locale=seat.locale.data
            ),
        )
        if outcome.ok:
            if outcome.result == "invited":
                flash(
                    _("An invitation was sent to %(email)s: accepting it takes the seat.", email=seat.email.data),
                    "success",
                )
            else:
                flash(_("%(email)s now holds a seat of this licence.", email=seat.email.data), "success")
            return redirect(url_for("licensing.show", license_id=license_id) + "#seats")
    return _show(license_, seat=seat, status=400)


@bp.post("/admin/licenses/<int:license_id>/seats/<int:seat_id>/free")
@require(WRITE)
def free_seat(license_id: int, seat_id: int):
    seat = db.session.get(LicenseSeat, seat_id)
    ensure_visible(seat is not None and seat.license_id == license_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if commit_or_flash(lambda: services.free_seat(db.session, current_user, seat)):
        flash(_("The seat of %(name)s was freed.", name=seat.user.name), "success")  # type: ignore[union-attr]
    return redirect(url_for("licensing.show", license_id=license_id) + "#seats")


@bp.post("/admin/licenses/<int:license_id>/invitations/<int:invitation_id>/<any(resend, revoke):action>")
@require(WRITE)
def invitation_action(license_id: int, invitation_id: int, action: str):
    invitation = db.session.get(Invitation, invitation_id)
    ensure_visible(invitation is not None and invitation.license_id == license_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if action == "resend":
        if commit_or_flash(lambda: resend_invitation(db.session, current_user, invitation)):
            flash(_("The invitation was sent again to %(email)s.", email=invitation.email), "success")  # type: ignore[union-attr]
    elif commit_or_flash(lambda: revoke_invitation(db.session, current_user, invitation)):
        flash(_("The invitation to %(email)s was revoked; its seat is free.", email=invitation.email), "success")  # type: ignore[union-attr]
    return redirect(url_for("licensing.show", license_id=license_id) + "#seats")


# -- the seat holder ---------------------------------------------------------------------------------------


@bp.get("/licenses")
@require("licensing:self")
def mine():
    held = queries.held_licenses(db.session, current_user.id, user_today(), current_locale_code())
    return render_template(
        "licensing/mine.html",
        licenses=held,
        bundles=queries.bundles_of(db.session, [item.license for item in held]),
        state_labels=STATE_LABELS,
    )
