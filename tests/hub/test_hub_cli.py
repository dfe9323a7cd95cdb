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
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from wms.cli import app
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.context import Context
from wms.services.receiving import Receive, receive
from wms.store.migrate import open_store
from wms.sync.lock import sync_lock

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


def _terminal_store(demo_template: Path, tmp_path: Path, units: int) -> Path:
    """A copy of the demo store with ``units`` received at the dock, queued for the hub."""
    store = tmp_path / "terminal.sqlite"
    shutil.copyfile(demo_template, store)
    engine = open_store(store)
    ctx = Context(engine)
    receive(ctx, logon_badge(ctx, "OP0001"), Receive(ean13(1401), units, location="DOCK-01"))
    engine.dispose()
    return store


def _status(store: Path) -> dict[str, object]:
    shown = runner.invoke(app, ["sync", "status", "--json", "--db", str(store)])
    assert shown.exit_code == 0, shown.output
    found: dict[str, object] = json.loads(shown.output)
    return found


def test_a_revoked_terminal_enrolled_again_as_documented_sends_its_queued_ops(
    served: subprocess.Popen[str], hub_env: dict[str, str], demo_template: Path, tmp_path: Path
) -> None:
    """hardware/SYNC.md, "A terminal enrolled again", step by step."""
    url = f"http://127.0.0.1:{hub_env['WMS_HUB_PORT']}"
    store = _terminal_store(demo_template, tmp_path, 3)
    first = runner.invoke(app, ["hub", "enroll", "--warehouse", "DEMO", "--json"], env=hub_env)
    code = json.loads(first.output)["code"]
    joined = runner.invoke(
        app, ["enroll", "--hub", url, "--code", code, "--db", str(store), "--json"]
    )
    assert joined.exit_code == 0, joined.output
    old = json.loads(joined.output)["device"]
    assert runner.invoke(app, ["sync", "--db", str(store)]).exit_code == 0
    engine = open_store(store)
    ctx = Context(engine)
    receive(ctx, logon_badge(ctx, "OP0001"), Receive(ean13(1401), 4, location="DOCK-01"))
    engine.dispose()
    assert runner.invoke(app, ["hub", "revoke", str(old)], env=hub_env).exit_code == 0
    refused = runner.invoke(app, ["sync", "--db", str(store)])
    assert refused.exit_code == 77
    assert f"--replaces {old}" in refused.output
    assert _status(store)["queued"] == 1
    again = runner.invoke(
        app,
        ["hub", "enroll", "--warehouse", "DEMO", "--replaces", str(old), "--json"],
        env=hub_env,
    )
    assert again.exit_code == 0, again.output
    replacing = json.loads(again.output)
    assert replacing["replaces"] == old
    rejoined = runner.invoke(
        app, ["enroll", "--hub", url, "--code", replacing["code"], "--db", str(store)]
    )
    assert rejoined.exit_code == 0, rejoined.output
    synced = runner.invoke(app, ["sync", "--db", str(store)])
    assert synced.exit_code == 0, synced.output
    assert "pushed 1 ops" in synced.output
    status = _status(store)
    assert (status["device"], status["queued"], status["hub"]) == (replacing["device"], 0, url)
    assert status["last_push"] is not None
    assert status["last_pull"] is not None
    assert status["full_read_pending"] is False
    listed = runner.invoke(app, ["hub", "devices", "--json"], env=hub_env)
    by_id = {d["id"]: d for d in map(json.loads, listed.output.splitlines())}
    assert by_id[replacing["device"]]["replaces"] == old
    assert by_id[replacing["device"]]["last_seq"] == 2  # the old device's stream is its own now
    assert by_id[old]["revoked"] is True
    stock = runner.invoke(app, ["hub", "stock", "--sku", "SKU-01401", "--json"], env=hub_env)
    dock = [json.loads(line) for line in stock.output.splitlines()]
    assert [r["qty"] for r in dock if r["location"] == "DOCK-01"] == [7]


@contextmanager
def _web_page() -> Iterator[str]:
    """Some web server on 127.0.0.1 that answers every request with a page."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html>It works!</html>")

        def log_message(self, *_: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_terminal_follows_its_hub_to_a_new_address_without_enrolling_again(
    served: subprocess.Popen[str], hub_env: dict[str, str], demo_template: Path, tmp_path: Path
) -> None:
    port = hub_env["WMS_HUB_PORT"]
    store = _terminal_store(demo_template, tmp_path, 2)
    code = json.loads(
        runner.invoke(app, ["hub", "enroll", "--warehouse", "DEMO", "--json"], env=hub_env).output
    )["code"]
    old_url, new_url = f"http://localhost:{port}", f"http://127.0.0.1:{port}"
    joined = runner.invoke(app, ["enroll", "--hub", old_url, "--code", code, "--db", str(store)])
    assert joined.exit_code == 0, joined.output
    assert _status(store)["hub"] == old_url
    nowhere = f"http://127.0.0.1:{_free_port()}"
    wrong = runner.invoke(app, ["sync", "set-hub", nowhere, "--db", str(store)])
    assert wrong.exit_code == 75  # nothing answers there: the old address is kept
    with _web_page() as page:  # something answers, but not a hub
        other = runner.invoke(app, ["sync", "set-hub", page, "--db", str(store)])
    assert other.exit_code == 75
    assert "not as a wms hub does" in other.output
    assert _status(store)["hub"] == old_url
    moved = runner.invoke(app, ["sync", "set-hub", new_url, "--db", str(store)])
    assert moved.exit_code == 0, moved.output
    assert _status(store)["hub"] == new_url
    assert _status(store)["queued"] == 1  # the queue waited for the hub
    synced = runner.invoke(app, ["sync", "--db", str(store)])
    assert synced.exit_code == 0, synced.output
    assert "pushed 1 ops" in synced.output


def _point_at(store: Path, url: str) -> None:
    """Enrolled, as far as the store knows, with a hub at ``url``."""
    engine = open_store(store)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO syncstate (hub_url, token, warehouse) VALUES (:u, 'secret', 'DEMO')"),
            {"u": url},
        )
    engine.dispose()


def test_a_second_sync_of_a_store_exits_79_and_the_status_never_shows_the_token(
    demo_template: Path, tmp_path: Path
) -> None:
    store = _terminal_store(demo_template, tmp_path, 1)
    _point_at(store, f"http://127.0.0.1:{_free_port()}")
    engine = open_store(store)
    with sync_lock(engine):  # the app's background sync holds the store
        busy = runner.invoke(app, ["sync", "--wait", "0", "--db", str(store)])
        enrolling = runner.invoke(
            app, ["enroll", "--hub", "http://x", "--code", "ABCD-EFGH", "--db", str(store)]
        )
    engine.dispose()
    assert busy.exit_code == 79
    assert "another sync of this store is running" in busy.output
    assert enrolling.exit_code == 79
    shown = runner.invoke(app, ["sync", "status", "--db", str(store)])
    assert shown.exit_code == 0
    assert "Queued ops:        1" in shown.output
    assert "Full read pending: yes" in shown.output
    assert "secret" not in shown.output
    assert (
        "secret" not in runner.invoke(app, ["sync", "status", "--json", "--db", str(store)]).output
    )


def test_a_black_holed_hub_fails_the_sync_after_the_timeout(
    demo_template: Path, tmp_path: Path
) -> None:
    store = _terminal_store(demo_template, tmp_path, 1)
    with socket.socket() as hole:  # accepts connections, never answers
        hole.bind(("127.0.0.1", 0))
        hole.listen()
        _point_at(store, f"http://127.0.0.1:{hole.getsockname()[1]}")
        stuck = runner.invoke(app, ["sync", "--timeout", "1", "--db", str(store)])
    assert stuck.exit_code == 75
    assert "hub unreachable: ReadTimeout" in stuck.output
    assert _status(store)["queued"] == 1


def test_serve_takes_its_port_and_data_dir_and_names_every_setting(tmp_path: Path) -> None:
    shown = runner.invoke(app, ["hub", "serve", "--help"])
    for setting in (
        "DATABASE_URL",
        "DATA_DIR",
        "PORT",
        "MAX_BODY_BYTES",
        "ENROL_CODE_MINUTES",
        "WEBHOOK_POLL_SECONDS",
        "WEBHOOK_TIMEOUT_SECONDS",
    ):
        assert setting in shown.output
    port, data = _free_port(), tmp_path / "hub-data"
    wms = Path(sys.executable).with_name("wms")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WMS_HUB_")}
    proc = subprocess.Popen(
        [str(wms), "hub", "serve", "--port", str(port), "--data-dir", str(data)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        log: list[str] = []
        for line in proc.stderr:
            log.append(line)
            if "Uvicorn running on" in line:
                assert f"127.0.0.1:{port}" in line
                break
        else:
            pytest.fail("hub did not start:\n" + "".join(log))
        with httpx.Client() as http:
            assert http.get(f"http://127.0.0.1:{port}/v1/health").json() == {"status": "ok"}
        assert (data / "PG_VERSION").exists()  # the embedded database lives where it was told
    finally:
        proc.terminate()
        proc.wait(timeout=60)
