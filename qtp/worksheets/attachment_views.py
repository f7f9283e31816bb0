"""Attachments of worksheets: upload, download, delete (routes on the worksheets blueprint)."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qtp.cohorts.models import Team
from qtp.core.forms import commit_or_flash
from qtp.core.permissions import ensure_allowed, ensure_visible, require
from qtp.core.service import ServiceError
from qtp.core.storage import send_stored
from qtp.extensions import db
from qtp.worksheets import attachment_queries, attachments, policy, queries
from qtp.worksheets.models import Attachment, Worksheet
from qtp.worksheets.views import ACCESS, bp, load_team

PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")  # checked before any query (PostgreSQL refuses NUL in strings)


def _worksheet_url(team_id: int, worksheet: Worksheet) -> str:
    return url_for("worksheets.edit", team_id=team_id, slug=worksheet.type.slug, record_no=worksheet.record_no)


def _load_worksheet(team: Team, slug: str, record_no: int) -> Worksheet:
    ensure_visible(SLUG.fullmatch(slug) is not None)
    wtype = queries.find_type(db.session, slug)
    worksheet = queries.find_worksheet(db.session, team.id, wtype.id, record_no) if wtype else None
    ensure_visible(worksheet is not None)
    return worksheet  # type: ignore[return-value]


def _load_attachment(team: Team, public_id: str) -> Attachment:
    """The team's attachment; 404 for another team's, an unknown id, or anything that is not an id."""
    ensure_visible(PUBLIC_ID.fullmatch(public_id) is not None)
    attachment = attachment_queries.find_team_attachment(db.session, team.id, public_id)
    ensure_visible(attachment is not None)
    return attachment  # type: ignore[return-value]


def _refused(team: Team, worksheet: Worksheet, message: str, status: int):
    return render_template(
        "worksheets/attachment_refused.html",
        team=team,
        worksheet=worksheet,
        message=message,
        back_url=_worksheet_url(team.id, worksheet),
    ), status


@bp.post("/<int:team_id>/worksheets/<slug>/<int:record_no>/attachments")
@require(ACCESS)
def upload_attachment(team_id: int, slug: str, record_no: int):
    team, access = load_team(team_id)
    worksheet = _load_worksheet(team, slug, record_no)
    ensure_allowed(policy.can_edit(access, True))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _refused(team, worksheet, _("Please choose a file to attach."), 400)
    try:
        attachment = attachments.add_attachment(db.session, current_user, worksheet, upload.stream, upload.filename)
    except ServiceError as error:
        db.session.rollback()
        return _refused(team, worksheet, error.message, getattr(error, "status", 400))
    db.session.commit()
    flash(_("%(name)s is attached to the worksheet.", name=attachment.filename), "success")
    return redirect(_worksheet_url(team.id, worksheet), 303)


@bp.get("/<int:team_id>/attachments/<public_id>")
@require(ACCESS)
def download_attachment(team_id: int, public_id: str):
    team, access = load_team(team_id)
    attachment = _load_attachment(team, public_id)
    ensure_visible(policy.can_view(access))
    return send_stored(attachment.storage_key, download_name=attachment.filename, mimetype=attachment.content_type)


@bp.post("/<int:team_id>/attachments/<public_id>/delete")
@require(ACCESS)
def delete_attachment(team_id: int, public_id: str):
    team, access = load_team(team_id)
    attachment = _load_attachment(team, public_id)
    ensure_allowed(policy.can_edit(access, True))
    back, name = _worksheet_url(team.id, attachment.worksheet), attachment.filename
    if commit_or_flash(lambda: attachments.delete_attachment(db.session, current_user, attachment)):
        flash(_("%(name)s was deleted.", name=name), "success")
    return redirect(back, 303)
