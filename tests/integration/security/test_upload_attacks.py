"""quality.md's upload corpus against every upload: a worksheet's attachments, a measure's CSV import and the
certificate check on the public verification page (the app has no other upload: no logos, no storyboard upload;
the storyboard is a PDF the app makes).

Hostile names (traversal, absolute paths, backslashes, NUL, RTL override, very long, only dots, header
injection, markup), a spoofed Content-Type, contents that do not match their name (HTML, SVG, a polyglot, a PDF
with JavaScript, a ZIP bomb), empty files and files just over the limit. A refusal is a 4xx with a message that
says why, and nothing is written: no row, no audit event, no file in the storage (nor anywhere else in the
test's folder). What is accepted is stored under a random key inside the storage, with a name safe to show and
to send, and comes back as an attachment of a safe type with `nosniff`: never text/html or image/svg+xml."""

from __future__ import annotations

import io
import unicodedata

from qtp.core.audit import AuditEvent
from qtp.measurement.csv_import import MAX_BYTES as CSV_MAX_BYTES
from qtp.measurement.models import DataPoint
from qtp.worksheets.models import Attachment
from tests.helpers import csrf_token, post_form, text_of
from tests.integration.measurement import conftest as measure_fixtures

from . import corpus
from . import files as fixtures
from .files import (
    BOM_PDF,
    GIF_JS_POLYGLOT,
    HTML,
    HTML_WITH_PDF_INSIDE,
    JPEG,
    PDF,
    PDF_WITH_JAVASCRIPT,
    PNG,
    PNG_HTML_POLYGLOT,
    SVG,
    everything_under,
    signed_in_as,
    zip_bomb,
)

ZIP_BOMB = zip_bomb()

real_team, sheet, files, certificate = fixtures.real_team, fixtures.sheet, fixtures.files, fixtures.certificate

measures = measure_fixtures.measures

HOSTILE_NAMES = [
    "../../etc/passwd",
    "../../../../../../etc/passwd.png",
    "/etc/passwd",
    "/var/www/static/x.png",
    "C:\\Windows\\System32\\drivers\\etc\\hosts.png",
    "..\\..\\..\\boot.ini",
    "\\\\server\\share\\x.png",
    "x.png\x00.html",
    "\x00",
    "invoice\u202egnp.exe",
    "\u202e\u200f\u2066.png",
    "a" * 1000 + ".png",
    "b" * 300,
    ".",
    "..",
    "...",
    ". . ..",
    ".htaccess",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%252f..%252fx.png",
    "x.png\r\nSet-Cookie: stolen=1",
    "x.png%0D%0ASet-Cookie: stolen=1",
    "x.png\"; filename*=UTF-8''evil.html",
    corpus.IMG + ".png",
    corpus.SCRIPT + ".png",
    "{{7*7}}.png",
    "\uff0e\uff0e\uff0fetc\uff0fpasswd",  # fullwidth dots and slashes
    "caf\u00e9 \u00f1and\u00fa \u65e5\u672c.png",  # letters of every script are fine
]
STORED_ABSENT = set('/\\\x00"<>\r\n')


def attach(client, team, name, data, content_type=None):
    upload = (io.BytesIO(data), name, content_type) if content_type else (io.BytesIO(data), name)
    return post_form(
        client,
        f"/teams/{team.id}/worksheets/process-map/1/attachments",
        {"file": upload},
        content_type="multipart/form-data",
    )


def written(session, files):
    """Everything an upload could leave behind: rows, audit events, files in the test's folder."""
    session.expire_all()
    return (
        session.query(Attachment).count(),
        session.query(DataPoint).count(),
        session.query(AuditEvent).count(),
        everything_under(files.root.parent),
    )


def assert_safe_name(name: str) -> None:
    assert name and len(name) <= 120, name
    assert not name.startswith("."), name
    assert not STORED_ABSENT & set(name), name
    assert all(unicodedata.category(ch)[0] != "C" for ch in name), name


def assert_served_safely(response, content_type: str, data: bytes) -> None:
    assert response.status_code == 200 and response.data == data
    assert response.mimetype == content_type
    assert response.mimetype not in ("text/html", "image/svg+xml")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "\r" not in response.headers["Content-Disposition"] and "\n" not in response.headers["Content-Disposition"]


# -- attachments ------------------------------------------------------------------------------------------------


def test_hostile_attachment_names_are_stored_under_random_keys_and_sent_back_as_safe_names(
    app, session, real_team, sheet, files
):
    leader = signed_in_as(app, real_team.people["leader"])
    kept = 0
    for name in HOSTILE_NAMES:
        response = attach(leader, real_team, name, PNG)
        if set(name) & set('"\r\n') and response.status_code == 400:
            # a raw quote or line break ends the name in the part's header (a browser sends %22, %0D%0A): no file
            assert "Please choose a file to attach." in text_of(response), name
            assert session.query(Attachment).count() == 0
            continue
        assert response.status_code == 303, (name, response.status_code)
        kept += 1
        attachment = session.query(Attachment).one()
        assert_safe_name(attachment.filename)
        assert attachment.filename.endswith(".png") and attachment.content_type == "image/png", attachment.filename
        stored = files.path(attachment.storage_key).resolve()
        assert stored.is_relative_to(files.root) and stored.read_bytes() == PNG, name
        assert stored.name == attachment.storage_key and name not in str(stored)
        download = leader.get(f"/teams/{real_team.id}/attachments/{attachment.public_id}")
        assert_served_safely(download, "image/png", PNG)
        page = leader.get(f"/teams/{real_team.id}/worksheets/process-map/1")  # the flash and the list of files
        assert page.status_code == 200 and not corpus.live_markup(text_of(page)), name
        kept_as_given = attachment.filename == name
        session.delete(attachment)  # the next one on an empty worksheet (at most 20 attachments)
        session.commit()
    assert kept_as_given, "the last name, in several scripts, is kept as it was given"
    assert len(everything_under(files.root.parent)) == kept, "one file per upload kept, all in the storage"


REFUSED_ATTACHMENTS = [
    ("map.png", HTML, "image/png", "Only PNG or JPEG images and PDF documents"),
    ("map.png", SVG, "image/png", "What the file contains decides, not its name."),
    ("map.svg", SVG, "image/svg+xml", "Only PNG or JPEG images and PDF documents"),
    ("page.html", HTML, "text/html", "Only PNG or JPEG images and PDF documents"),
    ("anim.gif", GIF_JS_POLYGLOT, "image/gif", "Only PNG or JPEG images and PDF documents"),
    ("report.pdf", HTML_WITH_PDF_INSIDE, "application/pdf", "Only PNG or JPEG images and PDF documents"),
    ("report.pdf", BOM_PDF, "application/pdf", "Only PNG or JPEG images and PDF documents"),
    ("data.zip", ZIP_BOMB, "application/zip", "Only PNG or JPEG images and PDF documents"),
    ("bomb.pdf", ZIP_BOMB, "application/pdf", "Only PNG or JPEG images and PDF documents"),
    ("empty.png", b"", "image/png", "The file is empty."),
    ("", PNG, "image/png", "Please choose a file to attach."),
]


def test_contents_that_are_not_what_they_claim_are_refused_and_nothing_is_written(
    app, session, real_team, sheet, files
):
    leader = signed_in_as(app, real_team.people["leader"])
    before = written(session, files)
    for name, data, content_type, message in REFUSED_ATTACHMENTS:
        response = attach(leader, real_team, name, data, content_type)
        assert response.status_code == 400 and message in text_of(response), (name, data[:20])
        assert not corpus.live_markup(text_of(response))
        assert written(session, files) == before, (name, data[:20])


ACCEPTED_AS_WHAT_THEY_ARE = [
    ("x.html", PNG_HTML_POLYGLOT, "text/html", "image/png", "x.html.png"),
    ("x.svg", JPEG + SVG, "image/svg+xml", "image/jpeg", "x.svg.jpg"),
    ("form.pdf", PDF_WITH_JAVASCRIPT, "text/html", "application/pdf", "form.pdf"),
    ("photo.png", PDF, "image/png", "application/pdf", "photo.png.pdf"),
]


def test_what_the_bytes_are_decides_the_type_it_is_served_with_not_the_name_or_the_browser(
    app, session, real_team, sheet, files
):
    """A polyglot or a PDF with JavaScript is accepted as what its first bytes say, and only ever sent as a
    download of that type, sandboxed: a browser neither renders it as a page nor runs its script."""
    leader = signed_in_as(app, real_team.people["leader"])
    for name, data, claimed, stored_type, stored_name in ACCEPTED_AS_WHAT_THEY_ARE:
        assert attach(leader, real_team, name, data, claimed).status_code == 303
        attachment = session.query(Attachment).order_by(Attachment.id.desc()).first()
        assert (attachment.content_type, attachment.filename) == (stored_type, stored_name)
        download = leader.get(f"/teams/{real_team.id}/attachments/{attachment.public_id}")
        assert_served_safely(download, stored_type, data)
        assert download.headers["Content-Disposition"] == f"attachment; filename={stored_name}"


def test_an_attachment_just_over_the_limit_is_refused_with_413_and_one_at_the_limit_is_kept(
    app, session, real_team, sheet, files, monkeypatch
):
    limit = 1024 * 1024
    monkeypatch.setitem(app.config, "QTP_MAX_ATTACHMENT_BYTES", limit)
    leader = signed_in_as(app, real_team.people["leader"])
    before = written(session, files)
    over = attach(leader, real_team, "big.png", PNG + b"\x00" * (limit + 1 - len(PNG)))
    assert over.status_code == 413 and "The file is larger than 1 MB. Please send a smaller file." in text_of(over)
    assert written(session, files) == before, "no row, no event, no file (not even a partial one)"
    assert attach(leader, real_team, "limit.png", PNG + b"\x00" * (limit - len(PNG))).status_code == 303
    assert session.query(Attachment).one().size == limit


# -- a measure's CSV import ----------------------------------------------------------------------------------


def import_csv(client, team, name, data, content_type="text/csv"):
    return post_form(
        client,
        f"/teams/{team.id}/measures/1/import",
        {"file": (io.BytesIO(data), name, content_type)},
        token_from=f"/teams/{team.id}/measures",
        content_type="multipart/form-data",
    )


GOOD_CSV = b"period,numerator,denominator\n2026-01,3,10\n"


def test_csv_imports_with_hostile_names_read_only_the_bytes_and_keep_no_file(app, session, real_team, measures, files):
    leader = signed_in_as(app, real_team.people["leader"])
    for number, name in enumerate(HOSTILE_NAMES[:12], 1):
        data = GOOD_CSV.replace(b"2026-01", f"2025-{number:02d}".encode())
        response = import_csv(leader, real_team, name, data, "application/x-msdownload")
        assert response.status_code == 303, (name, response.status_code)
        assert session.query(DataPoint).count() == number
    assert everything_under(files.root.parent) == [], "an imported CSV is read, never stored"


REFUSED_CSV = [
    (PNG, "This is not a text CSV file."),
    (ZIP_BOMB, "This is not a text CSV file."),
    (PDF_WITH_JAVASCRIPT, "The file was not imported"),
    (HTML, "The file was not imported"),
    (SVG, "The file was not imported"),
    ("period,numerator\n".encode("utf-16"), "The file is in UTF-16."),
    (b"", "The file was not imported"),
    (b"period,numerator,denominator\n" + b"2026-01,1,2\n" * (CSV_MAX_BYTES // 12 + 1), "larger than 1 MB"),
    (b"period,<script>alert(1)</script>,denominator\n2026-01,<img src=x onerror=alert(1)>,2\n", "not imported"),
]


def test_csv_files_that_are_not_csv_are_refused_with_a_message_and_nothing_is_written(
    app, session, real_team, measures, files
):
    leader = signed_in_as(app, real_team.people["leader"])
    before = written(session, files)
    for data, message in REFUSED_CSV:
        response = import_csv(leader, real_team, "points.csv", data)
        assert response.status_code == 400 and message in text_of(response), data[:30]
        assert not corpus.live_markup(text_of(response)), data[:30]
        assert written(session, files) == before


# -- the certificate check on the verification page ---------------------------------------------------------


def check_file(client, serial, name, data, content_type="application/pdf"):
    token = csrf_token(client, f"/verify/{serial}")
    return client.post(
        f"/verify/{serial}",
        data={"csrf_token": token, "file": (io.BytesIO(data), name, content_type)},
        content_type="multipart/form-data",
    )


def test_the_certificate_check_compares_bytes_whatever_the_name_and_keeps_nothing(app, session, certificate, files):
    client = app.test_client()
    before = written(session, files)
    for name in HOSTILE_NAMES[:12]:
        response = check_file(client, certificate.serial, name, certificate.content, "text/html")
        assert response.status_code == 200 and "This file is the certificate we issued, unchanged." in text_of(response)
        assert not corpus.live_markup(text_of(response))
    assert written(session, files) == before


NOT_THE_CERTIFICATE = [
    (HTML, 400, "This file is not a PDF."),
    (SVG, 400, "This file is not a PDF."),
    (PNG, 400, "This file is not a PDF."),
    (ZIP_BOMB, 400, "This file is not a PDF."),
    (BOM_PDF, 400, "This file is not a PDF."),
    (b"", 400, "This file is not a PDF."),
    (PDF_WITH_JAVASCRIPT, 200, "This file is not the certificate we issued"),
]


def test_the_certificate_check_refuses_what_is_not_a_pdf(app, session, certificate, files):
    client = app.test_client()
    before = written(session, files)
    for data, status, message in NOT_THE_CERTIFICATE:
        response = check_file(client, certificate.serial, "certificate.pdf", data)
        assert response.status_code == status and message in text_of(response), data[:20]
        assert not corpus.live_markup(text_of(response))
        assert written(session, files) == before


def test_a_certificate_check_over_the_request_limit_is_refused(app, session, certificate, files, monkeypatch):
    client = app.test_client()
    token = csrf_token(client, f"/verify/{certificate.serial}")
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 8192)
    before = written(session, files)
    response = client.post(
        f"/verify/{certificate.serial}",
        data={"csrf_token": token, "file": (io.BytesIO(PDF + b"0" * 9000), "certificate.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413 and "larger than allowed" in text_of(response)
    assert written(session, files) == before


def test_a_certificate_pdf_is_served_as_a_download(app, real_team, certificate):
    client = signed_in_as(app, real_team.people["leader"])
    response = client.get(f"/certificates/{certificate.id}/download")
    assert_served_safely(response, "application/pdf", certificate.content)
