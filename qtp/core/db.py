"""Declarative base, column types and database-engine settings shared by every model."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLITE_BUSY_TIMEOUT_MS = 10_000


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on every backend (SQLite keeps no offset, so add it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def configure_sqlite(engine: Engine) -> None:
    """WAL, busy timeout and foreign keys on every SQLite connection, and transactions that read in parallel.

    pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; we turn it off and emit BEGIN
    ourselves. A transaction begins as a reader (plain BEGIN: in WAL, readers never wait for one another or for
    a writer), so pages that only read run side by side in every worker. Its first write (INSERT, UPDATE,
    DELETE, a SAVEPOINT) first turns it into a writer: the read part ends and BEGIN IMMEDIATE takes the write
    lock, waiting on the busy timeout behind other writers instead of failing with "database is locked" (what a
    deferred transaction does when it tries to write after another writer committed). Reads before the first
    write thus see the data of their own moment, as each statement does on PostgreSQL (READ COMMITTED); from
    the first write on, the transaction holds the lock and sees everything committed before it.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")
        conn.info[_READING] = True

    @event.listens_for(engine, "before_cursor_execute")
    def _before_write(conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        if conn.info.get(_READING) and not _READS.match(statement):
            conn.info[_READING] = False
            if conn.in_transaction():  # the reader's part ends; nothing was written in it
                cursor.execute("COMMIT")
                cursor.execute("BEGIN IMMEDIATE")

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(conn: Any) -> None:
        conn.info.pop(_READING, None)


_READING = "qtp_sqlite_reading"  # on a connection: its transaction has not written yet
_READS = re.compile(r"\s*(?:SELECT|WITH|PRAGMA|EXPLAIN|BEGIN)\b", re.IGNORECASE)
