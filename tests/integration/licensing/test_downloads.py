"""Downloading a licensed bundle: the ZIP archive (manifest hashes match its entries, a licence certificate and
the terms made for the download, correct length, resumable), single files, every refusal with its reason,
signed links bound to the account, and the download record for seat holders and admins."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

import pytest

from qtp.core.audit import AuditEvent
from qtp.licensing import downloads
from qtp.licensing.downloads import Link
from qtp.licensing.models import Download, License, LicenseSeat
from tests.factories import VERSION, make_organization, make_user, write_bundle
from tests.helpers import login, logout, text_of
from tests.pdf.support import pdf_text


def today_utc() -> date:
    return datetime.now(UTC).date()


@pytest.fixture
def bundle_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "QTP_BUNDLE_DIR", str(tmp_path / "bundles"))
    return tmp_path / "bundles"


@pytest.fixture
def licence(session):
    org = make_organization(session, "Fundación Oncológica del Sur", kind="licensee", country="AR", city="Rosario")
    today = today_utc()
    license_ = License(
        number="QTP-L-2026-0031",
        organization=org,
        product="six_month",
        locales=["en", "es"],
        territory=["AR", "UY"],
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=300),
        seats=3,
    )
    session.add(license_)
    session.commit()
    return license_


@pytest.fixture
def holder(session, licence):
    user = make_user(session, roles=["licensee"], name="Lucía Benítez", locale="es")
    session.add(LicenseSeat(license_id=licence.id, user_id=user.id))
    session.commit()
    return user


@pytest.fixture
def built(session, bundle_dir):
    return write_bundle(bundle_dir, session)


def link_of(app, user, licence, locale="es", file="") -> str:
    with app.test_request_context():
        return "/downloads/" + downloads.make_token(Link(user.id, licence.id, locale, file))


def bundle_page(client, licence, locale="es"):
    return client.get(f"/licenses/{licence.id}/bundles/{locale}")


def zip_link_from(page: str) -> str:
    start = page.index('href="/downloads/') + len('href="')
    return page[start : page.index('"', start)]


def test_a_seat_holder_downloads_the_bundle_as_one_zip(app, client, session, licence, holder, built, bundle_dir):
    login(client, holder.email)
    page = bundle_page(client, licence)
    assert page.status_code == 200
    html = text_of(page)
    assert "faculty-manual.pdf" in html and "qtp-logo.svg" in html
    deck = html[html.index('<table class="decks">') :].split("</table>")[0]
    row = deck[deck.index('<th scope="row">01-why-quality</th>') :].split("</tr>")[0]  # no module known: its name
    assert ">PowerPoint<" in row and ">PDF<" in row
    response = client.get(zip_link_from(html))
    assert response.status_code == 200
    body = response.data
    assert response.headers["Content-Length"] == str(len(body))
    assert response.headers["Content-Type"] == "application/zip"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert "filename=QTP-L-2026-0031-six-month-es.zip" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    top = "qtp-six-month-es/"
    manifest = json.loads(archive.read(top + "manifest.json"))
    for entry in manifest["files"]:
        data = archive.read(top + entry["path"])
        assert len(data) == entry["size"] and hashlib.sha256(data).hexdigest() == entry["sha256"]
        info = archive.getinfo(top + entry["path"])
        if entry["path"].endswith((".pptx", ".pdf")):
            assert info.compress_type == zipfile.ZIP_STORED, "already-compressed files are stored"
    assert archive.getinfo(top + "logo/qtp-logo.svg").compress_type == zipfile.ZIP_DEFLATED
    certificate = " ".join(pdf_text(archive.read(top + "licence-certificate.pdf")).split())
    for fact in ("QTP-L-2026-0031", "Fundación Oncológica del Sur", "Certificado de licencia", "Argentina", "Uruguay"):
        assert fact in certificate
    assert "Lucía Benítez" in certificate
    terms = archive.read(top + "licence-terms.txt").decode("utf-8")
    assert "QTP-L-2026-0031" in terms and "Argentina, Uruguay" in terms and "\r\n" in terms
    record = session.query(Download).one()
    assert (record.user_id, record.license_id, record.locale, record.file) == (holder.id, licence.id, "es", "")
    assert record.status == "complete" and record.bytes_sent == record.requested == len(body)
    assert record.address == "127.0.0.1"
    assert session.query(AuditEvent).filter_by(action="license.download").count() == 1


def test_the_same_day_gives_the_same_archive_and_a_download_resumes(app, client, session, licence, holder, built):
    login(client, holder.email)
    link = link_of(app, holder, licence)
    whole = client.get(link)
    etag = whole.headers["ETag"]
    again = client.get(link)
    assert again.data == whole.data and again.headers["ETag"] == etag, "same bytes: a resume continues them"
    part = client.get(link, headers={"Range": "bytes=1000-", "If-Range": etag})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 1000-{len(whole.data) - 1}/{len(whole.data)}"
    assert part.data == whole.data[1000:] and part.headers["Content-Length"] == str(len(whole.data) - 1000)
    middle = client.get(link, headers={"Range": "bytes=500000-500099"})
    assert middle.status_code == 206 and middle.data == whole.data[500000:500100]
    stale = client.get(link, headers={"Range": "bytes=1000-", "If-Range": '"another-archive"'})
    assert stale.status_code == 200 and stale.data == whole.data, "a changed archive is sent whole"
    beyond = client.get(link, headers={"Range": f"bytes={len(whole.data) + 5}-"})
    assert beyond.status_code == 416 and beyond.headers["Content-Range"] == f"bytes */{len(whole.data)}"
    resumed = session.query(Download).filter(Download.first_byte == 1000).one()
    assert resumed.requested == resumed.bytes_sent == len(whole.data) - 1000


def test_an_interrupted_download_is_recorded_as_such(app, client, session, licence, holder, built):
    login(client, holder.email)
    response = client.get(link_of(app, holder, licence), buffered=False)
    first = next(iter(response.response))
    response.close()
    record = session.query(Download).one()
    assert record.status == "interrupted" and record.bytes_sent == len(first) < record.requested


def test_a_single_file_is_sent_as_it_is_or_by_the_web_server(app, client, session, licence, holder, built, bundle_dir):
    login(client, holder.email)
    response = client.get(link_of(app, holder, licence, file="manual/faculty-manual.pdf"))
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert response.data == (bundle_dir / "six_month/es/manual/faculty-manual.pdf").read_bytes()
    app.config["QTP_X_ACCEL_BUNDLE_PREFIX"] = "/protected-bundles/"
    try:
        response = client.get(link_of(app, holder, licence, file="slides/01-why-quality.pptx"))
    finally:
        app.config["QTP_X_ACCEL_BUNDLE_PREFIX"] = None
    assert response.headers["X-Accel-Redirect"] == "/protected-bundles/six_month/es/slides/01-why-quality.pptx"
    assert response.data == b""
    statuses = [row.status for row in session.query(Download).order_by(Download.id)]
    assert statuses == ["complete", "proxy"]


@pytest.mark.parametrize("file", ["../es/manifest.json", "manifest.json", "/etc/passwd", "slides/../../../x", "a\x00b"])
def test_only_files_the_manifest_lists_can_be_downloaded(app, client, licence, holder, built, file):
    login(client, holder.email)
    assert client.get(link_of(app, holder, licence, file=file)).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/licenses/{id}/bundles/..%2f..%2fsix_month",
        "/licenses/{id}/bundles/%2e%2e",
        "/licenses/{id}/bundles/es%00",
        "/downloads/..%2f..%2fsix_month%2fes%2fmanifest.json",
        "/downloads/%2e%2e%2fmanifest.json",
        "/downloads/abc%00",
        "/bundles/six_month/es/manifest.json",
        "/instance/bundles/six_month/es/manifest.json",
    ],
)
def test_bundle_files_are_never_reachable_by_path(client, licence, holder, built, path):
    login(client, holder.email)
    assert client.get(path.format(id=licence.id)).status_code == 404


def _refusal(client, app, holder, licence, locale="es"):
    """The bundle page and a link made earlier both refuse, with the same reason."""
    page, fetched = bundle_page(client, licence, locale), client.get(link_of(app, holder, licence, locale))
    assert page.status_code == fetched.status_code
    return page.status_code, " ".join(text_of(page).split())


def test_expired_suspended_not_started_and_seatless_holders_are_told_why(app, client, session, licence, holder, built):
    login(client, holder.email)
    today = today_utc()
    licence.ends_on = today - timedelta(days=1)
    session.commit()
    status, page = _refusal(client, app, holder, licence)
    assert status == 403 and "Esta licencia terminó el" in page and "renovarla" in page
    licence.ends_on, licence.status = today + timedelta(days=100), "suspended"
    session.commit()
    status, page = _refusal(client, app, holder, licence)
    assert status == 403 and "Esta licencia está suspendida" in page
    licence.status, licence.starts_on = "active", today + timedelta(days=3)
    session.commit()
    status, page = _refusal(client, app, holder, licence)
    assert status == 403 and "Esta licencia comienza el" in page
    licence.starts_on = today - timedelta(days=3)
    session.query(LicenseSeat).filter_by(user_id=holder.id).update({"freed_at": datetime.now(UTC)})
    session.commit()
    status, page = _refusal(client, app, holder, licence)
    assert status == 403 and "Ya no tiene una plaza en esta licencia" in page
    assert session.query(Download).count() == 0


def test_a_language_the_licence_does_not_cover_is_refused(app, client, session, licence, holder, built, bundle_dir):
    write_bundle(bundle_dir, session, locale="pt_BR")
    login(client, holder.email)
    status, page = _refusal(client, app, holder, licence, "pt_BR")
    assert status == 403 and "no cubre el contenido en portugués" in page


def test_a_bundle_not_built_yet_says_so(app, client, session, licence, holder, bundle_dir):
    login(client, holder.email)
    response = bundle_page(client, licence)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert "La coordinación del programa está preparando" in text_of(response)


def test_links_are_signed_bound_to_the_account_and_expire(app, client, session, licence, holder, built):
    other = make_user(session, roles=["licensee"], locale="en")
    session.add(LicenseSeat(license_id=licence.id, user_id=other.id))
    session.commit()
    mine = link_of(app, holder, licence)
    login(client, other.email)
    response = client.get(mine)
    assert response.status_code == 403 and "made for another account" in text_of(response)
    assert client.get(mine[:-3] + ("AAA" if not mine.endswith("AAA") else "BBB")).status_code == 404, "tampered"
    assert client.get(link_of(app, other, licence)).status_code == 200
    app.config["QTP_DOWNLOAD_LINK_MINUTES"] = -1
    try:
        response = client.get(link_of(app, other, licence))
    finally:
        app.config["QTP_DOWNLOAD_LINK_MINUTES"] = 60
    assert response.status_code == 403 and "This download link has expired" in text_of(response)
    assert session.query(Download).count() == 1


def test_people_without_a_seat_or_the_role_cannot_reach_a_bundle(app, client, session, licence, holder, built):
    stranger = make_user(session, roles=["licensee"])
    login(client, stranger.email)
    assert bundle_page(client, licence).status_code == 404, "a licence never held does not exist for them"
    assert client.get(f"/licenses/{licence.id}/downloads").status_code == 404
    participant = make_user(session, roles=["participant"])
    logout(client)
    login(client, participant.email)
    assert bundle_page(client, licence).status_code == 403
    assert client.get(link_of(app, participant, licence)).status_code == 403
    logout(client)
    anonymous = client.get(link_of(app, holder, licence))
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_seat_holders_and_admins_see_the_download_record_and_admins_export_it(
    app, client, session, licence, holder, built
):
    colleague = make_user(session, roles=["licensee"], name="Martín Sosa")
    session.add(LicenseSeat(license_id=licence.id, user_id=colleague.id))
    session.commit()
    login(client, holder.email)
    assert client.get(link_of(app, holder, licence)).data
    assert client.get(link_of(app, holder, licence, file="manual/faculty-manual.pdf")).data
    logout(client)
    login(client, colleague.email)
    page = " ".join(text_of(client.get(f"/licenses/{licence.id}/downloads")).split())
    assert "Lucía Benítez" in page and "manual/faculty-manual.pdf" in page and "ZIP archive of the bundle" in page
    assert "127.0.0.1" in page
    assert client.get("/admin/licenses/downloads.csv").status_code == 403
    logout(client)
    admin = make_user(session, roles=["admin"])
    login(client, admin.email)
    assert "Lucía Benítez" in text_of(client.get(f"/admin/licenses/{licence.id}"))
    export = client.get(f"/admin/licenses/downloads.csv?license={licence.id}")
    assert export.status_code == 200 and export.headers["Content-Type"].startswith("text/csv")
    lines = export.get_data(as_text=True).lstrip("\ufeff").strip().splitlines()
    assert len(lines) == 3 and "QTP-L-2026-0031" in lines[1] and holder.email in lines[1]
    assert "Complete" in lines[1] and "Complete" in lines[2]


def test_a_name_that_looks_like_a_formula_is_inert_in_the_export(app, client, session, licence, built):
    sly = make_user(session, roles=["licensee"], name='=HYPERLINK("http://x")')
    session.add(LicenseSeat(license_id=licence.id, user_id=sly.id))
    session.commit()
    login(client, sly.email)
    assert client.get(link_of(app, sly, licence)).data
    logout(client)
    login(client, make_user(session, roles=["admin"]).email)
    export = client.get("/admin/licenses/downloads.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in export and quote("=") not in export.split("\n", 1)[0]


def test_the_bundle_and_record_pages_run_a_fixed_number_of_statements(
    app, client, session, licence, holder, built, sql_statements
):
    login(client, holder.email)

    def add(count: int) -> None:
        session.add_all(
            Download(
                license_id=licence.id,
                user_id=holder.id,
                user_name=holder.name,
                user_email=holder.email,
                product="six_month",
                locale="es",
                content_version=VERSION,
                requested=10,
                bytes_sent=10,
                status="complete",
            )
            for _ in range(count)
        )
        session.commit()

    def count(path: str) -> int:
        sql_statements.clear()
        assert client.get(path).status_code == 200
        return len(sql_statements)

    pages = (f"/licenses/{licence.id}/bundles/es", f"/licenses/{licence.id}/downloads")
    add(2)
    small = [count(path) for path in pages]
    add(40)
    large = [count(path) for path in pages]
    assert small == large and max(large) <= 12, (small, large)
