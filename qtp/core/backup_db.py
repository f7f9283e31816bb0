"""The database half of a backup: a consistent copy out, and back into an empty database.

SQLite: the sqlite3 online backup API copies the live file in one step (a read snapshot: writers in WAL mode go
on, the copy holds exactly the transactions committed before it started); restore copies the file into place.
PostgreSQL: `pg_dump` in custom format, run inside a snapshot this module exports, so the row counts and the
Alembic revision written to the manifest are those of the very snapshot dumped; restore runs `pg_restore` in
one transaction. The connection settings come from the app's SQLAlchemy URL as a libpq conninfo string; a
password never appears on a command line (a temporary, private PGPASSFILE carries it).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import MetaData, column, create_engine, func, inspect, select, table, text
from sqlalchemy.engine import URL, Connection, Engine

ALEMBIC_TABLE = "alembic_version"
SCHEMA_ROWS = {ALEMBIC_TABLE, "audit_chain_head"}  # filled by the migrations themselves: an empty install has them
SQLITE_MEMBER = "database/qtp.sqlite3"
POSTGRES_MEMBER = "database/qtp.pgdump"
KINDS = {"sqlite": SQLITE_MEMBER, "postgresql": POSTGRES_MEMBER}
_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class DatabaseCopy:
    """What was copied: the revision and the rows of every table, as seen by the copy itself."""

    kind: str
    revision: str
    tables: dict[str, int] = field(default_factory=dict)
    details: dict[str, object] = field(default_factory=dict)  # server and pg_dump versions


def kind_of(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in KINDS:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {name}")
    return name


def table_counts(connection: Connection) -> dict[str, int]:
    names = sorted(inspect(connection).get_table_names())
    return {name: connection.scalar(select(func.count()).select_from(table(name))) or 0 for name in names}


def revision_of(connection: Connection, tables: dict[str, int]) -> str:
    if ALEMBIC_TABLE not in tables:
        raise BackupError("the database has no alembic_version table: run `flask --app wsgi db upgrade` first")
    revisions = list(connection.scalars(select(column("version_num")).select_from(table(ALEMBIC_TABLE))))
    if len(revisions) != 1:
        raise BackupError(f"the database records {len(revisions)} Alembic revisions, expected one")
    return revisions[0]


def non_empty_tables(engine: Engine) -> dict[str, int]:
    """The tables holding rows (those the migrations fill aside): an empty installation has none."""
    with engine.connect() as connection:
        counts = table_counts(connection)
    return {name: rows for name, rows in counts.items() if rows and name not in SCHEMA_ROWS}


# -- SQLite ------------------------------------------------------------------------------------------------


def sqlite_path(url: URL) -> Path:
    if url.database in (None, "", ":memory:") or str(url.database).startswith("file:"):
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database).resolve()


def copy_sqlite(engine: Engine, dest: Path) -> DatabaseCopy:
    """The online backup API into `dest` (one step: a consistent snapshot), made self-contained (no WAL)."""
    source_path = sqlite_path(engine.url)
    if not source_path.is_file():
        raise BackupError(f"the SQLite database {source_path} does not exist")
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)  # pages=-1: everything in one step, under one read transaction
    finally:
        source.close()
    try:
        target.execute("PRAGMA journal_mode = DELETE")
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy of the SQLite database failed its integrity check: {check}")
    finally:
        target.close()
    copy = create_engine(f"sqlite:///{dest}")
    try:
        with copy.connect() as connection:
            tables = table_counts(connection)
            revision = revision_of(connection, tables)
    finally:
        copy.dispose()
    return DatabaseCopy("sqlite", revision, tables, {"sqlite_version": sqlite3.sqlite_version})


def restore_sqlite(engine: Engine, source: Path) -> None:
    """Put the copy in place of the (empty) database file: a temporary file renamed over it, stale WAL and
    shared-memory files removed first (SQLite would replay an old WAL onto the new file)."""
    target = sqlite_path(engine.url)
    engine.dispose()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".restore")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as data:
            shutil.copyfileobj(data, out)
            out.flush()
            os.fsync(out.fileno())
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# -- PostgreSQL --------------------------------------------------------------------------------------------


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def libpq_conninfo(url: URL) -> tuple[str, str | None]:
    """The SQLAlchemy URL as a libpq conninfo string (no password in it) and the password apart.
    Query parameters (sslmode, host=/socket/dir, options...) are libpq's own and pass through."""
    parts: dict[str, str] = {}
    if url.host:
        parts["host"] = url.host
    if url.port:
        parts["port"] = str(url.port)
    if url.username:
        parts["user"] = url.username
    if url.database:
        parts["dbname"] = url.database
    for key, value in url.query.items():
        if key == "password":
            continue
        parts[key] = ",".join(value) if isinstance(value, tuple) else str(value)
    password = url.password if url.password is not None else url.query.get("password")
    conninfo = " ".join(f"{key}={_quote(value)}" for key, value in parts.items())
    return conninfo, (str(password) if password is not None else None)


@contextlib.contextmanager
def libpq_env(password: str | None) -> Iterator[dict[str, str]]:
    """The environment for pg_dump/pg_restore: a private temporary password file when there is a password."""
    env = dict(os.environ)
    if password is None:
        yield env
        return
    fd, passfile = tempfile.mkstemp(prefix="qtp-pgpass-")  # mode 0600, as libpq requires
    try:
        escaped = password.replace("\\", "\\\\").replace(":", "\\:")
        with os.fdopen(fd, "w") as out:
            out.write(f"*:*:*:*:{escaped}\n")
        env["PGPASSFILE"] = passfile
        env.pop("PGPASSWORD", None)
        yield env
    finally:
        Path(passfile).unlink(missing_ok=True)


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed (or not on PATH): install the PostgreSQL client of the server's major version "
            "or newer (Debian: apt-get install postgresql-client)"
        )
    return path


def tool_major(path: str) -> int:
    try:
        # a list of arguments, no shell; the program is the one found on PATH
        done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=True)  # noqa: S603
    except (OSError, subprocess.SubprocessError) as error:
        raise BackupError(f"{path} --version failed: {error}") from error
    match = _VERSION.search(done.stdout)
    if match is None:
        raise BackupError(f"cannot read the version of {path}: {done.stdout.strip()!r}")
    return int(match.group(1))


def server_major(version_num: int) -> int:
    return version_num // 10000 if version_num >= 100000 else version_num // 100 // 100


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603  (a list, no shell)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-8:])
        raise BackupError(f"{what} failed (exit {done.returncode}):\n{tail}")


def dump_postgresql(engine: Engine, dest: Path) -> DatabaseCopy:
    """pg_dump (custom format) of an exported snapshot; counts and revision read in that same snapshot."""
    pg_dump = tool("pg_dump")
    dump_major = tool_major(pg_dump)
    conninfo, password = libpq_conninfo(engine.url)
    options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        version_num = int(connection.scalar(text("SHOW server_version_num")))
        major = server_major(version_num)
        if dump_major < major:
            raise BackupError(
                f"pg_dump {dump_major} is older than the PostgreSQL {major} server: install postgresql-client-{major}"
            )
        snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
        tables = table_counts(connection)
        revision = revision_of(connection, tables)
        args = [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
        with libpq_env(password) as env:
            _run([*args, f"--file={dest}", f"--dbname={conninfo}"], env, "pg_dump")
    details = {"server_version_num": version_num, "pg_dump_major": dump_major}
    return DatabaseCopy("postgresql", revision, tables, details)


def drop_empty_postgresql_tables(engine: Engine) -> None:
    """An installation made by `flask db upgrade` has every table, empty: drop them (in one transaction) so
    that the dump recreates them as they were."""
    with engine.begin() as connection:
        metadata = MetaData()
        metadata.reflect(connection)
        metadata.drop_all(connection)


def restore_postgresql(engine: Engine, source: Path, archive_dump_major: int) -> None:
    pg_restore = tool("pg_restore")
    restore_major = tool_major(pg_restore)
    if restore_major < archive_dump_major:
        raise BackupError(
            f"pg_restore {restore_major} cannot read a dump made by pg_dump {archive_dump_major}: "
            f"install postgresql-client-{archive_dump_major} or newer"
        )
    conninfo, password = libpq_conninfo(engine.url)
    engine.dispose()
    args = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    with libpq_env(password) as env:
        _run([*args, f"--dbname={conninfo}", str(source)], env, "pg_restore")
