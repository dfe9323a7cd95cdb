"""Starting the terminal app: the configured store and scanner, or the demo with its simulated
scanner. Called by `wms terminal` and `wms demo`, which import this module lazily so that
`wms --help` never loads Textual."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from wms.labels.labeller import Labeller
from wms.labels.settings import FilePrinterSettings, LabelSettings
from wms.scanner import load_profile
from wms.scanner.simulator import PtyScanner
from wms.seed.demo import OPERATORS
from wms.seed.setup import ensure_demo_store
from wms.services.context import Context
from wms.store.migrate import open_store
from wms.sync.client import sync_once
from wms.tui.app import WmsApp
from wms.workflows.printing import LabellerPort


def run_terminal(
    db_path: Path, profile: str, idle_lock_seconds: float, sync_interval_seconds: float
) -> None:
    """Run the app on the store at ``db_path`` with the scanner ``profile`` (name or .toml),
    printing labels with the terminal's label settings and syncing with its hub every
    ``sync_interval_seconds`` (0: only when asked)."""
    engine = open_store(db_path)
    labels = LabellerPort(Labeller())
    try:
        app = WmsApp(
            Context(engine),
            load_profile(profile),
            labels=labels,
            idle_lock_seconds=idle_lock_seconds,
            sync_runner=partial(sync_once, engine),
            sync_interval_seconds=sync_interval_seconds,
        )
        app.run()
    finally:
        engine.dispose()


def demo_labels(directory: Path) -> LabellerPort:
    """The demo's labels: ZPL appended to ``labels.zpl`` beside the demo store, counters there."""
    printer = FilePrinterSettings(name="demo", transport="file", path=directory / "labels.zpl")
    settings = LabelSettings(default_printer="demo", printers=(printer,))
    return LabellerPort(Labeller(settings, directory / "demo-labels"))


def run_demo(db_path: Path) -> None:
    """Run the app on the demo store, reading a simulated scanner through the real serial path;
    F2 lists barcodes to scan at each step."""
    engine = ensure_demo_store(db_path)
    note = tuple(f"{o.badge} or {o.code}+{o.pin} {o.name.split()[0]}" for o in OPERATORS)
    try:
        with PtyScanner() as scanner:
            profile = replace(load_profile("wms"), name="demo", port=scanner.port, usb_ids=())
            app = WmsApp(
                Context(engine),
                profile,
                demo=scanner,
                labels=demo_labels(db_path.parent),
                logon_note=("Demo: F2 opens the demo scanner", *note),
            )
            app.run()
    finally:
        engine.dispose()
