"""Stored files behind one small interface, keyed by random ids (never by names users give).

`LocalStorage` keeps files under `QTP_STORAGE_DIR` (default `instance/storage`, outside the served static
tree) in two-level folders: `ab/ab12...`. A file is written to a temporary file in its folder and renamed
into place, so a key is either absent or complete. Every call validates the key: 32 lowercase hex digits,
nothing else (no `/`, `..`, NUL).

Stored bytes and database rows move together: `delete_after_commit` removes a file only once the row that
pointed at it is gone for good, `delete_after_rollback` removes a new file whose row was never committed.
`send_stored` answers a download with `send_file`, or hands it to the proxy with `X-Accel-Redirect`.

A full disk (or quota) while a file is written raises StorageFull, after the temporary file is removed: nothing
half-written stays, and the caller's rollback leaves no row. Views answer it with 507 and a message that says
the file was not kept (qtp.core.errors, and the attachment form's own page).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import quote

from flask import Flask, Response, abort, current_app, send_file
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

log = logging.getLogger(__name__)

KEY_PATTERN = re.compile(r"[0-9a-f]{32}")
CHUNK = 64 * 1024
FILE_MODE = 0o640  # the app's group may read (a proxy serving X-Accel-Redirect), nobody else
EXTENSION = "qtp_storage"
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT}


class InvalidKey(ValueError):
    """Not a storage key: refused before any path is built from it."""


class StorageFull(Exception):
    """The disk (or the quota) holding the storage is full; nothing was kept."""


@contextlib.contextmanager
def _writing(temp: Path | str | None = None) -> Iterator[None]:
    """Remove the temporary file on any failure; a full disk becomes StorageFull."""
    try:
        yield
    except BaseException as error:
        if temp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
        if isinstance(error, OSError) and error.errno in _NO_ROOM:
            log.error("storage is full: %s", error)
            raise StorageFull(str(error)) from error
        raise


class FileTooLarge(Exception):
    """The stream held more than `max_bytes`; nothing was kept."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"more than {max_bytes} bytes")
        self.max_bytes = max_bytes


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    sha256: str


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class Storage(Protocol):
    def save(self, stream: Readable, max_bytes: int) -> StoredFile: ...
    def put(self, key: str, data: bytes) -> StoredFile: ...
    def open(self, key: str) -> BinaryIO: ...
    def path(self, key: str) -> Path: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...


def new_key() -> str:
    return secrets.token_hex(16)


def check_key(key: object) -> str:
    if not isinstance(key, str) or KEY_PATTERN.fullmatch(key) is None:
        raise InvalidKey("not a storage key")
    return key


def key_path(key: str) -> str:
    """Where a key lives, relative to the storage root (`ab/ab12...`); also the X-Accel-Redirect suffix."""
    check_key(key)
    return f"{key[:2]}/{key}"


class LocalStorage:
    """Files in a local (or shared, mounted) directory."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()

    def path(self, key: str) -> Path:
        return self.root / key_path(key)

    def save(self, stream: Readable, max_bytes: int) -> StoredFile:
        """Copy the stream into a new file; more than `max_bytes` raises FileTooLarge and keeps nothing."""
        key = new_key()
        final = self.path(key)
        with _writing():
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=final.parent, prefix=".upload-", suffix=".part")
        digest = hashlib.sha256()
        size = 0
        with _writing(temp):
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileTooLarge(max_bytes)
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, FILE_MODE)
            os.replace(temp, final)
        return StoredFile(key=key, size=size, sha256=digest.hexdigest())

    def put(self, key: str, data: bytes) -> StoredFile:
        """Write `data` under a key chosen beforehand (and recorded in the database first), replacing what was
        there. The temporary file's name comes from the key too, so a run killed half-way and started again
        overwrites it: nothing is left behind."""
        final = self.path(key)
        with _writing():
            final.parent.mkdir(parents=True, exist_ok=True)
        temp = final.parent / f".{key}.part"
        with _writing(temp):
            with open(temp, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, FILE_MODE)
            os.replace(temp, final)
        return StoredFile(key=key, size=len(data), sha256=hashlib.sha256(data).hexdigest())

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()


def init_app(app: Flask, storage: Storage | None = None) -> Storage:
    """The app's storage (LocalStorage on QTP_STORAGE_DIR unless one is given); refuses a root inside the
    static folder, whose files anyone could fetch."""
    if storage is None:
        root = Path(app.config["QTP_STORAGE_DIR"]).resolve()
        static = Path(app.static_folder).resolve() if app.static_folder else None
        if static is not None and (root == static or static in root.parents):
            raise RuntimeError("QTP_STORAGE_DIR must be outside the static folder")
        storage = LocalStorage(root)
    app.extensions[EXTENSION] = storage
    return storage


def get_storage() -> Storage:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    storage = app.extensions.get(EXTENSION)
    return storage if storage is not None else init_app(app)


# -- files that follow the transaction ---------------------------------------------------------------------

_PENDING = "qtp_storage_pending"


def _real_session(session: Session | scoped_session) -> Session:
    return session() if isinstance(session, scoped_session) else session


def _delete_quietly(entries: list[tuple[Storage, str]]) -> None:
    for files, key in entries:
        try:
            files.delete(key)
        except OSError:  # an orphan file is harmless; a failed request after a commit is not
            log.exception("stored file %s could not be deleted", key)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint was released: the transaction may still roll back
        return
    pending = session.info.pop(_PENDING, None)
    if pending:
        _delete_quietly(pending["commit"])


def _after_soft_rollback(session: Session, previous_transaction) -> None:  # type: ignore[no-untyped-def]
    if previous_transaction.nested:  # a savepoint: the outer transaction decides
        return
    pending = session.info.pop(_PENDING, None)
    if pending:
        _delete_quietly(pending["rollback"])


def _pending(session: Session | scoped_session) -> dict[str, list[tuple[Storage, str]]]:
    real = _real_session(session)
    if not real.info.get("qtp_storage_listening"):
        event.listen(real, "after_commit", _after_commit)
        event.listen(real, "after_soft_rollback", _after_soft_rollback)
        real.info["qtp_storage_listening"] = True
    return real.info.setdefault(_PENDING, {"commit": [], "rollback": []})


def delete_after_commit(session: Session | scoped_session, key: str, storage: Storage | None = None) -> None:
    """Delete the stored file once the transaction commits (kept if it rolls back)."""
    _pending(session)["commit"].append((storage or get_storage(), check_key(key)))


def delete_after_rollback(session: Session | scoped_session, key: str, storage: Storage | None = None) -> None:
    """Delete a newly stored file if the transaction that refers to it rolls back (kept if it commits)."""
    _pending(session)["rollback"].append((storage or get_storage(), check_key(key)))


# -- downloads ---------------------------------------------------------------------------------------------


def _clean_name(download_name: str) -> str:
    """No control characters in a header, ever (the caller's name is normally sanitized already)."""
    return "".join(ch for ch in download_name if unicodedata.category(ch)[0] != "C").strip() or "download"


def _disposition(name: str) -> dict[str, str]:
    """Content-Disposition parameters as Werkzeug's send_file builds them: an ASCII `filename`, and
    `filename*` (RFC 5987) when the name has other characters."""
    try:
        name.encode("ascii")
        return {"filename": name}
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii") or "download"
        return {"filename": simple, "filename*": "UTF-8''" + quote(name, safe="!#$&+-.^_`|~")}


def send_stored(key: str, *, download_name: str, mimetype: str, storage: Storage | None = None) -> Response:
    """A download of a stored file, never shown inline and never cached. With QTP_X_ACCEL_REDIRECT_PREFIX set,
    the body is left to the proxy (e.g. nginx `location /protected/ { internal; alias <storage dir>/; }`)."""
    name = _clean_name(download_name)
    prefix = current_app.config.get("QTP_X_ACCEL_REDIRECT_PREFIX")
    if prefix:
        response = current_app.response_class(b"", mimetype=mimetype)
        response.headers["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + key_path(key)
        response.headers.set("Content-Disposition", "attachment", **_disposition(name))
    else:
        path = (storage or get_storage()).path(key)
        if not path.is_file():
            log.warning("stored file %s is missing", key)
            abort(404)
        response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=name, max_age=None)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Opened directly anyway (an old browser, a saved link): nothing in the file may run or load.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
