"""Backup and restore of an installation: one archive, checked, restored only into an empty installation.

The archive (`qtp-backup-<UTC stamp>.tar.gz`) holds the database copy (`database/`, see backup_db.py), every
file of QTP_STORAGE_DIR (`storage/`: uploads, certificate PDFs), the bundles' manifests (`bundles/<product>/
<locale>/manifest.json`; the bundles are rebuilt by `qtp bundles build`) and, last, `backup.json`: format
version, app version, Alembic revision, database kind, created_at, the rows of every table, and each member's
size and SHA-256. Beside it, `<archive>.sha256` in sha256sum format. Both are written to temporary files and
renamed into place. The database is copied first, then the files: a file is stored before the row that names
it commits and deleted only after the row is gone, so every file the copy refers to is still there when read.

Restore checks the archive's checksum, then unpacks it into a staging folder checking every member against
backup.json, then refuses another database kind, an unknown (newer) revision or a non-empty installation;
only then does it put the database and the files in place, and compares the restored row counts.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from flask import Flask

from qtp.core import backup_db
from qtp.core.backup_db import BackupError, DatabaseCopy
from qtp.extensions import db

FORMAT = "qtp-backup"
FORMAT_VERSION = 1
MANIFEST = "backup.json"
CHUNK = 1024 * 1024
ARCHIVE_MODE = 0o600  # password hashes and personal data: the owner only
FILE_MODE = 0o640  # restored storage files, as storage.py writes them
_SAFE_PART = re.compile(r"[A-Za-z0-9._-]+")

__all__ = ["BackupError", "BackupResult", "create_backup", "verify_archive"]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    sha256: str
    kind: str
    revision: str
    tables: int
    rows: int
    files: int
    manifests: int
    seconds: float


class _Hashing:
    """Reads through a file, hashing what passes (tarfile reads exactly the member's size)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        return data


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def default_output(app: Flask, moment: datetime) -> Path:
    return Path(app.instance_path) / "backups" / f"qtp-backup-{_stamp(moment)}.tar.gz"


def _storage_files(root: Path) -> list[Path]:
    """Every regular file under the storage root, but the temporary files of writes in progress."""
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        if path.name.startswith(".") and path.name.endswith(".part"):
            continue
        found.append(path)
    return found


def _bundle_manifests(root: Path) -> list[Path]:
    return sorted(path for path in root.glob("*/*/manifest.json") if path.is_file() and not path.is_symlink())


def _add(tar: tarfile.TarFile, name: str, source: BinaryIO, size: int, mtime: float) -> str:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o640
    reader = _Hashing(source)
    tar.addfile(info, reader)  # type: ignore[arg-type]
    return reader.digest.hexdigest()


def _add_path(tar: tarfile.TarFile, name: str, path: Path, members: list[dict]) -> None:
    with path.open("rb") as data:
        stat = os.fstat(data.fileno())  # the file opened: a later rename over its name does not change it
        digest = _add(tar, name, data, stat.st_size, stat.st_mtime)
    members.append({"name": name, "size": stat.st_size, "sha256": digest})


def _check_output(app: Flask, output: Path) -> None:
    for key in ("QTP_STORAGE_DIR", "QTP_BUNDLE_DIR"):
        root = Path(app.config[key]).resolve()
        if output.resolve() == root or root in output.resolve().parents:
            raise BackupError(f"the archive may not be written inside {key} ({root})")
    if output.exists():
        raise BackupError(f"{output} exists already: a backup never overwrites a file")


def create_backup(app: Flask, output: Path | None = None) -> BackupResult:
    """Write the archive and its checksum file; returns what was written."""
    started = time.monotonic()
    moment = datetime.now(UTC)
    if output is not None and (output.is_dir() or not output.name.endswith((".tar.gz", ".tgz"))):
        output = output / f"qtp-backup-{_stamp(moment)}.tar.gz"  # a folder (made if need be)
    output = output or default_output(app, moment)
    _check_output(app, output)
    output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    kind = backup_db.kind_of(db.engine)
    storage_root = Path(app.config["QTP_STORAGE_DIR"]).resolve()
    bundle_root = Path(app.config["QTP_BUNDLE_DIR"]).resolve()
    members: list[dict] = []
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".qtp-backup-") as work:
        dump = Path(work) / "database"
        copy: DatabaseCopy = (
            backup_db.copy_sqlite(db.engine, dump) if kind == "sqlite" else backup_db.dump_postgresql(db.engine, dump)
        )
        temp = Path(work) / "archive.tar.gz"
        files = manifests = 0
        with temp.open("wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
            _add_path(tar, backup_db.KINDS[kind], dump, members)
            for path in _storage_files(storage_root):
                name = "storage/" + path.relative_to(storage_root).as_posix()
                member_path(name)  # a name restore would refuse is refused now, not on the day it is needed
                _add_path(tar, name, path, members)
                files += 1
            for path in _bundle_manifests(bundle_root):
                _add_path(tar, "bundles/" + path.relative_to(bundle_root).as_posix(), path, members)
                manifests += 1
            document = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": _app_version(),
                "alembic_revision": copy.revision,
                "created_at": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "database": {"kind": kind, "member": backup_db.KINDS[kind], "tables": copy.tables, **copy.details},
                "counts": {"storage_files": files, "bundle_manifests": manifests},
                "members": members,
            }
            body = (json.dumps(document, indent=2, sort_keys=True) + "\n").encode()
            _add(tar, MANIFEST, io.BytesIO(body), len(body), moment.timestamp())
        with temp.open("rb+") as written:
            os.fsync(written.fileno())
        os.chmod(temp, ARCHIVE_MODE)
        digest = file_sha256(temp)
        checksum = Path(work) / "archive.sha256"
        checksum.write_text(f"{digest}  {output.name}\n")
        os.chmod(checksum, ARCHIVE_MODE)
        os.replace(temp, output)
        os.replace(checksum, checksum_path(output))
    return BackupResult(
        path=output,
        size=output.stat().st_size,
        sha256=digest,
        kind=kind,
        revision=copy.revision,
        tables=len(copy.tables),
        rows=sum(copy.tables.values()),
        files=files,
        manifests=manifests,
        seconds=time.monotonic() - started,
    )


def _app_version() -> str:
    try:
        return metadata.version("qtp")
    except metadata.PackageNotFoundError:
        return "unknown"


def checksum_path(archive: Path) -> Path:
    return archive.with_name(archive.name + ".sha256")


# -- verification ------------------------------------------------------------------------------------------


def _expected_checksum(archive: Path) -> str:
    beside = checksum_path(archive)
    if not beside.is_file():
        raise BackupError(f"no checksum file beside the archive ({beside.name}): copy both files")
    fields = beside.read_text("utf-8", errors="replace").split()
    if len(fields) != 2 or not re.fullmatch(r"[0-9a-f]{64}", fields[0]) or fields[1].lstrip("*") != archive.name:
        raise BackupError(f"{beside.name} is not a sha256sum line for {archive.name}")
    return fields[0]


def member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    parts = path.parts
    ok = (
        name == MANIFEST
        or name in backup_db.KINDS.values()
        or (len(parts) >= 2 and parts[0] == "storage")
        or (len(parts) == 4 and parts[0] == "bundles" and parts[3] == "manifest.json")
    )
    if not ok or path.is_absolute() or any(p in (".", "..") or not _SAFE_PART.fullmatch(p) for p in parts):
        raise BackupError(f"the archive holds an unexpected member {name!r}: refused")
    return path


def verify_archive(archive: Path, staging: Path) -> dict:
    """Check the archive's checksum, then unpack it into `staging` checking every member against backup.json.
    Returns backup.json; raises BackupError (and leaves `staging` to the caller to remove) on any mismatch."""
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist")
    expected = _expected_checksum(archive)
    if file_sha256(archive) != expected:
        raise BackupError(f"{archive.name} does not match its checksum: the archive is damaged, nothing was restored")
    seen: dict[str, tuple[int, str]] = {}
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                path = member_path(member.name)
                if not member.isreg() or member.name in seen:
                    raise BackupError(f"the archive holds an unexpected member {member.name!r}: refused")
                target = staging.joinpath(*path.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None  # a regular file
                digest, size = hashlib.sha256(), 0
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                seen[member.name] = (size, digest.hexdigest())
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{archive.name} cannot be read ({error}): nothing was restored") from error
    if MANIFEST not in seen:
        raise BackupError(f"{archive.name} has no {MANIFEST}: not a QTP backup")
    try:
        document = json.loads((staging / MANIFEST).read_text("utf-8"))
        listed = {entry["name"]: (entry["size"], entry["sha256"]) for entry in document["members"]}
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{MANIFEST} cannot be read: {error}") from error
    if document.get("format") != FORMAT or document.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"unknown backup format {document.get('format')!r} {document.get('format_version')!r}")
    seen.pop(MANIFEST)
    if set(listed) != set(seen):
        raise BackupError(f"the members of {archive.name} differ from those {MANIFEST} lists: refused")
    for name, (size, digest) in seen.items():
        if listed[name] != (size, digest):
            raise BackupError(f"{name} does not match its SHA-256 in {MANIFEST}: the archive is damaged")
    return document
