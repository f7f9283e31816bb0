"""A worksheet's history: every save, the difference between any two, and restoring one
(routes on the worksheets blueprint)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from qtp.core.i18n import current_locale_code
from qtp.core.ids import parse_id, query_id
from qtp.core.permissions import ensure_allowed, ensure_visible, require
from qtp.core.service import ServiceError
from qtp.extensions import db
from qtp.review.queries import list_reviews
from qtp.worksheets import data as worksheet_data
from qtp.worksheets import page, policy, queries, services
from qtp.worksheets.views import ACCESS, bp, edit_url, load_team, load_type

REASONS = {
    "save": _l("Saved"),
    "restore": _l("Restored an earlier version"),
    "submit": _l("Submitted for review"),
    "next-cycle": _l("Started from the previous cycle"),
}


def _worksheet(team_id: int, slug: str, record_no: int):
    team, access = load_team(team_id)
    wtype = load_type(slug)
    worksheet = queries.find_worksheet(db.session, team.id, wtype.id, record_no)
    ensure_visible(worksheet is not None)
    return team, access, wtype, worksheet


def _revision(worksheet, number: int):
    revision = queries.find_revision(db.session, worksheet.id, number)
    ensure_visible(revision is not None)
    return revision


@bp.get("/<int:team_id>/worksheets/<slug>/<int:record_no>/history")
@require(ACCESS)
def history(team_id: int, slug: str, record_no: int):
    team, access, wtype, worksheet = _worksheet(team_id, slug, record_no)
    revisions = list(reversed(worksheet.revisions))
    return render_template(
        "worksheets/history.html",
        team=team,
        wtype=wtype,
        texts=wtype.text(current_locale_code()),
        worksheet=worksheet,
        revisions=revisions,
        reasons=REASONS,
        can_edit=policy.can_edit(access, worksheet.is_editable),
        reviews=list_reviews(db.session, worksheet.id),
    )


@bp.get("/<int:team_id>/worksheets/<slug>/<int:record_no>/diff")
@require(ACCESS)
def diff(team_id: int, slug: str, record_no: int):
    team, access, wtype, worksheet = _worksheet(team_id, slug, record_no)
    a, b = query_id(request.args, "a"), query_id(request.args, "b")
    if a is None or b is None:
        abort(400)
    older, newer = _revision(worksheet, min(a, b)), _revision(worksheet, max(a, b))
    texts = wtype.text(current_locale_code())
    changes = worksheet_data.diff(wtype.definition, texts, older.data, newer.data)
    return render_template(
        "worksheets/diff.html",
        team=team,
        wtype=wtype,
        texts=texts,
        worksheet=worksheet,
        older=older,
        newer=newer,
        changes=changes,
        revisions=list(reversed(worksheet.revisions)),
    )


@bp.get("/<int:team_id>/worksheets/<slug>/<int:record_no>/revisions/<int:number>")
@require(ACCESS)
def revision(team_id: int, slug: str, record_no: int, number: int):
    team, access, wtype, worksheet = _worksheet(team_id, slug, record_no)
    shown_revision = _revision(worksheet, number)
    locale = current_locale_code()
    return render_template(
        "worksheets/revision.html",
        team=team,
        wtype=wtype,
        texts=wtype.text(locale),
        worksheet=worksheet,
        revision=shown_revision,
        reasons=REASONS,
        shown=[s for s in page.shown_values(wtype, locale, shown_revision.data, {}) if s.kind != "ref"],
        can_edit=policy.can_edit(access, worksheet.is_editable),
    )


@bp.post("/<int:team_id>/worksheets/<slug>/<int:record_no>/revisions/<int:number>/restore")
@require(ACCESS)
def restore(team_id: int, slug: str, record_no: int, number: int):
    team, access, wtype, worksheet = _worksheet(team_id, slug, record_no)
    ensure_allowed(policy.can_edit(access, worksheet.is_editable))
    chosen = _revision(worksheet, number)
    version = request.form.get("base_version", "")
    try:
        services.restore_revision(
            db.session, current_user, worksheet, chosen, parse_id(version, -1)
        )
    except services.Conflict:
        db.session.rollback()
        flash(_("Someone saved this worksheet meanwhile. Look at the latest version before restoring."), "error")
        return redirect(edit_url(team, wtype, record_no), 303)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(edit_url(team, wtype, record_no), 303)
    db.session.commit()
    flash(_("Version %(number)s restored. The version it replaced is kept in the history.", number=number), "success")
    return redirect(edit_url(team, wtype, record_no), 303)
