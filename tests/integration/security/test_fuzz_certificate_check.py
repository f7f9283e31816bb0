"""Hypothesis against the PDF check of the public verification page: random bytes, truncated and bit-flipped
copies of a real issued certificate, an empty file, a file over the request limit. Never a 5xx; always a
clear message; "the certificate we issued, unchanged" only for the very file that was issued."""

from __future__ import annotations

import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from qtp.certificates import services
from qtp.core.storage import get_storage
from tests.helpers import csrf_token, text_of
from tests.integration.certificates import conftest as certificate_fixtures
from tests.integration.certificates.conftest import cohort_of, complete_every_module, participant
from tests.integration.security.fuzzing import fuzz_settings

courses_root = certificate_fixtures.courses_root  # the synced test program whose certificates need every module
program = certificate_fixtures.program

FUZZ = fuzz_settings(30)
UNCHANGED = "This file is the certificate we issued, unchanged."
CHANGED = "This file is not the certificate we issued under this number: it was changed, or it belongs to another"
NOT_PDF = "This file is not a PDF."
NO_FILE = "Choose the PDF file of the certificate."


@pytest.fixture
def issued(app, session, program):
    """(serial, the stored PDF's bytes) of a certificate issued through the service."""
    cohort = cohort_of(session, program, name="Fuzz Cohort")
    person = participant(session, cohort)
    complete_every_module(session, program, person)
    with app.test_request_context():
        certificate = services.issue_certificate(session, None, person, cohort)
        session.commit()
    with app.app_context():
        original = get_storage().path(certificate.storage_key).read_bytes()
    return certificate.serial, original


@st.composite
def uploads(draw, original: bytes) -> bytes:
    how = draw(st.sampled_from(["random", "pdf-like", "truncated", "flipped", "appended"]))
    if how == "random":
        return draw(st.binary(max_size=2000))
    if how == "pdf-like":
        return b"%PDF-" + draw(st.binary(max_size=2000))
    if how == "truncated":
        return original[: draw(st.integers(0, len(original) - 1))]
    if how == "flipped":
        flips = draw(st.lists(st.tuples(st.integers(0, len(original) - 1), st.integers(0, 7)), min_size=1, max_size=3))
        data = bytearray(original)
        for at, bit in flips:
            data[at] ^= 1 << bit
        return bytes(data) if bytes(data) != original else bytes(data) + b"\n"
    return original + draw(st.binary(min_size=1, max_size=50))


def test_the_issued_file_itself_is_recognised(app, client, issued):
    serial, original = issued
    response = _upload(client, serial, original)
    assert response.status_code == 200 and UNCHANGED in text_of(response)


def _upload(client, serial: str, data: bytes | None, token: str | None = None):
    form = {"csrf_token": token or csrf_token(client, f"/verify/{serial}")}
    if data is not None:
        form["file"] = (io.BytesIO(data), "certificate.pdf", "application/pdf")
    return client.post(f"/verify/{serial}", data=form, content_type="multipart/form-data")


def test_any_other_file_is_refused_or_said_changed(app, client, issued):
    serial, original = issued
    token = csrf_token(client, f"/verify/{serial}")

    @FUZZ
    @given(uploads(original))
    @example(b"")
    @example(b"%PDF-")
    @example(original[:-1])
    @example(original + b"\n")
    def check(data):
        app.extensions["qtp_ratelimits"].reset_all()  # the page is rate-limited per address
        response = _upload(client, serial, data, token)
        page = text_of(response)
        assert response.status_code < 500
        assert UNCHANGED not in page, "a changed file was called the certificate we issued"
        if data.startswith(b"%PDF-"):
            assert response.status_code == 200 and CHANGED in page
        else:
            assert response.status_code == 400 and (NOT_PDF in page or NO_FILE in page)

    check()


def test_no_file_and_a_file_over_the_limit(app, client, issued):
    serial, original = issued
    missing = _upload(client, serial, None)
    assert missing.status_code == 400 and NO_FILE in text_of(missing)
    limit = app.config["MAX_CONTENT_LENGTH"]
    huge = _upload(client, serial, original + b"\0" * limit)
    assert huge.status_code == 413 and UNCHANGED not in text_of(huge)
    assert "Error 413" in text_of(huge)
