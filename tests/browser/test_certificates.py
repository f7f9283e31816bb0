"""Certificates in the browser: a demo participant downloads the certificate of the finished workshop from the
home page; a visitor in Spanish checks it by its number and by uploading the PDF; an admin re-issues it after a
name correction and the old number then verifies as replaced (axe-core runs on every page)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.browser.support import BrowserTab, Catalogs, LiveServer

pytestmark = pytest.mark.browser

MEMBER = "member@example.org"  # Rafael Souza Lima: finished the one-day workshop in São Paulo in May 2026
ES = "es"
PT = "pt_BR"


def _member_certificate(live_server: LiveServer):
    from qtp.accounts.models import User
    from qtp.certificates.models import Certificate

    with live_server.db() as session:
        user = session.scalar(select(User).where(User.email == MEMBER))
        certificate = session.scalar(
            select(Certificate).where(Certificate.user_id == user.id, Certificate.revoked_at.is_(None))
        )
        return certificate.id, certificate.serial, certificate.cohort_id


def _pdf_text(path: Path) -> str:
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout.split()
    )


def test_download_check_and_reissue_a_certificate(
    open_tab, catalogs: Catalogs, live_server: LiveServer, tmp_path: Path
) -> None:
    certificate_id, serial, cohort_id = _member_certificate(live_server)

    # The participant downloads the certificate from the home page: in Portuguese, the workshop's language.
    member: BrowserTab = open_tab()
    member.sign_in(MEMBER, shot="certificate-member-home")
    link = member.page.get_by_role("link", name=catalogs.text("en", "Download your certificate (PDF)"))
    with member.page.expect_download() as download:
        link.click()
    saved = tmp_path / "certificate.pdf"
    download.value.save_as(saved)
    text = _pdf_text(saved)
    assert catalogs.text(PT, "Certificate of completion") in text and "Rafael Souza Lima" in text
    assert "Oficina QTP de um dia" in text

    # A visitor in Spanish types the number as printed, in lower case, and uploads the file.
    visitor: BrowserTab = open_tab(locale="es-ES")
    visitor.goto("/verify", "certificate-lookup-es")
    assert visitor.html_lang() == ES
    grouped = "-".join(serial[i : i + 4] for i in range(0, 32, 4))
    visitor.page.get_by_label(catalogs.text(ES, "Certificate number")).fill(grouped.lower())
    visitor.click(visitor.page.get_by_role("button", name=catalogs.text(ES, "Check"), exact=True), "certificate-es")
    assert visitor.page.url.endswith(f"/verify/{serial}")
    verdict = visitor.text("main .verdict")
    assert catalogs.text(ES, "Valid: this certificate was issued by the Quality Training Program.") in verdict
    assert "Rafael Souza Lima" in visitor.text("main")
    visitor.page.get_by_label(catalogs.text(ES, "Certificate PDF")).set_input_files(str(saved))
    visitor.click(visitor.page.get_by_role("button", name=catalogs.text(ES, "Check the file")), "certificate-file-es")
    assert catalogs.text(ES, "This file is the certificate we issued, unchanged.") in visitor.text("main")

    # An admin corrects the name and re-issues; the old number now says it was replaced.
    live_server_set_name(live_server, "Rafael de Souza Lima")
    admin: BrowserTab = open_tab()
    admin.sign_in("admin@example.org", shot="certificate-admin-home")
    admin.goto(f"/admin/cohorts/{cohort_id}", "certificate-admin-cohort")
    admin.click(admin.page.get_by_role("link", name=catalogs.text("en", "Certificates: issue, revoke, re-issue")))
    row = admin.page.locator(f"#certificate-{certificate_id}")
    row.locator("summary").click()
    row.get_by_label(catalogs.text("en", "Reason")).fill("Name corrected at the participant's request")
    admin.click(
        row.get_by_role("button", name=catalogs.text("en", "Re-issue with the current name")), "certificate-reissued"
    )
    assert catalogs.text("en", "A new certificate was issued; the old number now verifies as replaced.") in admin.text(
        "main .flashes"
    )
    visitor.goto(f"/verify/{serial}", "certificate-replaced-es")
    assert "✕" in visitor.text("main .verdict")
    visitor.click(
        visitor.page.get_by_role("link", name=catalogs.text(ES, "see the certificate in force")), "certificate-new-es"
    )
    assert "Rafael de Souza Lima" in visitor.text("main")
    live_server_set_name(live_server, "Rafael Souza Lima")


def live_server_set_name(live_server: LiveServer, name: str) -> None:
    from qtp.accounts.models import User

    with live_server.db() as session:
        session.scalar(select(User).where(User.email == MEMBER)).name = name
