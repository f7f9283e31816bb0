"""The streamed ZIP: a valid archive that zipfile and unzip read, its size known before the first byte, any
byte range equal to the same slice of the whole, files stored and small texts deflated, and files opened when
planned (a bundle swapped meanwhile cannot mix into it)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
import zlib
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qtp.core.zipstream import ZipPlan

WHEN = datetime(2026, 12, 1, 9, 30, 14, tzinfo=UTC)


@pytest.fixture
def plan(tmp_path):
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(os.urandom(300_000))
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"files": []}' * 200)
    with ZipPlan(WHEN) as archive:
        archive.add_file("bundle/slides/deck.pptx", deck, crc=zlib.crc32(deck.read_bytes()))
        archive.add_file("bundle/manifest.json", manifest)
        archive.add_bytes("bundle/licence-terms.txt", "Términos de la licencia\r\n".encode() * 50)
        archive.add_bytes("bundle/licence-certificate.pdf", b"%PDF-1.7 " + os.urandom(5000))
        archive.plan()
        yield archive, {"deck": deck.read_bytes(), "manifest": manifest.read_bytes()}


def test_the_archive_is_valid_and_as_long_as_announced(plan, tmp_path):
    archive, files = plan
    data = b"".join(archive.chunks())
    assert len(data) == archive.size
    opened = zipfile.ZipFile(io.BytesIO(data))
    assert opened.testzip() is None
    assert opened.read("bundle/slides/deck.pptx") == files["deck"]
    assert opened.read("bundle/manifest.json") == files["manifest"]
    assert opened.read("bundle/licence-terms.txt").decode().startswith("Términos")
    kinds = {info.filename: info.compress_type for info in opened.infolist()}
    assert kinds["bundle/slides/deck.pptx"] == kinds["bundle/licence-certificate.pdf"] == zipfile.ZIP_STORED
    assert kinds["bundle/manifest.json"] == kinds["bundle/licence-terms.txt"] == zipfile.ZIP_DEFLATED
    assert {info.date_time for info in opened.infolist()} == {(2026, 12, 1, 9, 30, 14)}
    assert all(info.flag_bits & 0x800 for info in opened.infolist()), "names are UTF-8"
    if shutil.which("unzip"):
        path = tmp_path / "bundle.zip"
        path.write_bytes(data)
        assert "No errors detected" in subprocess.run(["unzip", "-t", str(path)], capture_output=True, text=True).stdout


@settings(max_examples=60, deadline=None)
@given(start=st.integers(min_value=0, max_value=400_000), length=st.integers(min_value=0, max_value=400_000))
def test_any_range_is_the_same_slice_of_the_whole(tmp_path_factory, start, length):
    folder = tmp_path_factory.mktemp("range")
    (folder / "a.pdf").write_bytes(bytes(range(256)) * 1000)
    with ZipPlan(WHEN) as archive:
        archive.add_file("a.pdf", folder / "a.pdf")
        archive.add_bytes("b.txt", b"text " * 1000)
        archive.plan()
        whole = b"".join(archive.chunks())
        assert b"".join(archive.chunks(start, start + length)) == whole[start : start + length]


def test_a_file_replaced_after_planning_is_still_sent_as_planned(tmp_path):
    path = tmp_path / "deck.pdf"
    path.write_bytes(b"A" * 10_000)
    with ZipPlan(WHEN) as archive:
        archive.add_file("deck.pdf", path)
        archive.plan()
        path.unlink()
        path.write_bytes(b"B" * 20_000)  # a rebuilt bundle moved into place
        data = b"".join(archive.chunks())
    assert zipfile.ZipFile(io.BytesIO(data)).read("deck.pdf") == b"A" * 10_000


def test_an_archive_too_large_without_zip64_is_refused(tmp_path):
    archive = ZipPlan(WHEN)
    huge = tmp_path / "huge.pptx"
    with huge.open("wb") as handle:
        handle.truncate(5 << 30)  # sparse: 5 GiB on paper
    with pytest.raises(ValueError, match="ZIP64"):
        archive.add_file("huge.pptx", huge, crc=0)
    archive.close()
