"""Schema management: Alembic is the only way a store's schema is created or changed.

Opening a store only compares its revision with `REVISIONS`, without importing Alembic (which
cost a quarter of the terminal's start-up); a test holds `REVISIONS` equal to the migrations.

A store that cannot be worked with — missing, empty, at another revision, or damaged — is
refused with one line saying which and what fixes it (`StoreVersionError` and its kinds), and
opening never creates a file. `damage` runs SQLite's ``quick_check``: `wms db status` reports
it, and `upgrade` refuses to migrate (or back up as if sound) a damaged store.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError, OperationalError

import wms
from wms.store.engine import make_engine

if TYPE_CHECKING:
    from alembic.config import Config

# Every terminal-store revision, oldest first. Add each new migration here.
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010")
BACKUPS_KEPT = 3  # by `upgrade(..., keep=...)` callers that prune, such as the demo


class StoreVersionError(Exception):
    """This wms cannot work with the store: its schema is not the one this version needs (or
    it is empty). The message is one line saying what fixes it."""


class StoreMissing(StoreVersionError):
    """There is no store file where one was expected."""


class StoreDamaged(StoreVersionError):
    """The store file is damaged: SQLite cannot read it, or its quick check finds faults."""


def damage(db_path: Path) -> str | None:
    """What SQLite's ``quick_check`` finds wrong with the store (its first finding), or None
    when the file reads as a sound database. Reads only; never creates the file."""
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA quick_check(5)").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    findings = [str(r[0]) for r in rows]
    return None if findings == ["ok"] else findings[0]


def damaged_message(db_path: Path, problem: str) -> str:
    """One line: the store is damaged, why, and what to do."""
    saved = newest_backup(db_path)
    fix = f"restore {saved}" if saved else "restore it from a backup"
    return f"Store {db_path} is damaged ({problem[:80]}): do not sync or upgrade it; {fix}"


def newest_backup(db_path: Path) -> Path | None:
    """The most recent backup `upgrade` made of this store, if any."""
    found = sorted(db_path.parent.glob(f"{db_path.name}.*.bak"))
    return found[-1] if found else None


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
    try:
        current = current_revision(engine)
    except DatabaseError as exc:  # not a database, or its schema unreadable
        raise StoreDamaged(damaged_message(db_path, str(exc.orig))) from None
    head = head_revision()
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


def backup(db_path: Path, keep: int | None = None) -> Path:
    """Copy the store with SQLite's backup API (consistent even with a WAL) before DDL;
    ``keep``: then delete all but the newest ``keep`` backups of it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = db_path.with_name(f"{db_path.name}.{stamp}.bak")
    src = sqlite3.connect(db_path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    if keep is not None:
        for old in sorted(db_path.parent.glob(f"{db_path.name}.*.bak"))[:-keep]:
            old.unlink()
    return target


def upgrade(db_path: Path, revision: str = "head", *, keep: int | None = None) -> Path | None:
    """Migrate the store to ``revision``; an existing file is backed up first (``keep``: and
    only the newest ``keep`` backups kept). A damaged store is refused (`StoreDamaged`): a
    backup of it would be no way back.

    SQLite DDL through pysqlite is not transactional, so a failed migration could leave a
    half-altered schema: the backup is the way back. Returns the backup's path, if any.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    saved = None
    if db_path.exists() and db_path.stat().st_size > 0:
        problem = damage(db_path)
        if problem is not None:
            raise StoreDamaged(damaged_message(db_path, problem))
        saved = backup(db_path, keep)
    from alembic import command

    command.upgrade(alembic_config(db_path), revision)
    return saved


def downgrade(db_path: Path, revision: str) -> None:
    """Migrate the store down to ``revision`` (for developers and tests)."""
    from alembic import command

    command.downgrade(alembic_config(db_path), revision)


def open_store(db_path: Path) -> Engine:
    """Open an existing store, refusing one that is missing (no file is created), empty, at
    another schema revision or unreadable."""
    if not db_path.is_file():
        raise StoreMissing(f"Store {db_path} does not exist: run `wms db upgrade --db {db_path}`")
    engine = make_engine(db_path)
    try:
        check_revision(engine, db_path)
    except StoreVersionError:
        engine.dispose()
        raise
    return engine


def at_head(db_path: Path) -> bool:
    """True when the store exists at this version's schema; raises StoreDamaged when it
    cannot be read."""
    try:
        open_store(db_path).dispose()
    except StoreDamaged:
        raise
    except StoreVersionError:
        return False
    return True
