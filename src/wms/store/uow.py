"""The unit of work: one SQLite transaction that commits only when told to."""

from __future__ import annotations

import sqlite3
from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session

from wms.domain.errors import NotRecorded
from wms.store.engine import WRITE
from wms.store.journal import RAW_CONNECTION


class UnitOfWork:
    """A session whose transaction rolls back unless ``commit()`` was called.

    A writing unit takes SQLite's write lock at BEGIN, so it either waits (busy timeout) before
    doing anything or runs to the end; it never fails half-way on a lock held by the sync.
    """

    def __init__(self, engine: Engine, *, write: bool = True) -> None:
        self._engine = engine
        self._write = write
        self._committed = False
        self.session: Session

    def __enter__(self) -> Self:
        self.session = Session(self._engine, expire_on_commit=False)
        connection = self.session.connection(execution_options={WRITE: self._write})
        self.session.info[RAW_CONNECTION] = connection.connection.driver_connection
        return self

    def commit(self) -> None:
        """Make everything done in this unit durable."""
        # The connection goes back to the pool with the commit: nothing may use it after.
        self.session.info.pop(RAW_CONNECTION, None)
        self.session.commit()
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.info.pop(RAW_CONNECTION, None)
        if not self._committed:
            # Detach first: rows read in a read-only unit stay usable after it ends.
            self.session.expunge_all()
            self.session.rollback()
        self.session.close()
        if exc is not None and (
            isinstance(exc, sqlite3.OperationalError | OperationalError) or _damaged(exc)
        ):
            raise NotRecorded(_explain(exc)) from exc


def _damaged(exc: BaseException) -> bool:
    """A store SQLite finds damaged (a corrupt page met on the way)."""
    if not isinstance(exc, sqlite3.DatabaseError | DatabaseError):
        return False
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def _explain(exc: BaseException) -> str:
    """An operator's words for a storage failure; the cause stays chained for the log."""
    text = str(exc).lower()
    if "malformed" in text or "not a database" in text:
        return "NOT RECORDED: store damaged. Call a supervisor"
    if "full" in text:
        return "NOT RECORDED: terminal disk full. Call a supervisor"
    if "locked" in text or "busy" in text:
        return "NOT RECORDED: store busy. Scan again"
    return "NOT RECORDED: storage error. Call a supervisor"
