"""Attachments: upload (magic bytes decide, size limits, names sanitized), download headers, deletion, and
who may do what (outsiders get 404, read-only roles 403)."""

import io
import re
import struct
import zlib

import pytest
from flask import render_template

from qtp.cohorts.models import Membership
from qtp.core.audit import AuditEvent
from qtp.core.storage import LocalStorage
from qtp.worksheets import attachments
from qtp.worksheets.models import Attachment, Worksheet, WorksheetStatus
from tests.helpers import login, post_form, text_of


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


PNG = _png()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'
HTML = b"<!doctype html><html><body><script>fetch('/admin/users')</script></body></html>"


@pytest.fixture
def files(app, tmp_path, monkeypatch):
    """A storage of its own for each test, so that what is on disk can be counted."""
    local = LocalStorage(tmp_path / "files")
    monkeypatch.setitem(app.extensions, "qtp_storage", local)
    return local


def stored_files(files: LocalStorage) -> list:
    return [p for p in files.root.rglob("*") if p.is_file()] if files.root.exists() else []


@pytest.fixture
def sheet(session, real_team):
    wtype = real_team.types["process-map"]
    worksheet = Worksheet(team_id=real_team.id, type_id=wtype.id, type=wtype, record_no=1, data={})
    session.add(worksheet)
    session.commit()
    return worksheet


def _client(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


@pytest.fixture
def leader(app, real_team):
    return _client(app, real_team.people["leader"])


def page_url(team, slug="process-map", record_no=1):
    return f"/teams/{team.id}/worksheets/{slug}/{record_no}"


def upload(client, team, name, data, slug="process-map", record_no=1):
    return post_form(
        client,
        f"{page_url(team, slug, record_no)}/attachments",
        {"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def download_url(team, attachment):
    return f"/teams/{team.id}/attachments/{attachment.public_id}"


def add(app, session, team, who, name, data, worksheet):
    with app.test_request_context():
        attachment = attachments.add_attachment(session, team.people[who], worksheet, io.BytesIO(data), name)
        session.commit()
    return attachment


# -- uploads -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [("whiteboard.png", PNG, "image/png"), ("photo.JPG", JPEG, "image/jpeg"), ("map.pdf", PDF, "application/pdf")],
)
def test_a_member_attaches_png_jpeg_and_pdf(leader, real_team, sheet, session, files, name, data, content_type):
    response = upload(leader, real_team, name, data)
    assert response.status_code == 303
    assert response.headers["Location"] == page_url(real_team)
    attachment = session.query(Attachment).one()
    assert (attachment.filename, attachment.content_type, attachment.size) == (name, content_type, len(data))
    assert attachment.worksheet_id == sheet.id and attachment.uploaded_by_id == real_team.people["leader"].id
    assert re.fullmatch(r"[0-9a-f]{32}", attachment.storage_key)
    assert len(attachment.public_id) >= 20 and attachment.public_id != attachment.storage_key
    with files.open(attachment.storage_key) as handle:
        assert handle.read() == data
    assert stored_files(files) == [files.path(attachment.storage_key)]
    event = session.query(AuditEvent).filter_by(action="attachment.added").one()
    assert event.object_id == str(attachment.id) and event.details["sha256"] == attachment.sha256
    assert event.actor_id == real_team.people["leader"].id


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("map.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "Only PNG or JPEG images and PDF documents"),
        ("map.pdf", b"PK\x03\x04 a zip that says it is a pdf", "Only PNG or JPEG images and PDF documents"),
        ("page.html", HTML, "Only PNG or JPEG images and PDF documents"),
        ("x.png", SVG, "Only PNG or JPEG images and PDF documents"),
        ("x.svg", b"<?xml version='1.0'?>" + SVG, "Only PNG or JPEG images and PDF documents"),
        ("almost.png", PNG[:7], "Only PNG or JPEG images and PDF documents"),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_files_that_are_not_png_jpeg_or_pdf_are_refused(leader, real_team, sheet, session, files, name, data, message):
    response = upload(leader, real_team, name, data)
    assert response.status_code == 400
    page = text_of(response)
    assert message in page
    assert page_url(real_team) in page  # a way back to the worksheet
    assert "<script>" not in page
    assert session.query(Attachment).count() == 0
    assert stored_files(files) == []


def test_no_file_chosen_is_a_clear_400(leader, real_team, sheet, files):
    response = post_form(leader, f"{page_url(real_team)}/attachments", {}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Please choose a file to attach." in text_of(response)


def test_path_names_are_stripped_and_the_bytes_stored_under_a_random_key(
    leader, real_team, sheet, session, files, tmp_path
):
    assert upload(leader, real_team, "../../x.pdf", PDF).status_code == 303
    assert upload(leader, real_team, "..\\..\\windows\\evil.pdf", PDF).status_code == 303
    first, second = [a.filename for a in session.query(Attachment).order_by(Attachment.id)]
    assert first == "x.pdf"
    # (how the backslashes arrive depends on the multipart quoting; none survives, nor any leading dot)
    assert second.endswith("evil.pdf") and not set(second) & {"/", "\\"} and not second.startswith(".")
    assert not (tmp_path / "x.pdf").exists() and not (files.root.parent / "x.pdf").exists()
    for path in stored_files(files):
        assert path.parent.parent == files.root and re.fullmatch(r"[0-9a-f]{32}", path.name)


def test_what_the_file_is_decides_its_type_not_its_name(app, session, real_team, sheet, files):
    attachment = add(app, session, real_team, "core", "photo.pdf", PNG, sheet)
    assert (attachment.content_type, attachment.filename) == ("image/png", "photo.pdf.png")
    assert add(app, session, real_team, "core", None, JPEG, sheet).filename == "attachment.jpg"


def test_over_the_attachment_limit_is_refused_with_413_and_nothing_kept(
    app, leader, real_team, sheet, session, files, monkeypatch
):
    monkeypatch.setitem(app.config, "QTP_MAX_ATTACHMENT_BYTES", 100 * 1024)
    response = upload(leader, real_team, "big.pdf", PDF + b"0" * (150 * 1024))
    assert response.status_code == 413
    assert "The file is larger than 0.1 MB." in text_of(response)
    assert session.query(Attachment).count() == 0
    assert stored_files(files) == []
    assert upload(leader, real_team, "fits.pdf", PDF + b"0" * (90 * 1024)).status_code == 303


def test_a_body_over_max_content_length_is_refused_before_it_is_read(app, leader, real_team, sheet, session, files):
    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the body was read")

        readinto = readline = read1 = read

    response = leader.post(
        f"{page_url(real_team)}/attachments",
        input_stream=Unreadable(),
        content_type="multipart/form-data; boundary=----x",
        environ_overrides={"CONTENT_LENGTH": str(app.config["MAX_CONTENT_LENGTH"] + 1)},
    )
    assert response.status_code == 413, text_of(response)
    assert "larger than allowed" in text_of(response)
    assert session.query(Attachment).count() == 0 and stored_files(files) == []


def test_a_real_oversized_body_gets_the_413_page(app, leader, real_team, sheet, session, files, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    response = upload(leader, real_team, "big.pdf", PDF + b"0" * (100 * 1024))
    assert response.status_code == 413
    assert "Too large" in text_of(response)
    assert session.query(Attachment).count() == 0 and stored_files(files) == []


def test_at_most_twenty_attachments_per_worksheet(app, leader, real_team, sheet, session, files):
    for n in range(attachments.MAX_ATTACHMENTS):
        session.add(
            Attachment(
                public_id=f"p{n}",
                worksheet_id=sheet.id,
                storage_key=f"{n:032x}",
                filename=f"{n}.pdf",
                content_type="application/pdf",
                size=1,
                sha256="0" * 64,
            )
        )
    session.commit()
    response = upload(leader, real_team, "one-more.pdf", PDF)
    assert response.status_code == 400
    assert "at most 20 attachments" in text_of(response)
    assert stored_files(files) == []


def test_a_submitted_worksheet_refuses_uploads_and_deletions(app, leader, real_team, sheet, session, files):
    attachment = add(app, session, real_team, "leader", "map.pdf", PDF, sheet)
    sheet.status = WorksheetStatus.SUBMITTED
    session.commit()
    response = upload(leader, real_team, "late.pdf", PDF)
    assert response.status_code == 400
    assert "under review or approved" in text_of(response)
    response = post_form(leader, f"{download_url(real_team, attachment)}/delete")
    assert response.status_code == 303
    assert session.query(Attachment).count() == 1 and files.exists(attachment.storage_key)
    assert len(stored_files(files)) == 1


def test_unknown_worksheets_answer_404(leader, real_team, sheet, files):
    assert upload(leader, real_team, "a.pdf", PDF, record_no=2).status_code == 404
    assert upload(leader, real_team, "a.pdf", PDF, slug="no-such-type").status_code == 404
    assert upload(leader, real_team, "a.pdf", PDF, slug="aim").status_code == 404  # not saved yet
    assert upload(leader, real_team, "a.pdf", PDF, slug="process-map%00").status_code == 404
    assert upload(leader, real_team, "a.pdf", PDF, slug="..%2fprocess-map").status_code == 404
    assert stored_files(files) == []


def test_a_rolled_back_upload_leaves_no_file(app, session, real_team, sheet, files):
    with app.test_request_context():
        attachment = attachments.add_attachment(session, real_team.people["core"], sheet, io.BytesIO(PDF), "a.pdf")
        key = attachment.storage_key
        assert files.exists(key)
        session.rollback()
    assert not files.exists(key)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../x.pdf", "x.pdf"),
        ("..\\..\\x.pdf", "x.pdf"),
        ("C:\\Users\\ana\\Desktop\\mapa.png", "mapa.png"),
        ("/etc/passwd", "passwd"),
        ("..", "attachment"),
        ("", "attachment"),
        (None, "attachment"),
        ("   ", "attachment"),
        (".hidden.pdf", "hidden.pdf"),
        ('a"\r\nX-Evil: 1.pdf', "a X-Evil 1.pdf"),
        ("quote's `tick` <b>.pdf", "quotes tick b.pdf"),
        ("nul\x00byte.pdf", "nulbyte.pdf"),
        ("right\u202eto-left.pdf", "rightto-left.pdf"),
        ("Diagrama de Ishikawa — ação.pdf", "Diagrama de Ishikawa — ação.pdf"),
        ("工程図.png", "工程図.png"),
    ],
)
def test_display_names_are_sanitized(given, expected):
    assert attachments.sanitize_filename(given) == expected


def test_long_names_are_cut_to_120_characters_keeping_the_extension():
    name = attachments.sanitize_filename("á" * 300 + ".pdf")
    assert len(name) == 120 and name.endswith("á.pdf")
    assert len(attachments.sanitize_filename("b" * 300)) == 120


# -- downloads ---------------------------------------------------------------------------------------------


def test_download_headers(app, leader, session, real_team, sheet, files):
    attachment = add(app, session, real_team, "core", "Mapa do processo — ação.pdf", PDF, sheet)
    response = leader.get(download_url(real_team, attachment))
    assert response.status_code == 200
    assert response.get_data() == PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Mapa%20do%20processo%20%E2%80%94%20a%C3%A7%C3%A3o.pdf" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert session.query(AuditEvent).filter(AuditEvent.action.like("attachment.download%")).count() == 0  # GET


def test_no_header_injection_through_the_filename(app, leader, session, real_team, sheet, files):
    attachment = add(app, session, real_team, "core", 'a"\r\nX-Evil: 1.pdf', PDF, sheet)
    assert attachment.filename == "a X-Evil 1.pdf"
    response = leader.get(download_url(real_team, attachment))
    assert response.status_code == 200 and "X-Evil" not in response.headers
    assert response.headers["Content-Disposition"] == 'attachment; filename="a X-Evil 1.pdf"'
    # Even a name that reached the database unsanitized cannot break out of the header.
    attachment.filename = 'b"\r\nX-Evil: 2.pdf'
    session.commit()
    response = leader.get(download_url(real_team, attachment))
    assert response.status_code == 200 and "X-Evil" not in response.headers
    assert "\r" not in response.headers["Content-Disposition"] and "\n" not in response.headers["Content-Disposition"]


def test_x_accel_redirect_leaves_the_body_to_the_proxy(app, leader, session, real_team, sheet, files, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_X_ACCEL_REDIRECT_PREFIX", "/protected/")
    attachment = add(app, session, real_team, "core", "map.png", PNG, sheet)
    response = leader.get(download_url(real_team, attachment))
    assert response.status_code == 200
    assert response.get_data() == b""
    key = attachment.storage_key
    assert response.headers["X-Accel-Redirect"] == f"/protected/{key[:2]}/{key}"
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"] == "attachment; filename=map.png"
    assert "no-store" in response.headers["Cache-Control"]


def test_traversal_and_junk_ids_answer_404(app, leader, session, real_team, sheet, files):
    attachment = add(app, session, real_team, "core", "map.pdf", PDF, sheet)
    base = f"/teams/{real_team.id}/attachments/"
    for junk in (
        "..%2f..%2f..%2fetc%2fpasswd",
        "%2e%2e",
        "%2e%2e%2f%2e%2e%2fqtp-test.db",
        "..%5c..%5cqtp-test.db",
        f"{attachment.public_id}%00",
        f"{attachment.public_id}%00.png",
        "%00",
        attachment.storage_key,  # the storage key is never an id in URLs
        f"{attachment.storage_key[:2]}%2f{attachment.storage_key}",
        "x" * 41,
    ):
        assert leader.get(base + junk).status_code == 404, junk
    assert leader.get(download_url(real_team, attachment)).status_code == 200


def test_a_missing_stored_file_answers_404_not_500(app, leader, session, real_team, sheet, files):
    attachment = add(app, session, real_team, "core", "map.pdf", PDF, sheet)
    files.delete(attachment.storage_key)
    assert leader.get(download_url(real_team, attachment)).status_code == 404


# -- who may do what ---------------------------------------------------------------------------------------


def test_outsiders_cannot_download_delete_or_upload(app, session, real_team, sheet, files):
    attachment = add(app, session, real_team, "core", "map.pdf", PDF, sheet)
    outsider = real_team.people["outsider"]
    own_team_id = session.query(Membership.team_id).filter_by(user_id=outsider.id).scalar()
    client = _client(app, outsider)
    assert client.get(download_url(real_team, attachment)).status_code == 404
    assert client.get(f"/teams/{own_team_id}/attachments/{attachment.public_id}").status_code == 404
    assert post_form(client, f"{download_url(real_team, attachment)}/delete").status_code == 404
    assert post_form(client, f"/teams/{own_team_id}/attachments/{attachment.public_id}/delete").status_code == 404
    assert upload(client, real_team, "mine.pdf", PDF).status_code == 404
    session.expire_all()
    assert [a.id for a in session.query(Attachment)] == [attachment.id]
    assert files.exists(attachment.storage_key) and len(stored_files(files)) == 1
    assert session.query(AuditEvent).filter_by(action="attachment.deleted").count() == 0


def test_sponsor_downloads_but_may_not_upload_or_delete(app, session, real_team, sheet, files):
    attachment = add(app, session, real_team, "core", "map.pdf", PDF, sheet)
    client = _client(app, real_team.people["sponsor"])
    assert client.get(download_url(real_team, attachment)).status_code == 200
    assert upload(client, real_team, "mine.pdf", PDF).status_code == 403
    assert post_form(client, f"{download_url(real_team, attachment)}/delete").status_code == 403
    assert session.query(Attachment).count() == 1 and len(stored_files(files)) == 1


def test_the_cohorts_faculty_downloads_but_may_not_upload(app, session, real_team, sheet, files):
    attachment = add(app, session, real_team, "core", "map.pdf", PDF, sheet)
    client = _client(app, real_team.people["faculty"])
    response = client.get(download_url(real_team, attachment))
    assert response.status_code == 200 and response.get_data() == PDF
    assert upload(client, real_team, "mine.pdf", PDF).status_code == 403
    assert post_form(client, f"{download_url(real_team, attachment)}/delete").status_code == 403


def test_a_member_deletes_an_attachment_and_its_file(app, session, real_team, sheet, files):
    attachment = add(app, session, real_team, "leader", "map.pdf", PDF, sheet)
    key, attachment_id = attachment.storage_key, attachment.id
    client = _client(app, real_team.people["core"])
    response = post_form(client, f"{download_url(real_team, attachment)}/delete")
    assert response.status_code == 303
    assert response.headers["Location"] == page_url(real_team)
    session.expire_all()
    assert session.query(Attachment).count() == 0
    assert not files.exists(key) and stored_files(files) == []
    event = session.query(AuditEvent).filter_by(action="attachment.deleted").one()
    assert (event.object_type, event.object_id) == ("attachments", str(attachment_id))
    assert event.actor_id == real_team.people["core"].id


def test_a_deletion_that_rolls_back_keeps_the_file(app, session, real_team, sheet, files):
    attachment = add(app, session, real_team, "leader", "map.pdf", PDF, sheet)
    with app.test_request_context():
        attachments.delete_attachment(session, real_team.people["leader"], attachment)
        session.rollback()
    assert files.exists(attachment.storage_key)
    assert session.query(Attachment).count() == 1


def test_deleting_requires_the_csrf_token(app, session, real_team, sheet, files):
    attachment = add(app, session, real_team, "leader", "map.pdf", PDF, sheet)
    client = _client(app, real_team.people["leader"])
    assert client.post(f"{download_url(real_team, attachment)}/delete").status_code == 400
    assert session.query(Attachment).count() == 1


# -- the partial on the worksheet page ---------------------------------------------------------------------


def _render(app, **context):
    with app.test_request_context():
        return render_template("worksheets/_attachments.html", **context)


def test_the_partial_before_the_first_save(app, real_team):
    html = _render(app, team=real_team, worksheet=None, attachments=[], can_edit=True)
    assert "after the worksheet is saved for the first time" in html
    assert "<form" not in html


def test_the_partial_lists_files_with_links_and_forms_for_editors(app, session, real_team, sheet, files):
    add(app, session, real_team, "core", "map.pdf", PDF + b"0" * (1536 * 1024), sheet)
    add(app, session, real_team, "core", "<img src=x onerror=alert(1)>&co.png", PNG, sheet)
    from qtp.worksheets.attachment_queries import list_attachments

    listed = list_attachments(session, sheet.id)
    html = _render(app, team=real_team, worksheet=sheet, attachments=listed, can_edit=True)
    assert [a.filename for a in listed] == ["map.pdf", "img src=x onerror=alert(1)&co.png"]
    assert "1.5 MB" in html and "0.1 KB" in html
    assert "PDF document" in html and "PNG image" in html
    assert real_team.people["core"].name in html
    assert f'href="/teams/{real_team.id}/attachments/{listed[0].public_id}"' in html
    assert f'action="/teams/{real_team.id}/attachments/{listed[0].public_id}/delete"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'accept="image/png,image/jpeg,application/pdf"' in html
    assert 'name="file"' in html and '<label for="attachment-file">' in html
    assert "PNG, JPEG or PDF, up to 10 MB" in html
    assert html.count('name="csrf_token"') == 3
    assert "<img" not in html and "alert(1)&amp;co.png" in html

    read_only = _render(app, team=real_team, worksheet=sheet, attachments=listed, can_edit=False)
    assert "<form" not in read_only and "map.pdf" in read_only


def test_the_partial_without_files(app, real_team, sheet):
    html = _render(app, team=real_team, worksheet=sheet, attachments=[], can_edit=False)
    assert "No files are attached yet." in html
