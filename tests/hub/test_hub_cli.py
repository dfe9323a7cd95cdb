"""The commands end to end: a real `wms hub serve` on 127.0.0.1, a terminal enrolled and synced
with `wms enroll` / `wms sync`, supervisor reports, and the exit codes a timer relies on."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wms.cli import app
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.context import Context
from wms.services.receiving import Receive, receive
from wms.store.migrate import open_store

runner = CliRunner()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def hub_env(hub_db: str) -> dict[str, str]:
    """Settings of a hub on this test's database."""
    return {"WMS_HUB_DATABASE_URL": hub_db, "WMS_HUB_PORT": str(_free_port())}


@pytest.fixture
def served(hub_env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """`wms hub serve` in its own process, once it says it is listening."""
    wms = Path(sys.executable).with_name("wms")
    proc = subprocess.Popen(
        [str(wms), "hub", "serve"],
        env={**os.environ, **hub_env},
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    log: list[str] = []
    for line in proc.stderr:
        log.append(line)
        if "Uvicorn running on" in line:
            break
    else:
        pytest.fail("hub did not start:\n" + "".join(log))
    drain = threading.Thread(target=lambda: log.extend(proc.stderr or []), daemon=True)
    drain.start()
    yield proc
    proc.terminate()
    proc.wait(timeout=30)
    assert not any("Bearer" in line or "token" in line.lower() for line in log)


def test_enroll_sync_report_and_exit_codes(
    served: subprocess.Popen[str], hub_env: dict[str, str], demo_template: Path, tmp_path: Path
) -> None:
    enrolled = runner.invoke(app, ["hub", "enroll", "--warehouse", "DEMO"], env=hub_env)
    assert enrolled.exit_code == 0, enrolled.output
    code = re.search(r"code (\S+)", enrolled.output)
    assert code is not None
    store = tmp_path / "terminal.sqlite"
    shutil.copyfile(demo_template, store)
    engine = open_store(store)
    ctx = Context(engine)
    receive(ctx, logon_badge(ctx, "OP0001"), Receive(ean13(1401), 7, location="DOCK-01"))
    engine.dispose()
    url = f"http://127.0.0.1:{hub_env['WMS_HUB_PORT']}"
    joined = runner.invoke(app, ["enroll", "--hub", url, "--code", code[1], "--db", str(store)])
    assert joined.exit_code == 0, joined.output
    synced = runner.invoke(app, ["sync", "--db", str(store)])
    assert synced.exit_code == 0, synced.output
    assert "pushed 1 ops" in synced.output
    stock = runner.invoke(app, ["hub", "stock", "--sku", "SKU-01401", "--json"], env=hub_env)
    rows = [json.loads(line) for line in stock.output.splitlines()]
    assert {"location": "DOCK-01", "qty": 7} in [
        {"location": r["location"], "qty": r["qty"]} for r in rows
    ]
    devices = runner.invoke(app, ["hub", "devices", "--json"], env=hub_env)
    device = json.loads(devices.output.splitlines()[0])
    assert device["last_seq"] == 1
    assert device["last_pull"] is not None  # the sync read the feed to its end
    again = runner.invoke(app, ["sync", "--new-epoch", "--db", str(store)])  # after a restore
    assert again.exit_code == 0, again.output
    served.terminate()
    served.wait(timeout=30)
    offline = runner.invoke(app, ["sync", "--db", str(store)])
    assert offline.exit_code == 75  # hub unreachable: a timer retries later
