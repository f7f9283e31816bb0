import hashlib
import io
import stat

import pytest
from flask import Flask
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from qtp.core import storage
from qtp.core.storage import FileTooLarge, InvalidKey, LocalStorage


@pytest.fixture
def files(tmp_path):
    return LocalStorage(tmp_path / "storage")


def test_save_keeps_the_bytes_under_a_random_key_in_two_level_folders(files, tmp_path):
    data = b"%PDF-1.4 hello"
    stored = files.save(io.BytesIO(data), max_bytes=100)
    assert len(stored.key) == 32 and int(stored.key, 16) >= 0
    assert (stored.size, stored.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert files.path(stored.key) == (tmp_path / "storage" / stored.key[:2] / stored.key).resolve()
    assert files.exists(stored.key)
    with files.open(stored.key) as handle:
        assert handle.read() == data
    assert stat.S_IMODE(files.path(stored.key).stat().st_mode) == 0o640
    other = files.save(io.BytesIO(data), max_bytes=100)
    assert other.key != stored.key


def test_too_large_is_refused_and_nothing_is_left_behind(files, tmp_path):
    files.save(io.BytesIO(b"x" * 10), max_bytes=10)  # exactly the limit is fine
    with pytest.raises(FileTooLarge) as error:
        files.save(io.BytesIO(b"x" * (200 * 1024)), max_bytes=100 * 1024)
    assert error.value.max_bytes == 100 * 1024
    left = [p.name for p in (tmp_path / "storage").rglob("*") if p.is_file()]
    assert len(left) == 1 and not left[0].startswith(".")


def test_real_bytes_are_counted_not_what_the_stream_claims(files):
    class Liar(io.BytesIO):
        def __len__(self):
            return 1

    with pytest.raises(FileTooLarge):
        files.save(Liar(b"y" * 5000), max_bytes=4096)


def test_a_failed_write_leaves_no_partial_file(files, tmp_path):
    class Broken:
        def __init__(self):
            self.calls = 0

        def read(self, size=-1):
            self.calls += 1
            if self.calls > 2:
                raise OSError("connection reset")
            return b"z" * 1000

    with pytest.raises(OSError):
        files.save(Broken(), max_bytes=10_000)
    assert [p for p in (tmp_path / "storage").rglob("*") if p.is_file()] == []


@pytest.mark.parametrize(
    "key",
    [
        "../../etc/passwd",
        "ab/cdef",
        "..",
        "a" * 31,
        "a" * 33,
        "A" * 32,
        "g" * 32,
        "0" * 31 + "\x00",
        "0" * 32 + "\n",
        "/" + "0" * 31,
        "%2e%2e" + "0" * 26,
        "",
        None,
        123,
    ],
)
def test_keys_are_validated_on_every_call(files, key):
    for call in (files.path, files.open, files.delete, files.exists, storage.key_path):
        with pytest.raises(InvalidKey):
            call(key)
    assert issubclass(InvalidKey, ValueError)


def test_delete_is_idempotent_and_unknown_keys_do_not_exist(files):
    stored = files.save(io.BytesIO(b"abc"), max_bytes=10)
    files.delete(stored.key)
    files.delete(stored.key)
    assert not files.exists(stored.key)
    assert not files.exists("0" * 32)
    with pytest.raises(FileNotFoundError):
        files.open("0" * 32)


def test_the_app_storage_comes_from_the_config_and_never_lives_in_static(tmp_path):
    app = Flask(__name__, static_folder=str(tmp_path / "static"))
    app.config["QTP_STORAGE_DIR"] = str(tmp_path / "instance" / "storage")
    with app.app_context():
        files = storage.get_storage()
        assert isinstance(files, LocalStorage) and files.root == (tmp_path / "instance" / "storage").resolve()
        assert storage.get_storage() is files
    bad = Flask(__name__, static_folder=str(tmp_path / "static"))
    bad.config["QTP_STORAGE_DIR"] = str(tmp_path / "static" / "uploads")
    with bad.app_context(), pytest.raises(RuntimeError):
        storage.get_storage()


def test_the_default_storage_dir_is_in_the_instance_folder(tmp_path):
    from qtp.config import build_config

    config = build_config(str(tmp_path), {"QTP_ENV": "testing"})
    assert config["QTP_STORAGE_DIR"] == str(tmp_path / "storage")
    assert config["QTP_MAX_ATTACHMENT_BYTES"] == 10 * 1024 * 1024
    assert config["MAX_CONTENT_LENGTH"] > config["QTP_MAX_ATTACHMENT_BYTES"]
    assert config["QTP_X_ACCEL_REDIRECT_PREFIX"] is None


@pytest.fixture
def db(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_files_follow_the_transaction(files, db):
    kept = files.save(io.BytesIO(b"1"), max_bytes=10)
    dropped = files.save(io.BytesIO(b"2"), max_bytes=10)
    db.connection()  # begin
    storage.delete_after_commit(db, kept.key, files)
    storage.delete_after_rollback(db, dropped.key, files)
    db.rollback()  # the deletion never happened; the new file's row never existed
    assert files.exists(kept.key) and not files.exists(dropped.key)

    db.connection()
    storage.delete_after_commit(db, kept.key, files)
    db.commit()
    assert not files.exists(kept.key)

    new = files.save(io.BytesIO(b"3"), max_bytes=10)
    db.connection()
    storage.delete_after_rollback(db, new.key, files)
    db.commit()  # committed: the new file stays, and a later rollback does not touch it
    db.connection()
    db.rollback()
    assert files.exists(new.key)


def test_a_rolled_back_savepoint_leaves_the_outer_transaction_to_decide(files, db):
    stored = files.save(io.BytesIO(b"1"), max_bytes=10)
    db.connection()
    storage.delete_after_commit(db, stored.key, files)
    nested = db.begin_nested()
    nested.rollback()
    assert files.exists(stored.key)
    db.commit()
    assert not files.exists(stored.key)


def test_a_released_savepoint_is_not_the_commit(files, db):
    stored = files.save(io.BytesIO(b"1"), max_bytes=10)
    db.connection()
    storage.delete_after_commit(db, stored.key, files)
    with db.begin_nested():
        pass
    assert files.exists(stored.key), "deleted when a savepoint was released"
    db.rollback()
    assert files.exists(stored.key)


def test_a_file_put_under_its_key_replaces_what_was_there(files):
    key = storage.new_key()
    first = files.put(key, b"first")
    second = files.put(key, b"second")
    assert first.key == second.key == key and files.path(key).read_bytes() == b"second"
    assert second.sha256 == hashlib.sha256(b"second").hexdigest() and second.size == 6
    assert [p.name for p in files.path(key).parent.iterdir()] == [key], "no temporary file is left"
    with pytest.raises(InvalidKey):
        files.put("../../x", b"no")


def test_pending_deletions_validate_keys(files, db):
    with pytest.raises(InvalidKey):
        storage.delete_after_commit(db, "../x", files)
