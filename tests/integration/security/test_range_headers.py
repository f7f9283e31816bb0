"""The Range header on every ranged download (a worksheet's attachment, a certificate PDF, a static file, a file of
a licensed bundle and its ZIP archive): one byte range is honoured with a correct Content-Range and exactly those
bytes; anything else (another unit, several ranges, a malformed header) is ignored and the whole file sent; a range
that starts past the end answers 416 with `Content-Range: bytes */SIZE` and a page that says what happened. Never
a 5xx. A bundle download is recorded once per request that sends bytes, a resume with the byte it resumed from."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qtp.licensing.models import Download
from tests.helpers import login, text_of

from . import files as fixtures
from .files import BUNDLE_FILE, link_of

attachment_download, certificate_download = fixtures.attachment_download, fixtures.certificate_download
static_download, bundle_download = fixtures.static_download, fixtures.bundle_download
real_team, sheet, files, certificate = fixtures.real_team, fixtures.sheet, fixtures.files, fixtures.certificate
licence, holder, built, bundle_dir = fixtures.licence, fixtures.holder, fixtures.built, fixtures.bundle_dir

WHOLE = "whole"
UNSATISFIABLE = "unsatisfiable"
_DIGITS = re.compile(r"[0-9]+")
_LANG = re.compile(r'<html lang="([^"]+)"')
# The 416 page in the language of whoever asked (the bundle's seat holder reads Spanish).
UNSATISFIABLE_SAYS = {
    "en": "The part of the file that was asked for is not in it",
    "es": "La parte del archivo que se pidió no está en él",
    "pt-BR": "A parte do arquivo que foi pedida não está nele",
}


def expected(header: str, size: int):
    """What the app promises for this Range header on a file of `size` bytes: WHOLE, UNSATISFIABLE or the
    (start, stop) of the bytes it sends. One `bytes` range (unit case-insensitive, blanks around the numbers
    allowed) is honoured; a suffix longer than the file is the whole file (RFC 9110 14.1.2)."""
    if "=" not in header:
        return WHOLE
    unit, _, spec = header.partition("=")
    if unit.strip(" \t").lower() != "bytes" or "," in spec:
        return WHOLE
    first, dash, last = spec.strip(" \t").partition("-")
    first, last = first.strip(" \t"), last.strip(" \t")
    if not dash or (first and not _DIGITS.fullmatch(first)) or (last and not _DIGITS.fullmatch(last)):
        return WHOLE
    if len(first) > 4000 or len(last) > 4000:  # beyond Python's int conversion: not a number a header may hold
        return WHOLE
    if not first:  # a suffix: the last N bytes
        if not last or int(last) == 0:
            return WHOLE
        return max(size - int(last), 0), size
    start = int(first)
    if last and int(last) < start:  # invalid (RFC 9110 14.1.1): ignored
        return WHOLE
    stop = int(last) + 1 if last else size
    if start >= size:
        return UNSATISFIABLE
    return start, min(stop, size)


def check(response, header: str, content: bytes) -> None:
    """The response is what `expected` says, with headers that agree with its body."""
    size = len(content)
    want = expected(header, size)
    status = response.status_code
    assert status < 500, (header, status)
    if want == UNSATISFIABLE:
        assert status == 416, (header, status)
        assert response.headers["Content-Range"] == f"bytes */{size}", header
        page = text_of(response)
        assert UNSATISFIABLE_SAYS[_LANG.search(page).group(1)] in page, header
        return
    if want == WHOLE or want == (0, size):
        if status == 206:  # the whole file asked for as a range: a 206 of every byte is right too
            assert response.headers["Content-Range"] == f"bytes 0-{size - 1}/{size}", header
        else:
            assert status == 200, (header, status)
            assert "Content-Range" not in response.headers, header
        assert response.data == content, header
        return
    start, stop = want
    assert status == 206, (header, status)
    assert response.headers["Content-Range"] == f"bytes {start}-{stop - 1}/{size}", header
    assert response.headers["Content-Length"] == str(stop - start), header
    assert response.data == content[start:stop], header


CASES = [
    "bytes=0-499",  # single
    "bytes=-500",  # suffix
    "bytes=500-",  # open
    "bytes=0-0",
    "bytes=4999-4999",  # the last byte
    "bytes=4999-",
    "bytes=-1",
    "bytes=-5000",  # exactly the file
    "bytes=-99999",  # a suffix longer than the file: the whole file
    "bytes=0-",  # the whole file as a range
    "bytes=100-99999",  # past the end: up to the end
    "bytes=0-99999999999999999999999999999999",  # huge numbers
    "bytes=99999999999999999999999999999999-",
    "bytes=5000-",  # starts at the end: unsatisfiable
    "bytes=6000-7000",  # beyond the end
    "bytes=500-100",  # start > end: invalid, ignored
    "bytes=0-1,5-6",  # multi-range: the whole file
    "bytes=0-1,3-4,6-7,9-10,12-13,15-16,18-19,21-22,24-25,27-28,30-31,33-34",  # many ranges
    "bytes=0-4999,0-4999,0-4999",  # overlapping
    "bytes=-0",  # an empty suffix
    "bytes=",
    "bytes=-",
    "bytes=abc-def",
    "bytes=+1-5",
    "bytes=1_0-20",
    "bytes=\u0661-\u0665",  # Arabic-Indic digits
    "bytes=--5",
    "bytes=0-5-7",
    "BYTES=10-19",  # the unit is case-insensitive
    "bytes = 10-19",
    "bytes=\t10 - 19\t",
    "items=0-5",  # another unit: ignored
    "pages=1",
    "bytes 0-5",
    "0-5",
    "",
    "bytes=" + "9" * 5000 + "-",  # more digits than Python converts
    "bytes=0-" + "9" * 5000,
]


DOWNLOADS = ["attachment_download", "certificate_download", "static_download", "bundle_download"]


@pytest.mark.parametrize("which", DOWNLOADS)
def test_deterministic_range_headers(request, which):
    client, url, content = request.getfixturevalue(which)
    whole = client.get(url)
    assert whole.status_code == 200 and whole.data == content
    assert whole.headers.get("Accept-Ranges") == "bytes"
    for header in CASES:
        header = header.replace("5000", str(len(content))).replace("4999", str(len(content) - 1))
        check(client.get(url, headers={"Range": header}), header, content)
    etag = whole.headers["ETag"]
    resumed = client.get(url, headers={"Range": "bytes=1000-", "If-Range": etag})
    assert resumed.status_code == 206 and resumed.data == content[1000:], "a resume of the same file"
    changed = client.get(url, headers={"Range": "bytes=1000-", "If-Range": '"another-version"'})
    assert changed.status_code == 200 and changed.data == content, "a changed file is sent whole"


def test_the_oracle_reads_headers_as_the_rfc_says():
    """`expected` is the rule the tests hold the app to; a few lines of it checked by hand."""
    assert expected("bytes=0-499", 5000) == (0, 500)
    assert expected("bytes=-500", 5000) == (4500, 5000)
    assert expected("bytes=-99999", 5000) == (0, 5000)
    assert expected("bytes=5000-", 5000) == UNSATISFIABLE
    assert expected("bytes=500-100", 5000) == WHOLE
    assert expected("bytes=9999-", 5000) == expected("bytes=6000-7000", 5000) == UNSATISFIABLE
    assert expected("bytes=0-1,5-6", 5000) == WHOLE
    assert expected("items=0-5", 5000) == WHOLE
    assert expected("bytes=\u0661-\u0665", 5000) == WHOLE


RANGE_TEXT = st.one_of(
    st.builds(
        lambda unit, spec: f"{unit}={spec}",
        st.sampled_from(["bytes", "BYTES", "Bytes", "bytes ", "items", "", "bytes\t"]),
        st.lists(
            st.one_of(
                st.builds(lambda a, b: f"{a}-{b}", st.integers(0, 12000), st.integers(0, 12000)),
                st.builds(lambda a: f"{a}-", st.integers(0, 12000)),
                st.builds(lambda b: f"-{b}", st.integers(0, 12000)),
                st.builds(lambda a: f"{a}-", st.integers(0, 10**40)),
                st.text(alphabet="0123456789-, \t=+_abc", max_size=12),
            ),
            min_size=1,
            max_size=4,
        ).map(",".join),
    ),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=30),
)


@pytest.mark.parametrize("which", DOWNLOADS)
def test_generated_range_headers(request, which):
    client, url, content = request.getfixturevalue(which)

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(header=RANGE_TEXT)
    def one(header: str) -> None:
        check(client.get(url, headers={"Range": header}), header, content)

    one()


def test_bundle_downloads_are_recorded_once_per_request_with_the_byte_they_resume_from(
    app, session, licence, holder, built
):
    client = app.test_client()
    login(client, holder.email)
    link = link_of(app, holder, licence, "es", BUNDLE_FILE)

    def records():
        session.expire_all()
        return session.query(Download).order_by(Download.id).all()

    whole = client.get(link)
    size = len(whole.data)
    assert [(r.first_byte, r.requested, r.bytes_sent, r.status) for r in records()] == [(0, size, size, "complete")]
    resumed = client.get(link, headers={"Range": "bytes=1000-", "If-Range": whole.headers["ETag"]})
    assert resumed.status_code == 206 and resumed.data == whole.data[1000:]
    rows = records()
    assert len(rows) == 2, "the resume is one more record, not two"
    assert (rows[1].first_byte, rows[1].requested, rows[1].bytes_sent) == (1000, size - 1000, size - 1000)
    assert client.get(link, headers={"Range": f"bytes={size}-"}).status_code == 416
    assert client.get(link, headers={"Range": "bytes=0-1,5-6"}).status_code == 200
    rows = records()
    assert len(rows) == 3, "a refused range records nothing; an ignored one records the whole download once"
    assert (rows[2].first_byte, rows[2].requested, rows[2].bytes_sent) == (0, size, size)
    history = text_of(client.get(f"/licenses/{licence.id}/downloads"))
    assert history.count("reanudado desde el byte") == 1  # the seat holder reads Spanish


def test_the_zip_archive_honours_one_range_and_refuses_one_past_its_end(app, session, licence, holder, built):
    client = app.test_client()
    login(client, holder.email)
    link = link_of(app, holder, licence)
    whole = client.get(link)
    content = whole.data
    for header in ("bytes=100-199", "bytes=-100", f"bytes={len(content)}-", "bytes=-99999999", "items=0-5"):
        check(client.get(link, headers={"Range": header}), header, content)
