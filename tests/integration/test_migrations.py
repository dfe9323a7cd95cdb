"""The schema comes only from Alembic, and a store at another revision is refused."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from wms.store.migrate import (
    REVISIONS,
    StoreVersionError,
    alembic_config,
    current_revision,
    downgrade,
    head_revision,
    open_store,
    upgrade,
)


def test_empty_to_head_down_and_up_again(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    assert upgrade(db) is None  # nothing to back up yet
    engine = open_store(db)
    assert current_revision(engine) == head_revision()
    engine.dispose()
    downgrade(db, "base")
    tables = {r[0] for r in sqlite3.connect(db).execute("select name from sqlite_master")}
    assert "oplog" not in tables
    upgrade(db)
    assert "oplog" in {r[0] for r in sqlite3.connect(db).execute("select name from sqlite_master")}


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    upgrade(db)
    command.check(alembic_config(db))  # raises when a model change has no migration


def test_an_old_store_is_refused_with_the_fix(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    upgrade(db)
    downgrade(db, "base")
    with pytest.raises(StoreVersionError, match="wms db upgrade"):
        open_store(db)


def test_a_newer_store_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    upgrade(db)
    con = sqlite3.connect(db)
    con.execute("update alembic_version set version_num = 'future9'")
    con.commit()
    con.close()
    with pytest.raises(StoreVersionError, match="newer than this wms"):
        open_store(db)


def test_upgrade_backs_the_store_up_first(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    upgrade(db)
    saved = upgrade(db)
    assert saved is not None
    assert saved.exists()
    con = sqlite3.connect(saved)
    assert con.execute("select version_num from alembic_version").fetchone()[0] == head_revision()


def test_connections_are_durable(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    upgrade(db)
    engine = open_store(db)
    with engine.connect() as conn:
        pragmas = {
            p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
            for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    engine.dispose()
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 10000,
    }


def test_the_revision_list_names_every_migration_in_order() -> None:
    """Opening a store trusts REVISIONS instead of loading Alembic: it must match the scripts."""
    script = ScriptDirectory.from_config(alembic_config(Path()))
    walked = [rev.revision for rev in script.walk_revisions()]  # newest first
    assert tuple(reversed(walked)) == REVISIONS, "add the new migration to REVISIONS"


def test_opening_a_store_does_not_load_alembic(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    upgrade(db)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from wms.store.migrate import open_store\n"
        f"open_store(Path({str(db)!r})).dispose()\n"
        "print(any(m.split('.')[0] == 'alembic' for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
