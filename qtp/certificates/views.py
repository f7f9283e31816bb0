"""Certificates: public verification (page, Open Badges JSON, checking a PDF), the recipient's download, and
the admins' bulk issue, revocation and re-issue."""

from __future__ import annotations

import hashlib
import hmac
import json

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from qtp.certificates import forms, policy, queries, serials, services
from qtp.certificates.badges import credential
from qtp.certificates.models import Certificate
from qtp.cohorts.models import Cohort
from qtp.core.forms import ConfirmForm, commit_or_show
from qtp.core.i18n import current_locale_code
from qtp.core.permissions import SELF, ensure_visible, public, require, unlisted
from qtp.core.ratelimit import client_address, enforce
from qtp.core.storage import send_stored
from qtp.extensions import db

bp = Blueprint("certificates", __name__, template_folder="templates")
WRITE = services.WRITE
PDF_MAGIC = b"%PDF-"


def _limited() -> None:
    enforce("QTP_VERIFY_LIMIT", "verify-address", client_address())


def _certificate_or_404(serial: str) -> Certificate:
    certificate = queries.find_by_serial(db.session, serial)
    ensure_visible(certificate is not None)
    return certificate  # type: ignore[return-value]


# -- public verification -----------------------------------------------------------------------------------


@bp.get("/verify")
@public
def lookup():
    form = forms.LookupForm(request.args)
    if "serial" not in request.args:
        return render_template("certificates/lookup.html", form=form)
    serial = serials.parse(form.serial.data or "")
    if form.validate() and serial is not None:
        return redirect(url_for("certificates.verify", serial=serial))
    if not form.serial.errors:
        form.serial.errors = [_("This is not a certificate number: check the 32 letters and digits.")]
    return render_template("certificates/lookup.html", form=form), 400


def _verify_page(certificate: Certificate, form: forms.CheckFileForm, match: bool | None = None, status: int = 200):
    return (
        render_template(
            "certificates/verify.html",
            certificate=certificate,
            grouped=serials.grouped(certificate.serial),
            program_title=certificate.cohort.program.title(current_locale_code()),
            form=form,
            match=match,
        ),
        status,
    )


@bp.get("/verify/<serial>")
@public
@unlisted
def verify(serial: str):
    _limited()
    canonical = serials.parse(serial)
    ensure_visible(canonical is not None)
    if canonical != serial:  # typed with hyphens, in lower case, with O for 0...
        return redirect(url_for("certificates.verify", serial=canonical), 301)
    certificate = queries.find_by_serial(db.session, serial)
    if certificate is None:  # a well-formed number that no certificate carries: say so plainly
        form = forms.LookupForm(formdata=None, serial=serials.grouped(serial))
        return render_template("certificates/lookup.html", form=form, unknown=serials.grouped(serial)), 404
    return _verify_page(certificate, forms.CheckFileForm())


@bp.post("/verify/<serial>")
@public
def check_file(serial: str):
    """Compare an uploaded PDF with the stored one, by SHA-256; the upload is not kept."""
    _limited()
    ensure_visible(serials.parse(serial) == serial)
    certificate = _certificate_or_404(serial)
    form = forms.CheckFileForm()
    if not form.validate_on_submit():
        return _verify_page(certificate, form, status=400)
    upload = form.file.data
    head = upload.stream.read(len(PDF_MAGIC))
    if head != PDF_MAGIC:
        form.file.errors = [_("This file is not a PDF.")]
        return _verify_page(certificate, form, status=400)
    digest = hashlib.sha256(head)
    while chunk := upload.stream.read(64 * 1024):
        digest.update(chunk)
    match = certificate.sha256 is not None and hmac.compare_digest(digest.hexdigest(), certificate.sha256)
    return _verify_page(certificate, form, match=match)


@bp.get("/verify/<serial>.json")
@public
@unlisted
def verify_json(serial: str):
    """The certificate as an Open Badges 3.0 credential."""
    _limited()
    ensure_visible(serials.parse(serial) == serial)
    certificate = _certificate_or_404(serial)
    body = json.dumps(credential(certificate), ensure_ascii=False, indent=2)
    response = current_app.response_class(body, mimetype="application/ld+json")
    response.headers["Access-Control-Allow-Origin"] = "*"  # public facts, meant to be read by badge wallets
    return response


# -- the recipient -----------------------------------------------------------------------------------------


@bp.get("/certificates/<int:certificate_id>/download")
@require(SELF)
def download(certificate_id: int):
    certificate = db.session.get(Certificate, certificate_id)
    ensure_visible(certificate is not None and policy.can_download(current_user, current_user.id, certificate))
    name = f"qtp-certificate-{certificate.serial[:8].lower()}.pdf"  # type: ignore[union-attr]
    return send_stored(certificate.storage_key, download_name=name, mimetype="application/pdf")  # type: ignore[union-attr,arg-type]


# -- admins ------------------------------------------------------------------------------------------------


def _cohort_page(cohort: Cohort, posted: forms.ChangeForm | None = None, posted_id: int | None = None, status=200):
    """The cohort's certificates; a refused revoke or re-issue comes back with its form, reason and errors."""
    rows = queries.cohort_certificates(db.session, cohort)
    changes = {row.in_force.id: forms.change_form(row.in_force.id) for row in rows if row.in_force is not None}
    if posted is not None and posted_id in changes:
        changes[posted_id] = posted
    elif posted is not None:  # the certificate is no longer in force: its form is gone, say why here
        for message in posted.form_errors:
            flash(message, "error")
    page = render_template(
        "certificates/cohort.html",
        cohort=cohort,
        rows=rows,
        ready_to_issue=sum(1 for row in rows if row.complete and row.in_force is None and row.user.is_active),
        bulk=ConfirmForm(),
        changes=changes,
        open_id=posted_id,
        program_title=cohort.program.title(current_locale_code()),
        grouped=serials.grouped,
    )
    return page, status


@bp.get("/admin/cohorts/<int:cohort_id>/certificates")
@require(WRITE)
def cohort(cohort_id: int):
    cohort = db.session.get(Cohort, cohort_id)
    ensure_visible(cohort is not None)
    return _cohort_page(cohort)  # type: ignore[arg-type]


@bp.post("/admin/cohorts/<int:cohort_id>/certificates/issue")
@require(WRITE)
def issue(cohort_id: int):
    cohort = db.session.get(Cohort, cohort_id)
    ensure_visible(cohort is not None)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    result = services.start_bulk_issue(db.session, current_user, cohort)  # type: ignore[arg-type]
    db.session.commit()
    if result is None:
        flash(_("The certificates are being issued: reload this page in a minute to see them."), "success")
    else:
        flash(ngettext("%(num)s certificate issued.", "%(num)s certificates issued.", result.issued), "success")
    return redirect(url_for("certificates.cohort", cohort_id=cohort_id))


@bp.post("/admin/certificates/<int:certificate_id>/change")
@require(WRITE)
def change(certificate_id: int):
    certificate = db.session.get(Certificate, certificate_id)
    ensure_visible(certificate is not None)
    form = forms.change_form(certificate_id)
    if not form.validate_on_submit():
        return _cohort_page(certificate.cohort, form, certificate_id, 400)  # type: ignore[union-attr]
    if form.reissue.data:
        action, message = (
            services.reissue_certificate,
            _("A new certificate was issued; the old number now verifies as replaced."),
        )
    else:
        action, message = (
            services.revoke_certificate,
            _("The certificate was revoked; its number now verifies as revoked."),
        )
    outcome = commit_or_show(form, lambda: action(db.session, current_user, certificate, form.reason.data))
    if not outcome.ok:
        return _cohort_page(certificate.cohort, form, certificate_id, 409)  # type: ignore[union-attr]
    flash(message, "success")
    url = url_for("certificates.cohort", cohort_id=certificate.cohort_id)  # type: ignore[union-attr]
    return redirect(f"{url}#certificate-{outcome.result.id}")  # type: ignore[union-attr]
