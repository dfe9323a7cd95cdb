"""The hub's database: a configured PostgreSQL, or an embedded one; migrated by Alembic."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

import wms

_embedded: dict[Path, Any] = {}


def embedded_url(data_dir: Path) -> str:
    """Start (or reuse) the embedded PostgreSQL in ``data_dir`` and return its URL.

    pgserver keeps one server per directory, listening on a Unix socket only, and stops it
    when the last process using it exits (or on ``stop_embedded``).
    """
    # Heavy: only without a configured URL. Its class body asks for a runtime dir it never
    # uses here (the socket lives in data_dir) and warns on every command when there is none.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        from pgserver.postgres_server import get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    if data_dir not in _embedded:
        _embedded[data_dir] = get_server(str(data_dir), cleanup_mode="stop")
    return str(_embedded[data_dir].get_uri())


def stop_embedded(data_dir: Path) -> None:
    """Stop the embedded server this process started in ``data_dir``, if any."""
    server = _embedded.pop(data_dir, None)
    if server is not None:
        server.cleanup()


def sqlalchemy_url(url: str) -> str:
    """``postgresql://`` URLs as given by admins or pgserver, with the psycopg 3 driver."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def make_hub_engine(url: str, *, pool_size: int = 5) -> Engine:
    """An engine on the hub's database; transactions are READ COMMITTED (PostgreSQL's default).

    Statement parameters are kept out of error messages: they may hold op payloads, hashes, a
    consignee's name, phone or address, and error messages end up in logs.
    """
    return create_engine(
        sqlalchemy_url(url), pool_size=pool_size, pool_pre_ping=True, hide_parameters=True
    )


# Deadlock detected, serialization failure: the transaction is rolled back and may be retried.
_RETRYABLE = {"40P01", "40001"}
T = TypeVar("T")


def in_transaction(engine: Engine, work: Callable[[Connection], T], attempts: int = 3) -> T:
    """Run ``work`` in one transaction, retried from the start (at most ``attempts`` times)
    when PostgreSQL aborts it to break a deadlock or a serialization conflict."""
    for attempt in range(attempts):
        try:
            with engine.begin() as conn:
                return work(conn)
        except DBAPIError as e:
            if getattr(e.orig, "sqlstate", None) not in _RETRYABLE or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def migrations_dir() -> Path:
    """The hub migrations: inside the installed package, or beside ``src/`` in a checkout."""
    package = Path(wms.__file__).resolve().parent
    for candidate in (package / "_migrations" / "hub", package.parents[1] / "migrations" / "hub"):
        if (candidate / "env.py").exists():
            return candidate
    raise FileNotFoundError("hub migrations not found; reinstall wms")


def alembic_config(url: str) -> Config:
    """An Alembic config for the hub database at ``url``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["wms.hub_url"] = sqlalchemy_url(url)
    return cfg


class SchemaMismatch(Exception):
    """The hub database is not at the schema this program was built for."""


class DatabaseNewer(SchemaMismatch):
    """The database was migrated by a newer wms: this one must not touch it."""


class DatabaseBehind(SchemaMismatch):
    """The database needs ``wms hub migrate`` before this program can use it."""


def head_revision() -> str:
    """The schema revision this program's hub code is written for."""
    head = ScriptDirectory.from_config(alembic_config("postgresql://")).get_current_head()
    if head is None:
        raise FileNotFoundError("hub migrations have no head; reinstall wms")
    return head


def database_revision(url: str) -> str | None:
    """The revision the hub database at ``url`` is at; None for an empty database."""
    engine = create_engine(sqlalchemy_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def _known(revision: str) -> bool:
    script = ScriptDirectory.from_config(alembic_config("postgresql://"))
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def _newer(current: str, head: str) -> DatabaseNewer:
    return DatabaseNewer(
        f"the hub database is at schema revision {current}, newer than this wms (which knows"
        f" up to {head}): run the wms release that migrated it"
    )


def check_current(url: str) -> str:
    """The database's revision when it is the current one; otherwise say what to do."""
    head, current = head_revision(), database_revision(url)
    if current == head:
        return head
    if current is not None and not _known(current):
        raise _newer(current, head)
    raise DatabaseBehind(
        f"the hub database is at schema revision {current or 'none (empty)'}, this wms needs"
        f" {head}: run `wms hub migrate` first (back up the database before)"
    )


def open_database(url: str, *, embedded: bool) -> Engine:
    """An engine on the hub database at ``url``, at the current schema.

    The embedded database (demos, trials) is migrated on the spot; a configured one only by
    ``wms hub migrate``, which an admin runs after a backup: SchemaMismatch says so.
    """
    if embedded:
        upgrade(url)
    else:
        check_current(url)
    return make_hub_engine(url)


def upgrade(url: str) -> tuple[str | None, str]:
    """Bring the hub database to the current schema; returns (revision before, after).

    Idempotent; refuses a database migrated by a newer wms instead of guessing.
    """
    head, current = head_revision(), database_revision(url)
    if current is not None and not _known(current):
        raise _newer(current, head)
    if current != head:
        command.upgrade(alembic_config(url), "head")
    return current, head
