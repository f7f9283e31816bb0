"""A ZIP archive streamed from files on disk and small in-memory parts, with its exact size known before the
first byte is sent, so the answer has a correct Content-Length and any byte range of it can be served (a
resumed download).

Every entry's sizes and CRC-32 are known when the archive is planned: files on disk are stored as they are
(they are already compressed: PowerPoint, PDF, PNG) with the CRC-32 their bundle's manifest recorded; small
texts (JSON, SVG, plain text) are deflated in memory while planning. Files are opened when the archive is
planned, so a bundle rebuilt meanwhile (moved into place whole) cannot mix into an archive being sent.
Reading goes in fixed-size chunks: the memory used does not grow with the archive.

Limits: no ZIP64, so the archive and each entry stay under 4 GiB and under 65,535 entries (a plan that
would exceed them is refused with ValueError).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 22  # bytes read and sent at a time: 4 MiB (bench/downloads.py: fast enough, 8 MB of memory)
LIMIT = 0xFFFFFFFF
STORED, DEFLATED = 0, 8
UTF8_NAMES = 0x0800
COMMON = "HHHHIIIH"  # flags, method, time, date, CRC-32, compressed size, size, name length
COMPRESSIBLE = (".json", ".txt", ".svg", ".csv", ".md", ".xml", ".html")


def crc32_of(path: Path) -> int:
    crc = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc


def read_range(handle: BinaryIO, first: int, last: int) -> Iterator[bytes]:
    """Bytes `first` to `last` (exclusive) of an open file, CHUNK at a time."""
    handle.seek(first)
    remaining = last - first
    while remaining > 0:
        chunk = handle.read(min(CHUNK, remaining))
        if not chunk:
            raise OSError("a file became shorter while it was being sent")
        remaining -= len(chunk)
        yield chunk


@dataclass
class _Entry:
    name: bytes
    method: int
    crc: int
    size: int
    compressed_size: int
    header_offset: int = 0
    data: bytes | None = None  # in-memory content (already deflated when method is DEFLATED)
    handle: BinaryIO | None = None  # an open file, stored


def _dos_stamp(when: datetime) -> tuple[int, int]:
    year = min(max(when.year, 1980), 2107)
    time = (when.hour << 11) | (when.minute << 5) | (when.second // 2)
    date = ((year - 1980) << 9) | (when.month << 5) | when.day
    return time, date


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


class ZipPlan:
    """The archive to send: add entries, then read its `size` and stream `chunks(start, end)`. Close it (or
    use it as a context manager) to release the open files."""

    def __init__(self, when: datetime) -> None:
        self._time, self._date = _dos_stamp(when)
        self._entries: list[_Entry] = []
        self._frozen: list[tuple[int, int, object]] | None = None  # (offset, length, source)
        self.size = 0

    # -- building ----------------------------------------------------------------------------------------
    def add_bytes(self, name: str, data: bytes) -> None:
        crc = zlib.crc32(data)
        if name.lower().endswith(COMPRESSIBLE):
            packed = _deflate(data)
            if len(packed) < len(data):
                self._add(_Entry(name.encode(), DEFLATED, crc, len(data), len(packed), data=packed))
                return
        self._add(_Entry(name.encode(), STORED, crc, len(data), len(data), data=data))

    def add_file(self, name: str, path: Path, *, crc: int | None = None, max_inline: int = 8 << 20) -> None:
        """A file on disk: a small compressible one is deflated in memory, any other stored as it is (its CRC-32
        computed here when the caller does not know it)."""
        size = path.stat().st_size
        if name.lower().endswith(COMPRESSIBLE) and size <= max_inline:
            self.add_bytes(name, path.read_bytes())
            return
        handle = path.open("rb")
        try:
            size = handle.seek(0, 2)
            if crc is None:
                crc = crc32_of(path)
            self._add(_Entry(name.encode(), STORED, crc, size, size, handle=handle))
        except BaseException:
            handle.close()
            raise

    def _add(self, entry: _Entry) -> None:
        if self._frozen is not None:
            raise RuntimeError("the archive is already planned")
        if entry.size > LIMIT or len(self._entries) >= 0xFFFF or len(entry.name) > 0xFFFF:
            raise ValueError("too large for a ZIP archive without ZIP64")
        self._entries.append(entry)

    # -- layout --------------------------------------------------------------------------------------------
    def _fields(self, entry: _Entry) -> tuple:
        """What the local header and the central directory both say of an entry: flags, method, date and time,
        CRC-32, sizes and the name's length (struct format COMMON)."""
        return (
            UTF8_NAMES,
            entry.method,
            self._time,
            self._date,
            entry.crc,
            entry.compressed_size,
            entry.size,
            len(entry.name),
        )

    def _local_header(self, entry: _Entry) -> bytes:
        # signature, version needed, COMMON, extra field length; then the name
        return struct.pack(f"<IH{COMMON}H", 0x04034B50, 20, *self._fields(entry), 0) + entry.name

    def _central(self) -> bytes:
        # signature, made by (Unix, 2.0), version needed, COMMON, extra and comment lengths, disk, internal and
        # external attributes (a regular file, rw-r--r--), the local header's offset; then the name
        return b"".join(
            struct.pack(
                f"<IHH{COMMON}HHHHII",
                0x02014B50,
                (3 << 8) | 20,
                20,
                *self._fields(entry),
                0,
                0,
                0,
                0,
                0o100644 << 16,
                entry.header_offset,
            )
            + entry.name
            for entry in self._entries
        )

    def _layout(self) -> list[tuple[int, int, object]]:
        if self._frozen is not None:
            return self._frozen
        segments: list[tuple[int, int, object]] = []
        offset = 0
        for entry in self._entries:
            entry.header_offset = offset
            header = self._local_header(entry)
            segments.append((offset, len(header), header))
            offset += len(header)
            source: object = entry.data if entry.data is not None else entry.handle
            segments.append((offset, entry.compressed_size, source))
            offset += entry.compressed_size
        if offset > LIMIT:
            raise ValueError("too large for a ZIP archive without ZIP64")
        central = self._central()
        end = struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(self._entries), len(self._entries), len(central), offset, 0
        )
        segments.append((offset, len(central) + len(end), central + end))
        self._frozen = segments
        self.size = offset + len(central) + len(end)
        return segments

    def plan(self) -> ZipPlan:
        """Fix the layout; `size` is then the archive's length in bytes."""
        self._layout()
        return self

    def names(self) -> list[str]:
        return [entry.name.decode() for entry in self._entries]

    # -- reading ------------------------------------------------------------------------------------------
    def chunks(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The bytes from `start` to `end` (exclusive; the whole archive by default), a chunk at a time."""
        segments = self._layout()
        end = self.size if end is None else min(end, self.size)
        for offset, length, source in segments:
            if offset + length <= start or offset >= end:
                continue
            first = max(start, offset) - offset
            last = min(end, offset + length) - offset
            if isinstance(source, bytes):
                yield source[first:last]
                continue
            yield from read_range(source, first, last)  # type: ignore[arg-type]

    def close(self) -> None:
        for entry in self._entries:
            if entry.handle is not None:
                entry.handle.close()

    def __enter__(self) -> ZipPlan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
