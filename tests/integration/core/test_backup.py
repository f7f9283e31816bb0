"""`qtp backup` and `qtp restore`: the demo, backed up and restored into a fresh database and storage folder,
comes back identical (every row of every table, every file byte for byte), on SQLite and on PostgreSQL; a damaged
or foreign archive and a non-empty installation are refused, with nothing changed."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
import threading
import uuid
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from qtp import create_app
from qtp.accounts.models import User
from qtp.core import backup
from qtp.core.backup_db import BackupError
from qtp.core.restore import revision_status
from qtp.extensions import db
from tests.conftest import TEST_DATABASE_URL, make_test_config

ON_POSTGRES = bool(TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"))
MANIFEST = {"product": "six_month", "locale": "en", "content_version": "c0ffee", "built_at": "2026-12-01T10:00:00Z"}


class Databases:
    """Fresh, empty databases: SQLite files, or databases created on the PostgreSQL test server."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.created: list[str] = []

    def new(self, label: str) -> str:
        if not ON_POSTGRES:
            return f"sqlite:///{self.tmp}/{label}-{uuid.uuid4().hex[:6]}.db"
        url = make_url(TEST_DATABASE_URL)
        name = f"qtp_{label}_{uuid.uuid4().hex[:8]}"
        with self._admin().connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return url.set(database=name).render_as_string(hide_password=False)

    def _admin(self):  # type: ignore[no-untyped-def]
        return create_engine(make_url(TEST_DATABASE_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")

    def drop(self) -> None:
        if not self.created:
            return
        admin = self._admin()
        with admin.connect() as connection:
            for name in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(folder: Path, url: str):  # type: ignore[no-untyped-def]
    folder.mkdir(parents=True, exist_ok=True)
    return create_app(
        make_test_config(
            folder,
            SQLALCHEMY_DATABASE_URI=url,
            QTP_STORAGE_DIR=str(folder / "storage"),
            QTP_BUNDLE_DIR=str(folder / "bundles"),
        )
    )


def tables_of(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, all columns, in a stable order."""
    engine = create_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {
                name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
                for name, table in metadata.tables.items()
            }
    finally:
        engine.dispose()


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    made = Databases(tmp_path_factory.mktemp("backup-databases"))
    yield made
    made.drop()


@pytest.fixture(scope="module")
def source(app, databases, tmp_path_factory):
    """The demo (content synced, certificate PDFs rendered) in a migrated database, and its backup."""
    folder = tmp_path_factory.mktemp("backup-source")
    url = databases.new("backup_src")
    source_app = make_app(folder / "site", url)
    with source_app.app_context():
        upgrade()
    runner = source_app.test_cli_runner()
    for args in (["qtp", "content", "sync"], ["qtp", "demo", "--quiet"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    manifest = Path(source_app.config["QTP_BUNDLE_DIR"]) / "six_month" / "en" / "manifest.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(json.dumps(MANIFEST | {"files": []}))
    result = runner.invoke(args=["qtp", "backup", "--output", str(folder / "backups")])
    assert result.exit_code == 0, result.output
    archive = next((folder / "backups").glob("qtp-backup-*.tar.gz"))
    with source_app.app_context():
        db.engine.dispose()
    return {"app": source_app, "url": url, "archive": archive, "output": result.output}


@pytest.fixture
def target(databases, tmp_path):
    url = databases.new("restore")
    made = make_app(tmp_path / "target", url)
    yield made
    with made.app_context():
        db.engine.dispose()


def restore(app, archive: Path, *extra: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["qtp", "restore", str(archive), *extra])


def assert_untouched(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        with db.engine.connect() as connection:
            assert inspect(connection).get_table_names() == []
        db.engine.dispose()
    storage = Path(app.config["QTP_STORAGE_DIR"])
    assert not storage.exists() or files_of(storage) == {}


def test_the_backup_holds_the_database_the_files_and_the_manifests(source):
    archive = source["archive"]
    assert (
        f"Backup written: {archive}" in source["output"]
        and "2 from the storage folder, 1 bundle manifests" in (source["output"])
    )
    line = backup.checksum_path(archive).read_text()
    assert line == f"{hashlib.sha256(archive.read_bytes()).hexdigest()}  {archive.name}\n"
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        document = json.load(tar.extractfile("backup.json"))  # type: ignore[arg-type]
    kind = "postgresql" if ON_POSTGRES else "sqlite"
    assert document["database"]["kind"] == kind and document["format_version"] == 1
    assert names[0] == document["database"]["member"] and names[-1] == "backup.json"
    assert "bundles/six_month/en/manifest.json" in names
    assert sum(1 for name in names if name.startswith("storage/")) == 2  # the demo's two certificate PDFs
    assert {m["name"] for m in document["members"]} == set(names) - {"backup.json"}
    assert document["database"]["tables"]["users"] > 10 and document["alembic_revision"]
    storage = Path(source["app"].config["QTP_STORAGE_DIR"])
    for member in document["members"]:
        if member["name"].startswith("storage/"):
            data = (storage / member["name"].removeprefix("storage/")).read_bytes()
            assert member["sha256"] == hashlib.sha256(data).hexdigest() and member["size"] == len(data)


@pytest.mark.parametrize("migrated", [False, True], ids=["no tables", "migrated, empty"])
def test_restore_brings_back_every_row_and_file(source, target, migrated):
    if migrated:
        with target.app_context():
            upgrade()
            db.engine.dispose()
    result = restore(target, source["archive"], "--yes")
    assert result.exit_code == 0, result.output
    assert "qtp bundles build" in result.output and "six_month/en" in result.output
    restored = tables_of(target.config["SQLALCHEMY_DATABASE_URI"])
    original = tables_of(source["url"])
    assert set(restored) == set(original) and len(original) > 20
    for name, rows in original.items():
        assert restored[name] == rows, name
    assert sum(map(len, original.values())) > 300
    files = files_of(Path(target.config["QTP_STORAGE_DIR"]))
    assert files == files_of(Path(source["app"].config["QTP_STORAGE_DIR"])) and len(files) == 2
    # The app works on what came back: migrations at head, a request, and new rows get fresh ids.
    with target.app_context():
        upgrade()
        before = db.session.scalar(text("SELECT max(id) FROM users"))
        user = User(email="new@example.org", name="New Person", password_hash="x")
        db.session.add(user)
        db.session.flush()
        assert user.id > before
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()
    assert target.test_client().get("/healthz").status_code == 200


def _rewrite(archive: Path, dest: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the archive with members changed by `change(name, bytes) -> bytes`, and a fresh .sha256."""
    with tarfile.open(archive) as tar, tarfile.open(dest, "w:gz") as out:
        for member in tar:
            data = change(member.name, tar.extractfile(member).read())  # type: ignore[union-attr]
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    backup.checksum_path(dest).write_text(f"{hashlib.sha256(dest.read_bytes()).hexdigest()}  {dest.name}\n")
    return dest


def test_a_damaged_archive_is_refused_and_nothing_changes(source, target, tmp_path):
    damaged = tmp_path / source["archive"].name
    data = bytearray(source["archive"].read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    shutil.copy(backup.checksum_path(source["archive"]), backup.checksum_path(damaged))
    result = restore(target, damaged, "--yes")
    assert result.exit_code == 1 and "does not match its checksum: the archive is damaged" in result.output
    assert_untouched(target)
    backup.checksum_path(damaged).unlink()
    result = restore(target, damaged, "--yes")
    assert result.exit_code == 1 and "no checksum file beside the archive" in result.output
    result = restore(target, tmp_path / "missing.tar.gz", "--yes")
    assert result.exit_code == 1 and "does not exist" in result.output
    assert_untouched(target)


def test_a_member_that_differs_from_its_sha256_is_refused(source, target, tmp_path):
    def flip(name: str, data: bytes) -> bytes:
        return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("storage/") else data

    altered = _rewrite(source["archive"], tmp_path / "altered.tar.gz", flip)
    result = restore(target, altered, "--yes")
    assert result.exit_code == 1 and "does not match its SHA-256 in backup.json" in result.output
    assert_untouched(target)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "other", "holds a other database and this installation uses"),
        ("alembic_revision", "ffffffffffff", "which this version of QTP does not know"),
    ],
)
def test_an_archive_of_another_database_kind_or_a_newer_revision_is_refused(
    source, target, tmp_path, field, value, message
):
    def edit(name: str, data: bytes) -> bytes:
        if name != "backup.json":
            return data
        document = json.loads(data)
        (document["database"] if field == "kind" else document)[field] = value
        return json.dumps(document).encode()

    foreign = _rewrite(source["archive"], tmp_path / "foreign.tar.gz", edit)
    result = restore(target, foreign, "--yes")
    assert result.exit_code == 1 and message in result.output
    assert_untouched(target)


def test_a_non_empty_installation_is_refused(source, target):
    storage = Path(target.config["QTP_STORAGE_DIR"])
    (storage / "ab").mkdir(parents=True)
    (storage / "ab" / "keep").write_bytes(b"mine")
    result = restore(target, source["archive"], "--yes")
    assert result.exit_code == 1 and "holds files: a backup is only restored into an empty installation" in (
        result.output
    )
    assert (storage / "ab" / "keep").read_bytes() == b"mine"
    (storage / "ab" / "keep").unlink()
    assert restore(target, source["archive"], "--yes").exit_code == 0
    before = tables_of(target.config["SQLALCHEMY_DATABASE_URI"])
    shutil.rmtree(storage)  # an empty folder again, but the database holds the restored rows
    again = restore(target, source["archive"], "--yes")
    assert again.exit_code == 1 and "the database is not empty" in again.output and "cohorts (5)" in again.output
    assert tables_of(target.config["SQLALCHEMY_DATABASE_URI"]) == before


def test_restore_asks_first_and_stops_on_no(source, target):
    result = target.test_cli_runner().invoke(args=["qtp", "restore", str(source["archive"])], input="n\n")
    assert result.exit_code == 1 and "Restore " in result.output and "Aborted" in result.output
    assert_untouched(target)


def test_backup_refuses_to_overwrite_or_to_write_inside_the_storage_folder(source):
    runner = source["app"].test_cli_runner()
    existing = runner.invoke(args=["qtp", "backup", "--output", str(source["archive"])])
    assert existing.exit_code == 1 and "exists already" in existing.output
    inside = Path(source["app"].config["QTP_STORAGE_DIR"]) / "x.tar.gz"
    result = runner.invoke(args=["qtp", "backup", "--output", str(inside)])
    assert result.exit_code == 1 and "may not be written inside QTP_STORAGE_DIR" in result.output
    assert not inside.exists()


def test_revision_status_knows_head_older_and_unknown(source):
    from alembic.script import ScriptDirectory

    app = source["app"]
    scripts = ScriptDirectory(app.extensions["migrate"].directory)
    head = scripts.get_current_head()
    assert revision_status(app, head) == "head"
    assert revision_status(app, scripts.get_revision(head).down_revision) == "older"
    with pytest.raises(BackupError, match="does not know"):
        revision_status(app, "0123456789ab")


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite online backup while another connection writes")
def test_a_backup_while_another_connection_writes_is_consistent(databases, tmp_path):
    writer_app = make_app(tmp_path / "busy", databases.new("busy"))
    with writer_app.app_context():
        upgrade()
        path = db.engine.url.database
        db.engine.dispose()
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode = WAL")
    setup.execute("CREATE TABLE scratch (batch INTEGER NOT NULL, n INTEGER NOT NULL)")
    setup.commit()
    setup.close()
    stop, batches = threading.Event(), [0]

    def write() -> None:  # transactions of 200 rows each, as fast as it can
        connection = sqlite3.connect(path, timeout=30, isolation_level=None)
        while not stop.is_set():
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany("INSERT INTO scratch VALUES (?, ?)", [(batches[0], n) for n in range(200)])
            connection.execute("COMMIT")
            batches[0] += 1
        connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        archives, during = [], []
        with writer_app.app_context():
            for number in range(4):
                while batches[0] < 5 * (number + 1):
                    threading.Event().wait(0.005)
                before = batches[0]
                archives.append(backup.create_backup(writer_app, tmp_path / f"busy-{number}.tar.gz"))
                during.append((before, batches[0]))
    finally:
        stop.set()
        thread.join()
    seen = []
    for result in archives:
        with tarfile.open(result.path) as tar:
            tar.extract("database/qtp.sqlite3", tmp_path / result.path.stem, filter="data")
        copy = sqlite3.connect(tmp_path / result.path.stem / "database" / "qtp.sqlite3")
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sizes = {size for (size,) in copy.execute("SELECT count(*) FROM scratch GROUP BY batch")}
        rows = copy.execute("SELECT count(*) FROM scratch").fetchone()[0]
        copy.close()
        assert sizes == {200} and rows >= 1000  # whole transactions only
        seen.append(rows)
        document = json.loads(tarfile.open(result.path).extractfile("backup.json").read())  # type: ignore[union-attr]
        assert document["database"]["tables"]["scratch"] == rows  # counted in the copy itself
    assert seen == sorted(seen) and len(set(seen)) == len(seen)  # the writer went on between the backups
    assert any(after > before for before, after in during), during  # and committed while one was being made


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump's version check needs the PostgreSQL server")
def test_a_pg_dump_older_than_the_server_is_refused(source, tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "pg_dump"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}")
    result = source["app"].test_cli_runner().invoke(args=["qtp", "backup", "--output", str(tmp_path)])
    assert result.exit_code == 1 and "pg_dump 9 is older than the PostgreSQL" in result.output
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    result = source["app"].test_cli_runner().invoke(args=["qtp", "backup", "--output", str(tmp_path)])
    assert result.exit_code == 1 and "pg_dump is not installed" in result.output
    assert list(tmp_path.glob("*.tar.gz")) == []
