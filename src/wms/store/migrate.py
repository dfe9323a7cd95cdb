"""Schema management: Alembic is the only way a store's schema is created or changed.

Opening a store only compares its revision with `REVISIONS`, without importing Alembic (which
cost a quarter of the terminal's start-up); a test holds `REVISIONS` equal to the migrations.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

import wms
from wms.store.engine import make_engine

if TYPE_CHECKING:
    from alembic.config import Config

# Every terminal-store revision, oldest first. Add each new migration here.
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")


class StoreVersionError(Exception):
    """The store's schema is not the one this version of wms works with."""


def migrations_dir() -> Path:
    """The terminal migrations: inside the installed package, or beside ``src/`` in a checkout."""
    package = Path(wms.__file__).resolve().parent
    installed = package / "_migrations" / "terminal"
    checkout = package.parents[1] / "migrations" / "terminal"
    for candidate in (installed, checkout):
        if (candidate / "env.py").exists():
            return candidate
    raise FileNotFoundError("terminal migrations not found; reinstall wms")


def alembic_config(db_path: Path) -> Config:
    """An Alembic config pointing at the store file ``db_path``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("wms.db_path", str(db_path))
    return cfg


def head_revision() -> str:
    """The revision this version of wms expects."""
    return REVISIONS[-1]


def current_revision(engine: Engine) -> str | None:
    """The revision the store is at, or None for an empty file."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError:  # no alembic_version table: nothing was ever migrated
            return None


def check_revision(engine: Engine, db_path: Path) -> None:
    """Refuse a store at another revision, saying which command fixes it."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    known = current in REVISIONS
    if current is None:
        fix = f"it is empty: run `wms db upgrade --db {db_path}`"
    elif known:
        fix = f"it is at {current}, this wms needs {head}: run `wms db upgrade --db {db_path}`"
    else:
        fix = f"it is at {current}, newer than this wms ({head}): install a newer wms"
    raise StoreVersionError(f"Store {db_path}: {fix}")


def backup(db_path: Path) -> Path:
    """Copy the store with SQLite's backup API (consistent even with a WAL) before DDL."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = db_path.with_name(f"{db_path.name}.{stamp}.bak")
    src = sqlite3.connect(db_path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def upgrade(db_path: Path, revision: str = "head") -> Path | None:
    """Migrate the store to ``revision``; an existing file is backed up first.

    SQLite DDL through pysqlite is not transactional, so a failed migration could leave a
    half-altered schema: the backup is the way back. Returns the backup's path, if any.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    saved = backup(db_path) if db_path.exists() and db_path.stat().st_size > 0 else None
    from alembic import command

    command.upgrade(alembic_config(db_path), revision)
    return saved


def downgrade(db_path: Path, revision: str) -> None:
    """Migrate the store down to ``revision`` (for developers and tests)."""
    from alembic import command

    command.downgrade(alembic_config(db_path), revision)


def open_store(db_path: Path) -> Engine:
    """Open an existing store, refusing one at another schema revision."""
    engine = make_engine(db_path)
    try:
        check_revision(engine, db_path)
    except StoreVersionError:
        engine.dispose()
        raise
    return engine
