"""A store that is missing, empty, old or damaged gets one clear line from every command, and
nothing is created or backed up as if it were sound."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wms.cli import app
from wms.seed.setup import ensure_demo_store
from wms.store.migrate import StoreDamaged, downgrade, upgrade

REPLAY = ["start receive", "PO-2026-0001"]


def _damaged_store(path: Path) -> Path:
    """A seeded store with one page in the middle of the file overwritten."""
    ensure_demo_store(path).dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page, pages = (con.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_size", "page_count"))
    con.close()
    with path.open("r+b") as f:
        f.seek(page * (pages // 2))
        f.write(b"\xff" * 64)
    return path


def _replay(tmp_path: Path, store: Path) -> tuple[int, str]:
    script = tmp_path / "scans.txt"
    script.write_text("\n".join(REPLAY) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["replay", str(script), "--operator", "OP0001", "--db", str(store)]
    )
    return result.exit_code, result.output


def test_replay_with_no_store_says_so_and_creates_none(tmp_path: Path) -> None:
    store = tmp_path / "none.sqlite"
    code, output = _replay(tmp_path, store)
    assert (code, output.strip()) == (
        1,
        f"Store {store} does not exist: run `wms db upgrade --db {store}`",
    )
    assert not store.exists()


@pytest.mark.parametrize("state", ["empty", "old"])
def test_replay_with_an_empty_or_old_store_says_how_to_upgrade(tmp_path: Path, state: str) -> None:
    store = tmp_path / "s.sqlite"
    if state == "empty":
        store.touch()
    else:
        upgrade(store)
        downgrade(store, "0005")
    code, output = _replay(tmp_path, store)
    assert code == 1
    assert output.count("\n") == 1
    assert f"run `wms db upgrade --db {store}`" in output
    assert "Traceback" not in output


def test_a_damaged_store_is_reported_and_never_upgraded(tmp_path: Path) -> None:
    store = _damaged_store(tmp_path / "s.sqlite")
    runner = CliRunner()
    status = runner.invoke(app, ["db", "status", "--db", str(store)])
    assert status.exit_code == 1
    assert "damaged" in status.output
    assert "restore it from a backup" in status.output
    with pytest.raises(StoreDamaged):
        upgrade(store)
    assert list(tmp_path.glob("*.bak")) == []  # no backup of a damaged file as if sound
    upgraded = runner.invoke(app, ["db", "upgrade", "--db", str(store)])
    assert upgraded.exit_code == 1
    assert "is damaged" in upgraded.output
    code, output = _replay(tmp_path, store)
    assert code == 1
    assert "is damaged" in output


def test_a_sound_store_reports_sound(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    upgrade(store)
    status = CliRunner().invoke(app, ["db", "status", "--db", str(store)])
    assert status.exit_code == 0
    assert "sound" in status.output


def test_the_demo_store_opens_without_a_backup_and_keeps_the_last_few(tmp_path: Path) -> None:
    store = tmp_path / "demo.sqlite"
    for _ in range(2):
        ensure_demo_store(store).dispose()
    assert list(tmp_path.glob("*.bak")) == []  # at head: nothing to migrate, nothing copied
    for _ in range(5):  # five upgrades from an older schema
        downgrade(store, "0005")
        ensure_demo_store(store).dispose()
    assert len(list(tmp_path.glob("*.bak"))) == 3
