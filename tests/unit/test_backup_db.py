"""How the app's SQLAlchemy URL reaches pg_dump and pg_restore: a libpq conninfo without the password, the
password in a private temporary PGPASSFILE; missing or old client tools are named clearly."""

import os
import stat

import pytest
from sqlalchemy.engine import make_url

from qtp.core.backup_db import BackupError, libpq_conninfo, libpq_env, server_major, tool, tool_major


def test_the_url_becomes_a_conninfo_without_the_password():
    url = make_url("postgresql+psycopg://qtp:s3cr%3At'pw@db.internal:6543/qtp?sslmode=require&application_name=a b")
    conninfo, password = libpq_conninfo(url)
    assert password == "s3cr:t'pw" and "s3cr" not in conninfo
    assert conninfo == "host='db.internal' port='6543' user='qtp' dbname='qtp' sslmode='require' application_name='a b'"


def test_a_socket_url_and_quotes_in_values():
    conninfo, password = libpq_conninfo(make_url("postgresql+psycopg:///qtp?host=/var/run/postgresql"))
    assert conninfo == "dbname='qtp' host='/var/run/postgresql'" and password is None
    conninfo, _ = libpq_conninfo(make_url("postgresql+psycopg://o'neil@h/d"))
    assert "user='o\\'neil'" in conninfo


def test_the_password_goes_in_a_private_passfile_removed_afterwards(monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "ambient")
    with libpq_env("pa:ss\\word") as env:
        passfile = env["PGPASSFILE"]
        assert stat.S_IMODE(os.stat(passfile).st_mode) == 0o600
        with open(passfile) as data:
            assert data.read() == "*:*:*:*:pa\\:ss\\\\word\n"
        assert "PGPASSWORD" not in env
    assert not os.path.exists(passfile)
    with libpq_env(None) as env:
        assert "PGPASSFILE" not in env or env["PGPASSFILE"] == os.environ.get("PGPASSFILE")


def test_missing_and_old_client_tools(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_dump is not installed"):
        tool("pg_dump")
    fake = tmp_path / "pg_restore"
    fake.write_text("#!/bin/sh\necho 'pg_restore (PostgreSQL) 16.4 (Debian 16.4-1)'\n")
    fake.chmod(0o755)
    assert tool_major(tool("pg_restore")) == 16
    fake.write_text("#!/bin/sh\necho 'something else'\n")
    with pytest.raises(BackupError, match="cannot read the version"):
        tool_major(str(fake))


def test_server_major_from_server_version_num():
    assert server_major(150020) == 15 and server_major(170001) == 17 and server_major(90624) == 9
