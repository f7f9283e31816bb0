"""Staff pages: content status (version, last sync, translations) and a preview of every module."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from qtp.catalog import queries
from qtp.catalog.public import current_content_version
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
        "catalog/status.html", programs=queries.list_programs_with_modules(db.session), locales=supported_locales()
    )


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
