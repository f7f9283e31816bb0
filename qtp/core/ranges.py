"""HTTP Range requests: one rule for every download (stored files, static files, licensed bundles).

One byte range is honoured (`bytes=0-499`, `bytes=500-`, `bytes=-500`; a suffix longer than the file is the
whole file, RFC 9110 14.1.2). Anything else is ignored and the whole file sent, as RFC 9110 14.2 allows: another
unit (which a server must ignore), several ranges, a malformed header. A range that starts at or past the end
answers 416 with `Content-Range: bytes */SIZE` and the error page that says so.

Werkzeug alone answers 416 to a suffix longer than the file, to several ranges, to another unit and to an empty
or malformed header, and a resuming client then gives up on a file it could have had: `AppResponse.make_conditional`
(which `send_file` calls) hands Werkzeug the range this rule chose, and the bundle view asks `wanted` directly.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from werkzeug.http import parse_range_header

WHOLE = "whole"
UNSATISFIABLE = "unsatisfiable"


def wanted(header: str | None, size: int) -> tuple[int, int] | str:
    """The (start, stop) the Range header asks for in a file of `size` bytes, WHOLE or UNSATISFIABLE."""
    parsed = parse_range_header(header)
    if parsed is None or parsed.units != "bytes" or len(parsed.ranges) != 1 or size <= 0:
        return WHOLE
    start, stop = parsed.ranges[0]
    if stop is None:
        start = max(size + start, 0) if start < 0 else start  # a suffix (-N) is stored as a negative start
        stop = size
    if start >= size:
        return UNSATISFIABLE
    return start, min(stop, size)


class AppResponse(Response):
    def make_conditional(  # type: ignore[override]
        self, request_or_environ: Any, accept_ranges: bool | str = False, complete_length: int | None = None
    ) -> AppResponse:
        environ = request_or_environ if isinstance(request_or_environ, dict) else request_or_environ.environ
        header = environ.get("HTTP_RANGE")
        if header is not None and accept_ranges and complete_length:
            span = wanted(header, complete_length)
            environ = dict(environ)
            if span == WHOLE:
                del environ["HTTP_RANGE"]
            elif span != UNSATISFIABLE:
                start, stop = span
                environ["HTTP_RANGE"] = f"bytes={start}-{stop - 1}"
        return super().make_conditional(environ, accept_ranges, complete_length)  # type: ignore[return-value]
