"""Licences in the browser: an admin records a licence and gives a seat to the demo licensee; the licensee reads
its terms in Spanish; the licensee whose licence expired is told so (axe-core runs on every page)."""

from __future__ import annotations

import pytest

from tests.browser.support import BrowserTab, Catalogs, LiveServer

pytestmark = pytest.mark.browser

ES = "es"
ORGANIZATION = "Red Uruguaya de Oncología"


def test_an_admin_records_a_licence_and_its_holders_read_it(
    open_tab, catalogs: Catalogs, live_server: LiveServer
) -> None:
    from qtp.accounts.models import Organization

    with live_server.db() as session:
        session.add(Organization(name=ORGANIZATION, kind="licensee", country="UY", city="Montevideo"))

    admin: BrowserTab = open_tab()
    page = admin.page
    admin.sign_in("admin@example.org", shot="licences-admin-home")
    admin.click(page.locator("nav.main-nav").get_by_role("link", name="Licences", exact=True), "licences-index")
    admin.click(page.get_by_role("link", name="New licence"), "licences-new")
    page.get_by_label("Licensee institution").select_option(label=ORGANIZATION)
    page.get_by_label("Product").select_option(label="One-day QTP content")
    page.get_by_label("Español").check()
    page.get_by_label("Territory").select_option(["UY", "PY"])
    page.get_by_label("First day").fill("2026-11-01")
    page.get_by_label("Last day").fill("2028-10-31")
    page.get_by_label("Named seats").fill("2")
    admin.click(page.get_by_role("button", name="Create the licence"), "licences-created")
    number = admin.text("main h1").split()[-1]
    assert number.startswith("QTP-L-2026-")
    assert "Paraguay, Uruguay" in admin.text("main")

    page.get_by_label("Full name").fill("Carmen Villanueva")
    page.get_by_label("E-mail address").fill("licensee@example.org")
    admin.click(page.get_by_role("button", name="Give the seat"), "licences-seat-given")
    assert "licensee@example.org now holds a seat of this licence." in admin.text("main .flashes")

    licensee: BrowserTab = open_tab()
    licensee.sign_in("licensee@example.org", shot="licences-licensee-home-es")
    assert licensee.html_lang() == ES
    assert number in licensee.text("section[aria-labelledby=licence-heading]")
    licensee.click(
        licensee.page.locator("nav.main-nav").get_by_role("link", name=catalogs.text(ES, "Your licences")),
        "licences-mine-es",
    )
    text = licensee.text("main")
    assert number in text and "QTP-L-2026-0001" in text  # the new licence and the demo one
    assert catalogs.text(ES, "Permitted uses") in text

    expired: BrowserTab = open_tab()
    expired.sign_in("expired@example.org", shot="licences-expired-home-es")
    expired.goto("/licenses", "licences-expired-es")
    assert catalogs.text(
        ES,
        "This licence ended on %(date)s: its content can no longer be downloaded. Contact the program office "
        "to renew it.",
        date="31 de agosto de 2025",
    ) in expired.text("main .notice")


def test_a_licensee_downloads_a_bundle_and_an_expired_licensee_is_told_why(
    open_tab, catalogs: Catalogs, live_server: LiveServer, tmp_path
) -> None:
    import io
    import json
    import zipfile
    from pathlib import Path

    from sqlalchemy import select

    from qtp.licensing.models import License
    from tests.factories import write_bundle
    from tests.pdf.support import pdf_text

    with live_server.db() as session:
        write_bundle(Path(live_server.app.config["QTP_BUNDLE_DIR"]), session, product="six_month", locale="es")
        active = session.scalar(select(License).where(License.number == "QTP-L-2026-0001")).id
        expired_id = session.scalar(select(License).where(License.number == "QTP-L-2024-0001")).id

    licensee: BrowserTab = open_tab()
    page = licensee.page
    licensee.sign_in("licensee@example.org")
    licensee.goto("/licenses", "downloads-licences-es")
    bundle_name = catalogs.text(
        ES, "%(product)s in %(language)s", product=catalogs.text(ES, "Six-month QTP content"), language="español"
    )
    licensee.click(page.get_by_role("link", name=bundle_name), "downloads-bundle-page-es")
    assert "faculty-manual.pdf" in licensee.text("main")
    with page.expect_download() as info:
        page.get_by_role("link", name=catalogs.text(ES, "Download the ZIP archive")).click()
    download = info.value
    assert download.suggested_filename == "QTP-L-2026-0001-six-month-es.zip"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    archive = zipfile.ZipFile(io.BytesIO(saved.read_bytes()))
    manifest = json.loads(archive.read("qtp-six-month-es/manifest.json"))
    assert {entry["path"] for entry in manifest["files"]} <= {name.split("/", 1)[1] for name in archive.namelist()}
    certificate = " ".join(pdf_text(archive.read("qtp-six-month-es/licence-certificate.pdf")).split())
    assert "QTP-L-2026-0001" in certificate and "Carmen Villanueva" in certificate
    assert catalogs.text(ES, "Licence certificate") in certificate

    licensee.goto(f"/licenses/{active}/downloads", "downloads-record-es")
    record = licensee.text("main table")
    assert "Carmen Villanueva" in record and catalogs.text(ES, "ZIP archive of the bundle") in record

    expired: BrowserTab = open_tab()
    expired.sign_in("expired@example.org")
    expired.goto(f"/licenses/{expired_id}/bundles/es", "downloads-refused-expired-es", status=403)
    assert catalogs.text(
        ES,
        "This licence ended on %(date)s, so its content can no longer be downloaded. Contact the program office "
        "to renew it.",
        date="31 de agosto de 2025",
    ) in expired.text("main .notice")
