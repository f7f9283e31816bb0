"""Staff pages: content status (version, last sync, translations), the admins' "sync now", and a preview of every
module."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from qtp.catalog import queries, services
from qtp.catalog.public import current_content_version
from qtp.catalog.sync import ContentInvalid
from qtp.core import jobs
from qtp.core.forms import ConfirmForm, queued_message
from qtp.core.i18n import NATIVE_NAMES, supported_locales
from qtp.core.permissions import ensure_visible, require
from qtp.extensions import db

bp = Blueprint("catalog", __name__, url_prefix="/content", template_folder="templates")
# `{% cache content_version() %}` (qtp/core/fragments.py): parts of pages rendered once per content version.
bp.add_app_template_global(current_content_version, "content_version")


@bp.route("/")
@require("content:preview")
def status():
    return render_template(
        "catalog/status.html",
        programs=queries.list_programs_with_modules(db.session),
        locales=supported_locales(),
        sync_form=ConfirmForm(),
        queued=jobs.uses_queue(),
    )


def _synced_message(result: dict) -> str:
    if result["unchanged"]:
        return _("The content is already up to date: nothing was changed.")
    modules = ngettext("%(num)s module added", "%(num)s modules added", result["created"])
    changed = ngettext("%(num)s changed", "%(num)s changed", result["updated"])
    retired = ngettext("%(num)s retired", "%(num)s retired", result["retired"])
    if not (result["created"] or result["updated"] or result["retired"]):
        return _("The content was synced: no module changed; program or worksheet details were updated.")
    return _(
        "The content was synced: %(modules)s, %(changed)s, %(retired)s.",
        modules=modules,
        changed=changed,
        retired=retired,
    )


@bp.post("/sync")
@require(services.SYNC)
def sync():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        result = services.start_content_sync(db.session, current_user)  # type: ignore[arg-type]
    except ContentInvalid as error:
        db.session.rollback()
        return render_template("catalog/sync_refused.html", problems=error.errors), 422
    db.session.commit()
    if result is None:
        flash(queued_message(_("The content sync is queued.")), "success")
    else:
        flash(_synced_message(result), "success")
    return redirect(url_for("catalog.status"))


@bp.route("/<program_slug>/<module_slug>")
@require("content:preview")
def preview(program_slug: str, module_slug: str):
    module = queries.find_program_module(db.session, program_slug, module_slug)
    ensure_visible(module is not None)
    locale = request.args.get("locale", "en")
    texts = {t.locale: t for t in module.texts}
    ensure_visible(locale in texts)
    return render_template(
        "catalog/preview.html",
        module=module,
        text=texts[locale],
        locale=locale,
        locales=supported_locales(),
        locale_names=NATIVE_NAMES,
    )
