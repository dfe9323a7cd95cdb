"""The SQLite engine: durable pragmas on every connection, and write transactions that take
the write lock up front so a background writer can never fail an operator's operation."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 10_000

# Execution option a connection carries when its transaction will write.
WRITE = "wms_write"


def make_engine(path: Path | str, *, foreign_keys: bool = True) -> Engine:
    """Open (or create) the store at ``path`` with WAL, synchronous=FULL and a busy timeout.

    ``foreign_keys=False`` is for migrations only: batch table rebuilds drop tables that others
    reference, and the pragma cannot be changed once a transaction is open.
    """
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's implicit BEGIN is
        # deferred, which turns a read-then-write into SQLITE_BUSY under a concurrent writer).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
