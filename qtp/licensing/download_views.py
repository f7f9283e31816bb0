"""Licensed bundles for their seat holders: the bundle page (what it holds, with signed download links), the
download itself (a streamed ZIP archive, or one file), the licence's download record, and its CSV export for
admins.

A refused download answers a page that says why (403; 503 while a bundle is being built); a licence the user
never held a seat of, or a link this site did not sign, does not exist for them (404).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from flask import Blueprint, Response, abort, current_app, render_template, request, stream_with_context, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestedRangeNotSatisfiable

from qtp.core import ranges
from qtp.core.i18n import current_locale_code, language_name, supported_locales, user_today
from qtp.core.ids import query_id
from qtp.core.permissions import ensure_visible, require
from qtp.core.ratelimit import client_address
from qtp.core.spreadsheet import csv_response
from qtp.extensions import db
from qtp.licensing import downloads, policy, queries
from qtp.licensing.downloads import Link
from qtp.licensing.models import DOWNLOAD_STATUS_LABELS, License
from qtp.licensing.policy import Refusal

bp = Blueprint("downloads", __name__, template_folder="templates")
log = logging.getLogger(__name__)
SELF = downloads.PERMISSION


def _reason_text(reason: str, license_: License | None, locale: str) -> str:
    if reason == Refusal.NO_SEAT:
        return _(
            "You no longer hold a seat of this licence, so its content cannot be downloaded. If you still need it, "
            "ask the program office to give you a seat again."
        )
    if reason == Refusal.SUSPENDED:
        return _("This licence is suspended, so its content cannot be downloaded for now. Contact the program office.")
    if reason == Refusal.EXPIRED and license_ is not None:
        return _(
            "This licence ended on %(date)s, so its content can no longer be downloaded. Contact the program office "
            "to renew it.",
            date=format_date(license_.ends_on, "long"),
        )
    if reason == Refusal.NOT_STARTED and license_ is not None:
        return _(
            "This licence starts on %(date)s: its content can be downloaded from then on.",
            date=format_date(license_.starts_on, "long"),
        )
    if reason == Refusal.LANGUAGE and license_ is not None:
        return _(
            "This licence does not cover the content in %(language)s; it covers %(languages)s.",
            language=language_name(locale),
            languages=", ".join(language_name(code) for code in license_.locales),
        )
    if reason == downloads.NOT_BUILT:
        return _("This bundle is being prepared by the program office. Please try again in a few minutes.")
    if reason == downloads.OTHER_ACCOUNT:
        return _(
            "This download link was made for another account. Open your licences page while signed in with your "
            "own account to get your own link."
        )
    return _(
        "This download link has expired: links work for %(minutes)s minutes. Open the bundle page again for a new one.",
        minutes=current_app.config["QTP_DOWNLOAD_LINK_MINUTES"],
    )


def _refused(reason: str, license_: License | None, locale: str):
    status = 503 if reason == downloads.NOT_BUILT else 403
    page = render_template(
        "licensing/refused.html", reason=_reason_text(reason, license_, locale), license=license_, locale=locale
    )
    response = Response(page, status=status, mimetype="text/html")
    if status == 503:
        response.headers["Retry-After"] = "300"
    return response


def _held_license_or_404(license_id: int) -> tuple[License, bool]:
    """The licence, when the user holds or once held a seat of it, and whether they hold one now."""
    license_ = queries.load_license_terms(db.session, license_id)
    holds, ever = downloads.seat_history(db.session, current_user.id, license_id) if license_ else (False, False)
    ensure_visible(license_ is not None and ever)
    return license_, holds  # type: ignore[return-value]


def _link(license_: License, locale: str, file: str = "") -> str:
    token = downloads.make_token(Link(current_user.id, license_.id, locale, file))
    return url_for("downloads.fetch", token=token)


@bp.get("/licenses/<int:license_id>/bundles/<locale>")
@require(SELF)
def bundle(license_id: int, locale: str):
    ensure_visible(locale in supported_locales())
    license_, holds = _held_license_or_404(license_id)
    reason = policy.refusal(license_, holds, locale, user_today())
    if reason is not None:
        return _refused(reason, license_, locale)
    found = downloads.built_bundle(db.session, license_.product, locale)
    if found is None:
        return _refused(downloads.NOT_BUILT, license_, locale)
    built, _folder = found
    groups = queries.bundle_groups(built.manifest)
    slides = next((files for folder, files in groups if folder == "slides"), [])
    program = built.manifest.get("program", "")
    titles = queries.module_titles(db.session, program, locale) if slides and program else {}
    return render_template(
        "licensing/bundle.html",
        license=license_,
        bundle=built,
        locale=locale,
        groups=groups,
        decks=queries.deck_rows(slides, titles),
        left_out=built.manifest.get("left_out", []),
        zip_link=_link(license_, locale),
        file_link=lambda path: _link(license_, locale, path),
        minutes=current_app.config["QTP_DOWNLOAD_LINK_MINUTES"],
    )


def _span(size: int, etag: str) -> tuple[int, int, bool]:
    """(first byte, end, partial) that the request asks for: one byte range (qtp.core.ranges), honoured when
    If-Range (if any) names this very archive; anything else gets the whole of it. A range that starts past the
    end answers 416."""
    span = ranges.wanted(request.headers.get("Range"), size)
    if span == ranges.WHOLE:
        return 0, size, False
    if "If-Range" in request.headers and request.if_range.etag != etag:
        return 0, size, False
    if span == ranges.UNSATISFIABLE:
        raise RequestedRangeNotSatisfiable(length=size)
    start, stop = span
    return start, stop, (start, stop) != (0, size)


def _stream(prepared: downloads.Prepared, start: int, stop: int, download_id: int) -> Iterator[bytes]:
    sent, complete = 0, False
    try:
        for chunk in prepared.source.chunks(start, stop):
            sent += len(chunk)  # handed to the server, which asks for the next chunk once it has written it
            complete = sent == stop - start  # a client may close as soon as it has every byte
            yield chunk
    except OSError:
        log.exception("download %s stopped: a bundle file could not be read", download_id)
    finally:
        prepared.source.close()
        try:
            downloads.finish_download(db.session, download_id, sent, complete)
            db.session.commit()
        except Exception:  # the record of the end must never break the connection's close
            db.session.rollback()
            log.exception("could not record the end of download %s", download_id)


@bp.get("/downloads/<token>")
@require(SELF)
def fetch(token: str):
    try:
        link = downloads.read_token(token)
    except downloads.LinkInvalid:
        abort(404)
    except downloads.LinkExpired:
        return _refused("link_expired", None, current_locale_code())
    try:
        prepared = downloads.open_download(db.session, current_user, link, user_today())
    except LookupError:
        abort(404)
    except downloads.DownloadRefused as refused:
        # a link made for another account names nothing of that account's licence
        license_ = None if refused.reason == downloads.OTHER_ACCOUNT else db.session.get(License, link.license_id)
        return _refused(refused.reason, license_, link.locale)
    etag = prepared.etag
    start, stop, partial = _span(prepared.size, etag)
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": f'"{etag}"',
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Content-Length": str(stop - start),
    }
    if partial:
        headers["Content-Range"] = f"bytes {start}-{stop - 1}/{prepared.size}"
    if request.method == "HEAD":
        prepared.source.close()
        response = Response(status=206 if partial else 200, headers=headers, mimetype=prepared.mimetype)
    else:
        proxy = current_app.config.get("QTP_X_ACCEL_BUNDLE_PREFIX")
        download = downloads.record_download(
            db.session,
            current_user,
            prepared,
            address=client_address(),
            first_byte=start,
            requested=stop - start,
            by_proxy=bool(proxy and prepared.path),
        )
        db.session.commit()
        if proxy and prepared.path:  # the web server sends the file (and answers ranges itself)
            prepared.source.close()
            headers.pop("Content-Length")
            headers.pop("Content-Range", None)
            headers["X-Accel-Redirect"] = proxy.rstrip("/") + "/" + prepared.relative
            response = Response(b"", headers=headers, mimetype=prepared.mimetype)
        else:
            body = stream_with_context(_stream(prepared, start, stop, download.id))
            status = 206 if partial else 200
            response = Response(
                body, status=status, headers=headers, mimetype=prepared.mimetype, direct_passthrough=True
            )
    response.headers.set("Content-Disposition", "attachment", filename=prepared.filename)
    return response


@bp.get("/licenses/<int:license_id>/downloads")
@require(SELF)
def history(license_id: int):
    license_, holds = _held_license_or_404(license_id)
    ensure_visible(holds)
    return render_template(
        "licensing/downloads.html",
        license=license_,
        rows=queries.downloads_of(db.session, license_id),
        status_labels=DOWNLOAD_STATUS_LABELS,
    )


@bp.get("/admin/licenses/downloads.csv")
@require("admin:licenses:read")
def export():
    license_id = query_id(request.args, "license")
    rows = queries.downloads_of(db.session, license_id, limit=None)
    header = [
        _("Date and time (UTC)"),
        _("Licence number"),
        _("Licensee institution"),
        _("Name"),
        _("Email"),
        _("Product"),
        _("Language"),
        _("Content version"),
        _("File"),
        _("Address"),
        _("First byte"),
        _("Bytes asked for"),
        _("Bytes sent"),
        _("Outcome"),
    ]
    body = (
        [
            row.at.strftime("%Y-%m-%d %H:%M:%S"),
            row.license.number,
            row.license.organization.name,
            row.user_name,
            row.user_email,
            row.license.product_label,
            row.locale,
            row.content_version[:12],
            row.file or _("ZIP archive of the bundle"),
            row.address,
            row.first_byte,
            row.requested,
            row.bytes_sent,
            str(DOWNLOAD_STATUS_LABELS.get(row.status, row.status)),
        ]
        for row in rows
    )
    return csv_response("qtp-downloads", header, body, current_locale_code())
