"""The pack station's latency, on the demo warehouse plus the scale seed (1M products, 100k bins;
--products/--locations), against bare Textual measured the same way in the same run.

1. Item scan → checked → repainted: a product scan at the pack station posted as the reader
   thread posts it, through the session and the pack workflow (the product looked up, the item
   checked against what the order's tote holds, what is still missing worked out) until the
   screen has been repainted. The bare app commits one row and updates one label per scan
   (bench/terminal.py's baseline, timed the same way).
2. Last item scan → parcel closed and its label rendered: the parcel's last item scanned,
   #DONE (parcel full; the order's very last item needs none), the carton scanned, a moving
   and then the settled reading of the scale arriving as the scale reader posts them; the
   parcel closed (its SSCC and waybill from this terminal's number blocks, one ``pack`` op, one
   durable commit), until the label job has rendered the 100 x 150 mm ZPL label and written it
   to the printer (a file). Counted: the sum of each input's latency (posted → repainted; the
   last, posted → label written). The operator's own time between the inputs is not: each is
   posted once the screen has settled after the one before it. No carrier is called: the
   carrier's numbers come from a pool.

Prints one JSON object a line, ``{"bench": "packing", ...}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

sys.path.insert(0, str(Path(__file__).parent))  # run as a script: bench/terminal.py's baseline

from terminal import BareApp, Painted, _Scan
from wms.domain.kinds import StockStatus
from wms.domain.packing import Weighing
from wms.domain.scan import decode
from wms.labels.labeller import Labeller
from wms.labels.settings import FilePrinterSettings, LabelSettings
from wms.scanner import ScanReceived
from wms.scanner.scale import ScaleWeight
from wms.seed.floor import stage_demo_floor
from wms.seed.scale import seed_scale
from wms.seed.setup import ensure_demo_store
from wms.services.context import Context
from wms.services.packing import LabelFacts
from wms.store.journal import StockKey, cursor, post_stock
from wms.store.migrate import open_store
from wms.store.uow import UnitOfWork
from wms.tui.app import WmsApp
from wms.tui.feedback import RecordingFeedback
from wms.tui.messages import ScaleMessage, ScannerMessage
from wms.workflows.printing import LabellerPort

PARCELS = 40
PER_PARCEL = 5  # items scanned into each parcel
ORDER, TOTE, CART = "SO-BENCH", "TOTE0020", "CART-03"
SHIRT, SHIRT_EAN, SHIRT_G = "SKU-01401", "]E02000000014012", 250
BOX_M_TARE = 220


class TimedLabels(LabellerPort):
    """The terminal's label printer, telling when a shipping label has been rendered and
    written (on the label job's worker thread)."""

    def __init__(self, labeller: Labeller) -> None:
        super().__init__(labeller)
        self.printed = threading.Event()
        self.at = 0.0

    def print_shipping(self, facts: LabelFacts) -> None:
        """Render and send, then mark the moment."""
        super().print_shipping(facts)
        self.at = time.perf_counter()
        self.printed.set()


class TimedWmsApp(WmsApp):
    """The app, telling when the screen has been repainted after each input it handled."""

    painted = Painted()

    def on_scanner_message(self, message: ScannerMessage) -> None:
        """Runs with WmsApp's own handler (Textual calls the handlers of the whole MRO)."""
        self.call_after_refresh(self.painted.mark)

    def on_scale_message(self, message: ScaleMessage) -> None:
        """As for a scan."""
        self.call_after_refresh(self.painted.mark)


def _summary(name: str, samples: list[float], **extra: Any) -> dict[str, Any]:
    ordered = sorted(samples)
    return {
        "bench": "packing",
        "case": name,
        "n": len(samples),
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000, 3),
        **extra,
    }


def _stage_order(engine: Any) -> None:
    """SO-BENCH: PARCELS x PER_PARCEL shirts, picked into a tote on a cart."""
    units = PARCELS * PER_PARCEL
    with UnitOfWork(engine) as uow:
        s = uow.session
        cur = cursor(s)
        cur.execute(
            "INSERT INTO outboundorder (number, kind, customer, status, carrier, service)"
            " VALUES (?, 'domestic', 'Bench shop', 'picked', 'SF', 'standard')",
            (ORDER,),
        )
        order = cur.execute("SELECT id FROM outboundorder WHERE number = ?", (ORDER,)).fetchone()
        product = cur.execute("SELECT id FROM product WHERE sku = ?", (SHIRT,)).fetchone()[0]
        cur.execute(
            "INSERT INTO outboundline (order_id, line_no, product_id, qty, picked_qty)"
            " VALUES (?, 1, ?, ?, ?)",
            (order[0], product, units, units),
        )
        cur.execute(
            "INSERT INTO orderconsignee (order_id, name, phone, address, city, country)"
            " VALUES (?, 'Li Wei', '+86 138 0013 8000', '[\"88 Century Avenue\"]', 'Shanghai',"
            " 'CN')",
            (order[0],),
        )
        cart = cur.execute("SELECT id FROM location WHERE code = ?", (CART,)).fetchone()[0]
        tote = cur.execute("SELECT id FROM container WHERE code = ?", (TOTE,)).fetchone()[0]
        cur.execute("UPDATE container SET location_id = ? WHERE id = ?", (cart, tote))
        key = StockKey(product, cart, None, tote, StockStatus.AVAILABLE)
        post_stock(s, 0, key, units, datetime.now(UTC))
        cur.execute(
            "INSERT INTO toterecord (code, order_number, task, cart) VALUES (?, ?, 'PT-B', ?)",
            (TOTE, ORDER, CART),
        )
        # Blocks as large as the run needs (a hub hands out 100 at a time).
        cur.execute("UPDATE numberblock SET last = first + 10000")
        uow.commit()


async def _post(pilot: Pilot[None], app: Any, message: Any) -> float:
    started = time.perf_counter()
    app.post_message(message)
    painted = await app.painted.wait() - started
    await pilot.pause()  # settle before the next input, as an operator's next scan is later
    return painted


def _step(app: Any) -> str:
    view = app.session.view() if app.session else None
    return view.step if view else ""


def _scan(text: str) -> ScannerMessage:
    return ScannerMessage(ScanReceived(decode(text), datetime.now(UTC)))


async def _packing(store: Path, labels_dir: Path) -> tuple[list[float], list[float]]:
    engine = open_store(store)
    printer = FilePrinterSettings(name="pack", transport="file", path=labels_dir / "labels.zpl")
    labels = TimedLabels(
        Labeller(LabelSettings(default_printer="pack", printers=(printer,)), labels_dir)
    )
    app = TimedWmsApp(Context(engine), None, RecordingFeedback(), labels=labels, flash_seconds=0)
    TimedWmsApp.painted = Painted()
    items: list[float] = []
    closes: list[float] = []
    grams = PER_PARCEL * SHIRT_G + BOX_M_TARE
    async with app.run_test() as pilot:
        for line in ("]C0OP0001", "]C0#MENU9", "]C0PACK-01", f"]C0{TOTE}"):
            await _post(pilot, app, _scan(line))
        for _ in range(PARCELS):
            for _ in range(PER_PARCEL - 1):
                items.append(await _post(pilot, app, _scan(SHIRT_EAN)))
            # Each input's own latency (posted → repainted) counts, the pauses between not.
            busy = await _post(pilot, app, _scan(SHIRT_EAN))  # the last item of this parcel
            if _step(app) == "items":  # the order's last item leads to the carton by itself
                busy += await _post(pilot, app, _scan("]C0#DONE"))  # parcel full: the carton
            busy += await _post(pilot, app, _scan("]C0BOX-M"))
            moving = ScaleMessage(ScaleWeight(Weighing(grams, stable=False)))
            busy += await _post(pilot, app, moving)
            labels.printed.clear()
            started = time.perf_counter()
            await _post(pilot, app, ScaleMessage(ScaleWeight(Weighing(grams, stable=True))))
            await asyncio.to_thread(labels.printed.wait, 30)
            closes.append(busy + labels.at - started)
            await _post(pilot, app, ScaleMessage(ScaleWeight(Weighing(0, stable=True))))
        view = app.session.view() if app.session else None
        assert view is not None, "no session"
        assert "closed" in view.result or view.step == "items", view.result
    engine.dispose()
    return items, closes


async def _bare_latencies(db: Path, n: int) -> list[float]:
    app = BareApp(db)
    samples: list[float] = []
    async with app.run_test() as pilot:
        for k in range(n):
            samples.append(await _post(pilot, app, _Scan(f"scan {k}")))
    return samples


def main() -> None:
    """Run both cases and the bare loop; one JSON line each, with ratios to the bare loop."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=1_000_000)
    ap.add_argument("--locations", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store.sqlite"
        engine = ensure_demo_store(store)
        seed_scale(engine, args.products, args.locations)
        stage_demo_floor(engine)
        _stage_order(engine)
        engine.dispose()
        seeded = {"products": args.products, "locations": args.locations}
        print(json.dumps({"bench": "packing", "case": "setup", **seeded}))
        items, closes = asyncio.run(_packing(store, Path(tmp)))
        bare = asyncio.run(_bare_latencies(Path(tmp) / "bare.sqlite", len(items)))
        base = _summary("bare_textual_commit_and_repaint", bare)
        item = _summary("item_scan_to_repaint", items)
        item["ratio_p50"] = round(item["p50_ms"] / base["p50_ms"], 2)
        item["ratio_p99"] = round(item["p99_ms"] / base["p99_ms"], 2)
        close = _summary("last_item_to_parcel_closed_and_label_rendered", closes)
        close["ratio_p50"] = round(close["p50_ms"] / base["p50_ms"], 2)
        for line in (base, item, close):
            print(json.dumps(line))


if __name__ == "__main__":
    main()
