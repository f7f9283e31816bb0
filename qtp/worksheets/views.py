"""A team's QI workspace: the twelve tools, editing with revisions, conflicts and submission."""

from __future__ import annotations

import re

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from qtp.catalog.models import WorksheetType
from qtp.cohorts.models import Team
from qtp.core.forms import commit_or_flash
from qtp.core.i18n import current_locale_code, format_moment
from qtp.core.ids import parse_id
from qtp.core.permissions import ensure_allowed, ensure_visible, require
from qtp.core.service import ServiceError
from qtp.extensions import db
from qtp.review.queries import find_latest_review
from qtp.worksheets import page, policy, queries, services
from qtp.worksheets.attachment_queries import list_attachments
from qtp.worksheets.diagrams import DIAGRAM_TYPES, diagram_for, process_map_for
from qtp.worksheets.models import Worksheet
from qtp.worksheets.policy import TeamAccess

bp = Blueprint("worksheets", __name__, url_prefix="/teams", template_folder="templates")
ACCESS = "worksheets:access"
SLUG = re.compile(r"[a-z0-9-]{1,40}")


def load_team(team_id: int) -> tuple[Team, TeamAccess]:
    """The team and the current user's access to it; 404 for anyone who may not see it."""
    found = queries.find_visible_team(db.session, current_user, team_id)
    ensure_visible(found is not None)
    return found  # type: ignore[return-value]


def load_type(slug: str) -> WorksheetType:
    ensure_visible(SLUG.fullmatch(slug) is not None)  # also keeps NUL and odd bytes away from the database
    wtype = queries.find_type(db.session, slug)
    ensure_visible(wtype is not None)
    return wtype  # type: ignore[return-value]


def load_worksheet(team: Team, wtype: WorksheetType, record_no: int) -> Worksheet | None:
    """The stored worksheet, or None for one not yet saved (record 1, or a new record of a repeatable type)."""
    worksheet = queries.find_worksheet(db.session, team.id, wtype.id, record_no)
    if worksheet is None:
        ensure_visible(record_no == 1 or (wtype.is_repeatable and record_no >= 1))
    return worksheet


def edit_url(team: Team, wtype: WorksheetType, record_no: int) -> str:
    return url_for("worksheets.edit", team_id=team.id, slug=wtype.slug, record_no=record_no)


@bp.get("/<int:team_id>/workspace")
@require(ACCESS)
def workspace(team_id: int):
    team, access = load_team(team_id)
    locale = current_locale_code()
    types = queries.list_type_cards(db.session, locale)
    by_type: dict[int, list[Worksheet]] = {}
    for worksheet in queries.list_team_worksheets(db.session, team.id):
        by_type.setdefault(worksheet.type_id, []).append(worksheet)
    return render_template(
        "worksheets/workspace.html",
        team=team,
        access=access,
        types=types,
        by_type=by_type,
        can_write=policy.can_edit(access, True),
    )


@bp.get("/<int:team_id>/worksheets/<slug>/new")
@require(ACCESS)
def new_record(team_id: int, slug: str):
    """A new measure or PDSA cycle: the form of the next record number (nothing is written until saved)."""
    team, access = load_team(team_id)
    wtype = load_type(slug)
    ensure_visible(wtype.is_repeatable)
    ensure_allowed(policy.can_edit(access, True))
    record_no = queries.next_record_no(db.session, team.id, wtype.id)
    return redirect(edit_url(team, wtype, record_no))


def render_worksheet(team, access, wtype, record_no, worksheet, form, links, status=200, **extra):
    locale = current_locale_code()
    data = worksheet.data if worksheet else {}
    refs = queries.ref_values(db.session, team.id, wtype.definition)
    editable = worksheet.is_editable if worksheet else True
    can_edit = policy.can_edit(access, editable)
    context = dict(
        team=team,
        access=access,
        wtype=wtype,
        texts=wtype.text(locale),
        record_no=record_no,
        worksheet=worksheet,
        form=form if can_edit else None,
        can_edit=can_edit,
        can_submit=worksheet is not None and policy.can_submit(access, editable),
        is_member_editor=access.team_role in policy.EDITING_ROLES,
        shown=page.shown_values(wtype, locale, data, refs, links),
        refs=refs,
        diagram=_diagram(wtype, data, refs, locale, beside_form=can_edit),
        process_map=process_map_for(data, wtype.text(locale), narrow=True) if wtype.slug == "process-map" else None,
        attachments=list_attachments(db.session, worksheet.id) if worksheet else [],
        missing={},
        findings=[],
        phi_labels=phi_explanations(),
        conflict=None,
        # a worksheet that has been reviewed shows the latest decision, with comments next to the fields
        review=find_latest_review(db.session, worksheet.id) if worksheet and worksheet.status != "draft" else None,
    )
    context.update(extra)
    return render_template("worksheets/edit.html", **context), status


def _diagram(wtype: WorksheetType, data: dict, refs: dict, locale: str, beside_form: bool = False) -> Markup | None:
    """The SVG drawn from the worksheet (driver diagram, fishbone, Pareto); every user text in it is escaped."""
    svg = diagram_for(wtype.slug, data, refs, wtype.text(locale), beside_form=beside_form)
    return Markup(svg) if svg else None  # noqa: S704 (built by our SVG code, which escapes every text)


@bp.route("/<int:team_id>/worksheets/<slug>/<int:record_no>", methods=["GET", "POST"])
@require(ACCESS)
def edit(team_id: int, slug: str, record_no: int):
    team, access = load_team(team_id)
    wtype = load_type(slug)
    worksheet = load_worksheet(team, wtype, record_no)
    links = queries.link_choices(db.session, team.id, wtype.definition)
    if request.method == "GET":
        cls = page.form_class(wtype, current_locale_code(), worksheet.data if worksheet else {}, links)
        form = page.stored_form(cls, wtype, worksheet)
        return render_worksheet(team, access, wtype, record_no, worksheet, form, links)
    ensure_allowed(policy.can_edit(access, worksheet.is_editable if worksheet else True))
    form = page.form_class(wtype, current_locale_code(), {}, links, worksheet.data if worksheet else {})()
    if not form.validate():
        return render_worksheet(team, access, wtype, record_no, worksheet, form, links, 400)
    save = services.SaveRequest(
        raw=page.raw_data(form),
        base_version=page.base_version(form),
        confirmed_no_patient_data=bool(form.confirm_no_patient_data.data),
    )
    try:
        services.save_worksheet(db.session, current_user, team, wtype, record_no, save)
    except services.Conflict as conflict:
        db.session.rollback()
        return _conflict(team, access, wtype, record_no, form, links, conflict)
    except services.PatientDataWarning as warning:
        db.session.rollback()
        return render_worksheet(team, access, wtype, record_no, worksheet, form, links, 422, findings=warning.findings)
    except ServiceError as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        return render_worksheet(team, access, wtype, record_no, worksheet, form, links, 400)
    db.session.commit()
    flash(_("Saved. Every save is kept in the history."), "success")
    return redirect(edit_url(team, wtype, record_no), 303)


def _conflict(team, access, wtype, record_no, form, links, conflict):
    """Someone saved first: show their version beside this user's, keep what this user typed in the form,
    and base the next save on the stored version, so that saving is a deliberate choice."""
    stored = queries.find_worksheet(db.session, team.id, wtype.id, record_no)
    locale = current_locale_code()
    theirs = page.shown_values(wtype, locale, stored.data if stored else {}, {})
    mine = page.shown_values(wtype, locale, conflict.mine, {})
    differences = [(a, b) for a, b in zip(theirs, mine, strict=True) if a.kind != "ref" and a != b]
    form.base_version.data = str(stored.version) if stored else ""
    form.confirm_no_patient_data.data = False
    return render_worksheet(
        team,
        access,
        wtype,
        record_no,
        stored,
        form,
        links,
        409,
        conflict={"stored": stored, "differences": differences},
    )


@bp.post("/<int:team_id>/worksheets/<slug>/<int:record_no>/autosave")
@require(ACCESS)
def autosave(team_id: int, slug: str, record_no: int):
    """The same save as the button, answered in JSON for the autosave script."""
    team, access = load_team(team_id)
    wtype = load_type(slug)
    worksheet = load_worksheet(team, wtype, record_no)
    if not policy.can_edit(access, worksheet.is_editable if worksheet else True):
        return jsonify(ok=False, message=_("You cannot change this worksheet.")), 403
    links = queries.link_choices(db.session, team.id, wtype.definition)
    form = page.form_class(wtype, current_locale_code(), {}, links, worksheet.data if worksheet else {})()
    if not form.validate():
        return jsonify(ok=False, message=_("Some fields need correcting: save with the button to see them.")), 400
    save = services.SaveRequest(raw=page.raw_data(form), base_version=page.base_version(form))
    try:
        saved = services.save_worksheet(db.session, current_user, team, wtype, record_no, save)
    except services.Conflict:
        db.session.rollback()
        message = _("Someone else saved this worksheet meanwhile. Save with the button to compare both versions.")
        return jsonify(ok=False, conflict=True, message=message), 409
    except services.PatientDataWarning:
        db.session.rollback()
        message = _("This may contain patient data. Not saved: save with the button to review the warning.")
        return jsonify(ok=False, message=message), 422
    except ServiceError as error:
        db.session.rollback()
        return jsonify(ok=False, message=error.message), 400
    db.session.commit()
    saved_at = format_moment(saved.updated_at)
    answer = {"ok": True, "version": saved.version, "message": _("Saved at %(time)s", time=saved_at)}
    if wtype.slug in DIAGRAM_TYPES:  # the page's diagram follows the save (SVG built by our code, texts escaped)
        refs = queries.ref_values(db.session, team.id, wtype.definition)
        answer["diagram"] = str(_diagram(wtype, saved.data, refs, current_locale_code(), beside_form=True) or "")
    return jsonify(**answer)


@bp.post("/<int:team_id>/worksheets/<slug>/<int:record_no>/submit")
@require(ACCESS)
def submit(team_id: int, slug: str, record_no: int):
    team, access = load_team(team_id)
    wtype = load_type(slug)
    worksheet = queries.find_worksheet(db.session, team.id, wtype.id, record_no)
    ensure_visible(worksheet is not None)
    ensure_allowed(policy.can_submit(access, worksheet.is_editable))
    version = request.form.get("base_version", "")
    try:
        missing = services.submit_worksheet(
            db.session, current_user, worksheet, parse_id(version, -1)
        )
    except services.Conflict:
        db.session.rollback()
        flash(_("Someone saved this worksheet meanwhile. Check the latest version, then submit again."), "error")
        return redirect(edit_url(team, wtype, record_no), 303)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(edit_url(team, wtype, record_no), 303)
    if missing:
        db.session.rollback()
        locale = current_locale_code()
        links = queries.link_choices(db.session, team.id, wtype.definition)
        form = page.stored_form(page.form_class(wtype, locale, worksheet.data, links), wtype, worksheet)
        messages = page.missing_messages(wtype, locale, missing)
        for field_id, field_messages in messages.items():
            if field_id in form:
                form[field_id].errors = list(field_messages)
        form.form_errors.append(_("Not submitted yet: complete the required fields marked below."))
        return render_worksheet(team, access, wtype, record_no, worksheet, form, links, 422, missing=messages)
    db.session.commit()
    flash(_("Submitted for review. The worksheet is read-only until your reviewer returns it."), "success")
    return redirect(edit_url(team, wtype, record_no), 303)


@bp.post("/<int:team_id>/worksheets/pdsa/<int:record_no>/next-cycle")
@require(ACCESS)
def next_cycle(team_id: int, record_no: int):
    team, access = load_team(team_id)
    wtype = load_type("pdsa")
    cycle = queries.find_worksheet(db.session, team.id, wtype.id, record_no)
    ensure_visible(cycle is not None)
    ensure_allowed(policy.can_edit(access, True))
    started: list[Worksheet] = []
    if commit_or_flash(lambda: started.append(services.start_next_cycle(db.session, current_user, cycle))):
        flash(_("The next cycle is ready, filled in from this one. Plan it and save."), "success")
        return redirect(edit_url(team, wtype, started[0].record_no), 303)
    return redirect(edit_url(team, wtype, record_no), 303)


def phi_explanations() -> dict[str, str]:
    return {
        "birth-date": _("a date of birth"),
        "record-number": _("a medical record number"),
        "phone-number": _("a phone number next to clinical words"),
        "email": _("an e-mail address next to clinical words"),
    }
