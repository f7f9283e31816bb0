"""Fingerprinted static URLs: `url_for('static', filename=...)` carries `?v=<first 8 hex digits of the file's
SHA-256>`, so that a proxy may keep `/static/` files for a year (nginx: `Cache-Control: public,
max-age=31536000, immutable` on URLs with `v`, see deploy/nginx/qtp.conf): a changed file gets a new URL.

A file is hashed once per process and version of it: the cache is keyed by the file's name and checked
against its size and modification time (one `stat` per URL), so an edited file gets its new fingerprint
without a restart, and an unchanged one is never read again. Names that are not files under the static folder
(or that try to leave it) get no fingerprint: the URL is built as before and answers 404 as before.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

from flask import Flask

PARAMETER = "v"
DIGITS = 8
EXTENSION = "qtp_static_fingerprints"


class Fingerprints:
    """The fingerprints of the files under one folder, computed on first use."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()
        self._known: dict[str, tuple[Path, int, int, str]] = {}  # name -> (path, size, mtime_ns, fingerprint)
        self._lock = threading.Lock()

    def _path(self, filename: str) -> Path | None:
        if not filename or "\x00" in filename:
            return None
        path = (self.root / filename).resolve()
        if self.root not in path.parents:
            return None
        return path

    def get(self, filename: str) -> str | None:
        """The file's fingerprint, or None when it is not a file under the folder."""
        known = self._known.get(filename)
        path = known[0] if known is not None else self._path(filename)  # resolved once per name
        if path is None:
            return None
        try:
            stat = path.stat()
        except OSError:
            return None
        if known is not None and known[1:3] == (stat.st_size, stat.st_mtime_ns):
            return known[3]
        if not path.is_file():
            return None
        digest = hashlib.sha256()
        with path.open("rb") as source:
            while chunk := source.read(64 * 1024):
                digest.update(chunk)
        fingerprint = digest.hexdigest()[:DIGITS]
        with self._lock:
            self._known[filename] = (path, stat.st_size, stat.st_mtime_ns, fingerprint)
        return fingerprint


def init_app(app: Flask) -> Fingerprints | None:
    """Add `v=<fingerprint>` to every URL of the app's static endpoint (unless the caller gave one)."""
    if not app.static_folder:
        return None
    fingerprints = Fingerprints(app.static_folder)
    app.extensions[EXTENSION] = fingerprints

    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or PARAMETER in values:
            return
        fingerprint = fingerprints.get(str(values.get("filename") or ""))
        if fingerprint is not None:
            values[PARAMETER] = fingerprint

    return fingerprints
