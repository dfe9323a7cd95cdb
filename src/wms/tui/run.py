"""Starting the terminal app: the configured store and scanner, or the demo with its simulated
scanner. Called by `wms terminal` and `wms demo`, which import this module lazily so that
`wms --help` never loads Textual.

Only Textual and the TUI load before the log-on screen: the store, the services, the label
printer and the sync client load on the app's opener thread (`open_terminal`), or later still.
"""

from __future__ import annotations

import logging
import logging.handlers
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from wms.scanner import load_profile
from wms.tui.app import WmsApp
from wms.tui.backend import Backend

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from wms.workflows.info import SyncProgress
    from wms.workflows.printing import LabellerPort
    from wms.workflows.settings import SettingsFiles


def open_terminal(db_path: Path) -> Backend:
    """Open the store at ``db_path`` (refusing one at another schema revision), with the
    terminal's label printer, its hub sync and task leases: the app's opener, run on its worker
    thread."""
    from wms.labels.labeller import Labeller
    from wms.services.context import Context
    from wms.store.migrate import open_store
    from wms.sync.booking import HubBooking
    from wms.sync.claims import HubClaims
    from wms.workflows.printing import LabellerPort
    from wms.workflows.settings import SettingsFiles

    engine = open_store(db_path)
    labeller = Labeller()
    sync = partial(_sync, engine)
    claims = HubClaims(engine)
    booking = HubBooking(engine)
    return Backend(
        Context(engine), LabellerPort(labeller), sync, labeller, SettingsFiles(), claims, booking
    )


def _sync(engine: Engine, progress: SyncProgress | None) -> str:
    # The sync client (httpx) loads with the first sync, on that sync's worker thread.
    from wms.sync.client import sync_once

    return sync_once(engine, progress)


def log_to_file(path: Path) -> None:
    """Send the terminal's log (the tracebacks of internal errors) to ``path``, rotated: the
    app owns the screen, so nothing may go to stderr."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("wms")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def run_terminal(
    db_path: Path,
    profile: str | None,
    idle_lock_seconds: float,
    sync_interval_seconds: float,
    scale: str | None = None,
) -> None:
    """Run the app on the store at ``db_path`` with the scanner ``profile`` (name or .toml;
    None: the one saved on the Settings screen, else ``wms``), printing labels with the
    terminal's label settings and syncing with its hub every ``sync_interval_seconds`` (0: only
    when asked); ``scale``: the pack station's scale profile (None: none). The log goes to
    ``terminal.log`` beside the store."""
    from wms.scanner.scale import load_scale_profile
    from wms.workflows.settings import saved_scanner

    log_to_file(db_path.parent / "terminal.log")
    app = WmsApp(
        partial(open_terminal, db_path),
        load_profile(profile or saved_scanner() or "wms"),
        scale=load_scale_profile(scale) if scale else None,
        idle_lock_seconds=idle_lock_seconds,
        sync_interval_seconds=sync_interval_seconds,
    )
    try:
        app.run()
    finally:
        _close(app)


def demo_settings(directory: Path) -> SettingsFiles:
    """The demo's settings files, beside the demo store: the demo never touches real ones."""
    from wms.workflows.settings import SettingsFiles

    return SettingsFiles(directory / "demo-labels.toml", directory / "demo-terminal.toml")


def demo_labels(directory: Path) -> LabellerPort:
    """The demo's labels: ZPL appended to ``labels.zpl`` beside the demo store, counters there,
    unless a printer was chosen on the demo's Settings screen."""
    from wms.labels.labeller import Labeller
    from wms.labels.settings import FilePrinterSettings, LabelSettings, load_settings
    from wms.workflows.printing import LabellerPort

    saved = demo_settings(directory).labels
    printer = FilePrinterSettings(name="demo", transport="file", path=directory / "labels.zpl")
    settings = (
        load_settings(saved)
        if saved.exists()
        else LabelSettings(default_printer="demo", printers=(printer,))
    )
    return LabellerPort(Labeller(settings, directory / "demo-labels"))


def open_demo(db_path: Path) -> Backend:
    """Open the demo store at ``db_path``, creating and seeding it on first use, with the demo's
    labels: the demo app's opener."""
    from wms.seed.floor import stage_demo_floor
    from wms.seed.setup import ensure_demo_store
    from wms.services.context import Context

    engine = ensure_demo_store(db_path)
    stage_demo_floor(engine)
    labels = demo_labels(db_path.parent)
    files = demo_settings(db_path.parent)
    return Backend(Context(engine), labels, None, labels.labeller, files)


def run_demo(db_path: Path) -> None:
    """Run the app on the demo store, reading a simulated scanner and a simulated MT-SICS scale
    through the real serial path; F2 lists barcodes to scan (and parcels to weigh) at each
    step."""
    from wms.scanner.scale import SCALE_PROFILES
    from wms.scanner.scale_simulator import PtyScale
    from wms.scanner.simulator import PtyScanner
    from wms.seed.demo import OPERATORS

    note = tuple(f"{o.badge} or {o.code}+{o.pin} {o.name.split()[0]}" for o in OPERATORS)
    log_to_file(db_path.parent / "demo.log")
    with PtyScanner() as scanner, PtyScale() as scale:
        profile = replace(load_profile("wms"), name="demo", port=scanner.port, usb_ids=())
        on_scale = replace(SCALE_PROFILES["mt-sics"], name="demo", port=scale.port, usb_ids=())
        app = WmsApp(
            partial(open_demo, db_path),
            profile,
            demo=scanner,
            scale=on_scale,
            demo_scale=scale,
            logon_note=("Demo: F2 opens the demo scanner", *note),
        )
        try:
            app.run()
        finally:
            _close(app)


def _close(app: WmsApp) -> None:
    if app.backend is not None:
        app.backend.ctx.engine.dispose()
