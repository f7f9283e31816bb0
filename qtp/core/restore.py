"""Restore a backup archive (see backup.py) into an empty installation, and only into one.

Nothing is changed until the archive has passed every check: its checksum, every member's SHA-256, the
database kind, an Alembic revision this code knows, and an empty target (no rows in any table but
alembic_version, no file in QTP_STORAGE_DIR). Then the database is put in place, the storage files are moved
in from the staging folder (on the same filesystem), and the restored row counts are compared with the
archive's. The bundles are not in the archive (only their manifests): `qtp bundles build` rebuilds them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import Flask

from qtp.core import backup_db
from qtp.core.backup import FILE_MODE, verify_archive
from qtp.core.backup_db import BackupError
from qtp.extensions import db


@dataclass(frozen=True)
class RestoreResult:
    kind: str
    revision: str
    tables: int
    rows: int
    files: int
    bundles: list[str]  # product/locale of every bundle the archive's manifests list
    needs_upgrade: bool  # the archive's revision is older than the code's head
    seconds: float


def revision_status(app: Flask, revision: str) -> str:
    """'head' when the code's migrations end at `revision`, 'older' when they go past it; an unknown revision
    (a newer version of QTP, or another branch) is refused."""
    scripts = ScriptDirectory(app.extensions["migrate"].directory)
    try:
        known = scripts.get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise BackupError(
            f"the archive's database is at Alembic revision {revision}, which this version of QTP does not know "
            "(a newer version made it): restore it with that version or newer"
        )
    return "head" if revision in scripts.get_heads() else "older"


def _storage_has_files(root: Path) -> bool:
    return root.is_dir() and any(path.is_file() or path.is_symlink() for path in root.rglob("*"))


def refuse_unless_empty(app: Flask) -> None:
    root = Path(app.config["QTP_STORAGE_DIR"])
    filled = backup_db.non_empty_tables(db.engine)
    if filled:
        shown = ", ".join(f"{name} ({rows})" for name, rows in sorted(filled.items())[:5])
        raise BackupError(
            f"the database is not empty ({len(filled)} tables hold rows: {shown}{', ...' if len(filled) > 5 else ''}):"
            " a backup is only restored into an empty installation; nothing was changed"
        )
    if _storage_has_files(root):
        raise BackupError(
            f"the storage folder {root} holds files: a backup is only restored into an empty installation; "
            "nothing was changed"
        )


def _move_storage(staged: Path, root: Path) -> int:
    """Move the staged files into the (empty) storage folder; same filesystem, so each is a rename."""
    moved = 0
    if not staged.is_dir():
        return moved
    root.mkdir(parents=True, exist_ok=True)
    for path in sorted(staged.rglob("*")):
        if not path.is_file():
            continue
        target = root / path.relative_to(staged)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path, FILE_MODE)
        os.replace(path, target)
        moved += 1
    return moved


def _staging_parent(root: Path) -> Path:
    parent = root.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    return parent


def restore_backup(app: Flask, archive: Path) -> RestoreResult:
    started = time.monotonic()
    kind = backup_db.kind_of(db.engine)
    root = Path(app.config["QTP_STORAGE_DIR"])
    staging = Path(tempfile.mkdtemp(dir=_staging_parent(root), prefix=".qtp-restore-"))
    try:
        document = verify_archive(archive, staging)
        database = document["database"]
        if database["kind"] != kind:
            raise BackupError(
                f"the archive holds a {database['kind']} database and this installation uses {kind}: refused"
            )
        revision = document["alembic_revision"]
        status = revision_status(app, revision)
        refuse_unless_empty(app)
        dump = staging / database["member"]
        if kind == "sqlite":
            backup_db.restore_sqlite(db.engine, dump)
        else:
            backup_db.drop_empty_postgresql_tables(db.engine)
            backup_db.restore_postgresql(db.engine, dump, int(database["pg_dump_major"]))
        with db.engine.connect() as connection:
            restored = backup_db.table_counts(connection)
        if restored != database["tables"]:
            differ = sorted(set(restored.items()) ^ set(database["tables"].items()))
            raise BackupError(f"the restored database differs from the archive's row counts: {differ[:5]}")
        files = _move_storage(staging / "storage", root)
        bundles = sorted(str(p.parent.relative_to(staging / "bundles")) for p in staging.glob("bundles/*/*/*.json"))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(
        kind=kind,
        revision=revision,
        tables=len(restored),
        rows=sum(restored.values()),
        files=files,
        bundles=bundles,
        needs_upgrade=status == "older",
        seconds=time.monotonic() - started,
    )
