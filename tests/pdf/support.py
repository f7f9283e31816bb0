"""Reading PDFs in tests: text through poppler's pdftotext, and every stream decompressed for raw checks."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib

import pytest

# A stream's data ends right before "\nendstream"; its last byte may itself be "\r" (compressed data is any
# byte), so the data is taken up to the "\n" and anything after the end of the compressed stream is ignored.
_STREAM = re.compile(rb"stream\r?\n(.*?)\nendstream", re.S)


def require_poppler() -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian package poppler-utils) is needed to read PDFs")


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    require_poppler()
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode("utf-8")


def pdf_info(pdf: bytes) -> str:
    require_poppler()
    return subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode("utf-8")


def pdf_fonts(pdf: bytes) -> str:
    require_poppler()
    return subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode("utf-8")


def expanded(pdf: bytes) -> bytes:
    """The PDF's bytes followed by every stream it holds, decompressed (object streams included), so that
    dictionary keys such as /EmbeddedFile or /URI cannot hide inside compressed streams."""
    parts = [pdf]
    for match in _STREAM.finditer(pdf):
        try:
            parts.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def words(text: str) -> str:
    """Text with all runs of white space made one space (pdftotext breaks lines where the PDF does)."""
    return " ".join(text.split())
