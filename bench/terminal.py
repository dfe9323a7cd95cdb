"""The terminal app's responsiveness, against bare Textual measured the same way in the same run.

1. Scan → committed → repainted: a receiving scan posted as the reader thread posts it (a
   `ScannerMessage`), through the session, the workflow and the service (one durable SQLite
   commit), until Pilot reports the app idle with the screen updated. The bare app commits one
   row (WAL, synchronous=FULL) and updates one label per scan.
2. Process start → first interactive screen: a fresh interpreter until the log-on screen has
   been painted (headless), against an empty Textual app.

Prints one JSON object a line, ``{"bench": "terminal", ...}``.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Label

from wms.domain.scan import decode
from wms.scanner import ScanReceived
from wms.seed.setup import ensure_demo_store
from wms.services.context import Context, Settings
from wms.store.migrate import open_store
from wms.tui.app import WmsApp
from wms.tui.feedback import RecordingFeedback
from wms.tui.messages import ScannerMessage

SCANS = 300
STARTS = 5
APPAREL_EAN = "]E02000000014012"


class _Scan(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class BareApp(App[None]):
    """One label; each scan message inserts a row and commits, then updates the label."""

    def __init__(self, db: Path) -> None:
        super().__init__()
        self.conn = sqlite3.connect(db, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("CREATE TABLE IF NOT EXISTS scan (id INTEGER PRIMARY KEY, text TEXT)")

    def compose(self) -> ComposeResult:
        """One label."""
        yield Label("ready", id="last")

    def on__scan(self, message: _Scan) -> None:
        """Commit one row, show the scan."""
        self.conn.execute("BEGIN")
        self.conn.execute("INSERT INTO scan (text) VALUES (?)", (message.text,))
        self.conn.execute("COMMIT")
        self.query_one("#last", Label).update(message.text)


def _summary(name: str, samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    return {
        "bench": "terminal",
        "case": name,
        "n": len(samples),
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 3),
    }


async def _wms_latencies(store: Path) -> list[float]:
    engine = open_store(store)
    # Receiving past the PO's quantity would be refused: allow it, every scan must commit.
    ctx = Context(engine, settings=Settings(over_receipt_pct=1e9))
    app = WmsApp(ctx, None, RecordingFeedback(), flash_seconds=0)
    samples: list[float] = []
    async with app.run_test() as pilot:
        for line in ("]C0OP0001", "]C0#MENU1", "]C0PO-2026-0001"):
            await _post(pilot, app, line)
        for _ in range(SCANS):
            samples.append(await _post(pilot, app, APPAREL_EAN))
        assert "SKU-01401" in app.session.view().result
    engine.dispose()
    return samples


async def _post(pilot: Pilot[None], app: WmsApp, text: str) -> float:
    started = time.perf_counter()
    app.post_message(ScannerMessage(ScanReceived(decode(text), datetime.now(UTC))))
    await pilot.pause()
    return time.perf_counter() - started


async def _bare_latencies(db: Path) -> list[float]:
    app = BareApp(db)
    samples: list[float] = []
    async with app.run_test() as pilot:
        for n in range(SCANS):
            started = time.perf_counter()
            app.post_message(_Scan(f"scan {n}"))
            await pilot.pause()
            samples.append(time.perf_counter() - started)
    return samples


_START_WMS = """
import sys
from pathlib import Path
from wms.services.context import Context
from wms.store.migrate import open_store
from wms.tui.app import WmsApp
from wms.tui.feedback import RecordingFeedback

class Timed(WmsApp):
    def on_screen_shown(self, message):
        super().on_screen_shown(message)
        self.call_after_refresh(self.exit)

Timed(Context(open_store(Path(sys.argv[1]))), None, RecordingFeedback()).run(headless=True)
"""

_START_EMPTY = """
from textual.app import App

class Empty(App):
    def on_mount(self):
        self.call_after_refresh(self.exit)

Empty().run(headless=True)
"""


def _start_times(code: str, *args: str) -> list[float]:
    samples = []
    for _ in range(STARTS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, *args], check=True)
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    """Run every case and print one JSON line each, with the ratio to bare Textual."""
    import asyncio

    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.sqlite"
        ensure_demo_store(template).dispose()
        store = Path(tmp) / "store.sqlite"
        shutil.copyfile(template, store)
        wms = _summary("scan_to_commit_and_repaint", asyncio.run(_wms_latencies(store)))
        bare = _summary(
            "bare_textual_commit_and_label", asyncio.run(_bare_latencies(Path(tmp) / "b.db"))
        )
        wms["ratio_p50"] = round(wms["p50_ms"] / bare["p50_ms"], 2)
        print(json.dumps(bare))
        print(json.dumps(wms))
        start_bare = _summary("start_empty_textual", _start_times(_START_EMPTY))
        start_wms = _summary("start_to_logon_screen", _start_times(_START_WMS, str(store)))
        start_wms["ratio_p50"] = round(start_wms["p50_ms"] / start_bare["p50_ms"], 2)
        print(json.dumps(start_bare))
        print(json.dumps(start_wms))


if __name__ == "__main__":
    main()
