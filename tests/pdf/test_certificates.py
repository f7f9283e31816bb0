"""The certificate PDF: one A4 landscape page in the recipient's language with the frozen name, the program,
cohort, project, signatories, serial and a QR code that leads to the verification page; user text stays text
and reaches nothing; a cohort rendered in one pass splits into one file per certificate."""

from __future__ import annotations

import subprocess

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from qtp.certificates import document, jobs, serials, services
from qtp.certificates.models import Certificate
from qtp.core.storage import get_storage
from tests.integration.certificates.conftest import cohort_of, complete_every_module, participant
from tests.pdf.support import expanded, pdf_info, pdf_text, require_poppler, words
from tests.pdf.test_pdf import listener

INJECTION = '</p><link rel="attachment" href="file:///etc/passwd"><img src="http://127.0.0.1:{port}/x">'


def _issued(app, session, program, name: str, locale: str, **team) -> tuple[Certificate, bytes]:
    """A participant completes the program and receives the certificate (rendered at once: inline jobs)."""
    cohort = cohort_of(session, program, name="Cohorte Internacional 2026", locale="en")
    user = participant(session, cohort, name=name, locale=locale, **team)
    complete_every_module(session, program, user)
    with app.test_request_context():
        certificate = services.issue_certificate(session, None, user, cohort)
        session.commit()
        data = get_storage().path(certificate.storage_key).read_bytes()
    return certificate, data


def _qr_codes(pdf: bytes) -> list[str]:
    """The texts of the QR codes on the first page, rendered at 150 dpi as a phone camera would see them."""
    require_poppler()
    zxingcpp = pytest.importorskip("zxingcpp")
    from io import BytesIO

    from PIL import Image

    png = subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", "-"], input=pdf, capture_output=True, check=True
    ).stdout
    return [result.text for result in zxingcpp.read_barcodes(Image.open(BytesIO(png)))]


@pytest.mark.parametrize("locale", ["en", "es", "pt_BR"])
def test_the_certificate_is_in_the_recipients_language(app, session, program, locale):
    certificate, data = _issued(
        app, session, program, "Maria da Conceição Ñúñez", locale, project_title="Menos espera: quimioterapia às 9h"
    )
    text = words(pdf_text(data))
    with app.test_request_context(), force_locale(locale):
        expected = [
            _("Certificate of completion"),
            _("This certifies that"),
            _("has completed"),
            _("Certificate number"),
        ]
        program_title = program.title(locale)
        url = document.verify_url(certificate.serial)
    for phrase in expected:
        assert phrase in text, f"{phrase!r} missing from the {locale} certificate"
    assert "Maria da Conceição Ñúñez" in text
    assert program_title in text and "Cohorte Internacional 2026" in text
    assert "Menos espera: quimioterapia às 9h" in text
    assert "Dr. Test Signer" in text
    assert serials.grouped(certificate.serial) in text
    assert url in "".join(text.split()), "the verification address is printed (it may wrap)"
    info = pdf_info(data)
    assert "Pages:           1" in info
    assert "841.89 x 595.28" in info or "841.89 x 595.276" in info, "A4 landscape"
    raw = expanded(data)
    assert b'pdfaid:part="3"' in raw and b'pdfaid:conformance="B"' in raw
    assert f"/Lang ({locale.replace('_', '-')})".encode() in raw


def test_the_qr_code_leads_to_the_verification_page(app, session, program):
    certificate, data = _issued(app, session, program, "Ana Lee", "en")
    with app.test_request_context():
        url = document.verify_url(certificate.serial)
    assert url.endswith(f"/verify/{certificate.serial}")
    assert _qr_codes(data) == [url]


def test_a_name_that_is_markup_stays_text_and_reaches_nothing(app, session, program):
    with listener() as (port, connections_seen):
        name = INJECTION.format(port=port)
        certificate, data = _issued(app, session, program, name, "en", project_title=name)
        assert not connections_seen(), "rendering the certificate connected to the listener"
    raw = expanded(data)
    assert b"/EmbeddedFile" not in raw and b"root:x:0:0" not in raw
    assert certificate.recipient_name == name
    text = "".join(pdf_text(data).split())
    assert '<linkrel="attachment"href="file:///etc/passwd">' in text, "the name is printed as typed"


def test_a_very_long_name_still_fits_on_one_page(app, session, program):
    name = "José María Fernández-Villaverde de la Peña y Ortúzar Gonçalves Guðmundsdóttir Ñúñez-Aragão Sr."
    certificate, data = _issued(app, session, program, name, "es")
    assert "Pages:           1" in pdf_info(data)
    assert name in words(pdf_text(data))
    assert document.name_size(name) == "name-s"


def test_a_cohort_laid_out_in_one_pass_splits_into_one_file_each(app, session, program):
    cohort = cohort_of(session, program)
    people = [
        participant(session, cohort, name=name, locale=locale)
        for name, locale in [("Ana Lee", "en"), ("Lucía Pérez", "es"), ("João Araújo", "pt_BR")]
    ]
    for user in people:
        complete_every_module(session, program, user)
    with app.test_request_context():
        issued = [services.issue_certificate(session, None, user, cohort, render=False) for user in people]
        session.commit()
        files = document.render_many(issued)
        assert jobs.render([c.id for c in issued], announce=False) == 3
    assert len(files) == 3
    for certificate, data in zip(issued, files, strict=True):
        info = pdf_info(data)
        assert "Pages:           1" in info
        assert certificate.recipient_name in info.splitlines()[0], "each file has its own title"
        text = words(pdf_text(data))
        assert certificate.recipient_name in text
        others = [c.recipient_name for c in issued if c is not certificate]
        assert not any(other in text for other in others), "each file holds only its own certificate"
        assert f"/Lang ({certificate.locale.replace('_', '-')})".encode() in expanded(data)
