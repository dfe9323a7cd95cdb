"""`wms replay`: scans and keys from a file through the workflows, headless; and the CLI never
loads Textual unless the app is started."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from tests.store_helpers import qty_at
from wms.cli import app
from wms.services.context import Context


def _store(ctx: Context) -> str:
    path = ctx.engine.url.database
    assert path is not None
    return path


def test_replay_prints_each_step_and_commits(ctx: Context, tmp_path: Path) -> None:
    script = tmp_path / "receive.txt"
    script.write_text(
        "start receive\nPO-2026-0001\n(01)02000000000015(17)280407(10)L2611\n"
        "type 2\n2000000014012\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["replay", str(script), "--operator", "OP0001", "--db", _store(ctx)]
    )
    assert result.exit_code == 0, result.output
    assert "+1 SKU-00001 (1/24)" in result.output
    assert "+2 SKU-01401 (2/10)" in result.output
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == 2


def test_replay_exits_non_zero_when_a_step_is_refused(ctx: Context, tmp_path: Path) -> None:
    script = tmp_path / "pick.txt"
    script.write_text(
        "start pick\nPT-0001\nCART-01\nTOTE0001\nA-01-01-A-1\n"
        "(01)02000000000015(17)271228(10)L2602\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["replay", str(script), "--operator", "OP0001", "--db", _store(ctx)]
    )
    assert result.exit_code == 1
    assert "[error] Pick: Scan or Enter to acknowledge | FEFO: pick lot L2601 first" in (
        result.output
    )


def test_the_cli_does_not_load_textual() -> None:
    code = "import sys, wms.cli; print(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_replay_stops_when_the_operator_cannot_log_on(ctx: Context, tmp_path: Path) -> None:
    script = tmp_path / "any.txt"
    script.write_text("start receive\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["replay", str(script), "--operator", "OP7777", "--db", _store(ctx)]
    )
    assert result.exit_code == 1
    assert "Badge OP7777 is not known here" in result.output


FEFO_PICK = (
    "start pick\nPT-0001\nCART-01\nTOTE0001\nA-01-01-A-1\n(01)02000000000015(17)271228(10)L2602\n"
    "(01)02000000000015(17)270611(10)L2601\n"
)


def test_the_line_after_a_refused_step_does_its_own_work(ctx: Context, tmp_path: Path) -> None:
    script = tmp_path / "pick.txt"
    script.write_text(FEFO_PICK, encoding="utf-8")  # the wrong lot, then the right one
    result = CliRunner().invoke(
        app, ["replay", str(script), "--operator", "OP0001", "--db", _store(ctx)]
    )
    assert result.exit_code == 1  # a step was refused all the same
    assert "FEFO: pick lot L2601 first" in result.output
    assert "Picked 1 SKU-00001" in result.output  # not spent acknowledging the error
    assert qty_at(ctx, "A-01-01-A-1", "SKU-00001", "L2601") == 39


def test_stop_on_error_feeds_nothing_after_the_first_refusal(ctx: Context, tmp_path: Path) -> None:
    script = tmp_path / "pick.txt"
    script.write_text(FEFO_PICK, encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["replay", str(script), "--operator", "OP0001", "--db", _store(ctx), "--stop-on-error"],
    )
    assert result.exit_code == 1
    assert "FEFO: pick lot L2601 first" in result.output
    assert "L2601 [" not in result.output  # line 5 was never fed
    assert qty_at(ctx, "A-01-01-A-1", "SKU-00001", "L2601") == 40


def test_a_replayed_pack_station_syncs_for_its_numbers_as_the_terminal_would(
    ctx: Context, tmp_path: Path
) -> None:
    """A terminal's first pack session asks its hub for numbers; here the hub is down, so the
    replay says so and goes on (the parcel would then be refused for want of numbers)."""
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with ctx.engine.begin() as c:
        c.execute(
            text("INSERT INTO syncstate (hub_url, token, warehouse) VALUES (:u, 'secret', 'DEMO')"),
            {"u": f"http://127.0.0.1:{port}"},
        )
    script = tmp_path / "pack.txt"
    script.write_text("start pack\nPACK-01\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["replay", str(script), "--operator", "OP0001", "--db", _store(ctx)]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].strip().startswith("sync: failed:")
    assert "hub" in lines[1]
    assert "Pack station PACK-01" in lines[2]
