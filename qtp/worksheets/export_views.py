"""Printable PDFs of worksheets and the storyboard (routes on the worksheets blueprint).

The storyboard is the team's results poster on one landscape page, A3 or (`?size=a0`) A0; a poster too long
for its page is laid out again with its texts shortened, never on a second page.

Readers: whoever can see the team (members, sponsor, coach, the cohort's faculty, admins); anyone else gets
404. Documents are in the reader's language and are sent as attachments with a safe ASCII file name.
"""

from __future__ import annotations

from flask import Response, request
from flask_babel import gettext as _

from qtp.core.errors import error_page
from qtp.core.i18n import current_locale_code, user_today
from qtp.core.pdf import attachment_filename, html_to_one_page_pdf, render_html, render_pdf
from qtp.core.permissions import ensure_visible, require
from qtp.extensions import db
from qtp.worksheets import queries
from qtp.worksheets.export import team_header, worksheet_document
from qtp.worksheets.export_storyboard import DEFAULT_SIZE, POSTER_SIZES, fitting_versions, poster_document
from qtp.worksheets.views import ACCESS, bp, load_team


def pdf_response(document: bytes, stem: str) -> Response:
    response = Response(document, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{attachment_filename(stem)}"'
    return response


@bp.get("/<int:team_id>/worksheets/<slug>/<int:record_no>.pdf")
@require(ACCESS)
def export_pdf(team_id: int, slug: str, record_no: int):
    """A worksheet as a printable PDF; record 1 of a worksheet not saved yet prints as a blank form."""
    team, _access = load_team(team_id)
    wtype = queries.find_type(db.session, slug)
    ensure_visible(wtype is not None)
    worksheet = queries.find_worksheet(db.session, team.id, wtype.id, record_no)
    ensure_visible(worksheet is not None or record_no == 1)
    locale = current_locale_code()
    refs = queries.ref_values(db.session, team.id, wtype.definition)
    links = queries.link_names(queries.link_choices(db.session, team.id, wtype.definition))
    header = team_header(db.session, team, locale)
    document = worksheet_document(header, wtype, worksheet, record_no, refs, links, locale, user_today())
    return pdf_response(render_pdf("worksheets/pdf/worksheet.html", doc=document), f"{wtype.slug}-{record_no}")


@bp.get("/<int:team_id>/storyboard.pdf")
@require(ACCESS)
def storyboard_pdf(team_id: int):
    """The storyboard: the team's results poster gathered from its worksheets, measures and PDSA cycles."""
    team, _access = load_team(team_id)
    size = request.args.get("size", DEFAULT_SIZE).strip().lower()
    if size not in POSTER_SIZES:
        return error_page(400, _("Unknown poster size. Choose A3 or A0."))
    document = poster_document(db.session, team, current_locale_code(), user_today(), size)
    pages = (render_html("worksheets/pdf/storyboard.html", doc=version) for version in fitting_versions(document))
    return pdf_response(html_to_one_page_pdf(pages), f"storyboard-{size}")
