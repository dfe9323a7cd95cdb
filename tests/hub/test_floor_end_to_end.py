"""The outbound floor end to end, on real parts: two orders imported at a real hub, released as
one cluster wave; a terminal syncs (its number blocks come with the pull), picks both orders
onto one cart, packs each into a parcel weighed on an MT-SICS scale on a pty, prints the labels
(decoded by zxing), loads both and closes the load; its push leaves the hub with both orders
shipped, each with its waybill, the ledger whole and nothing left in the building; the next
pull erases the consignees from the terminal."""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.hub.conftest import Terminal
from tests.hub.planning_helpers import RESERVE, RESERVE2, SHIRT, SOCKS, order_status, put_stock
from tests.hub.shipping_helpers import ledger_disagrees
from tests.hub.supervisor_helpers import supervisor_headers
from tests.store_helpers import qty_at
from tests.tui.session_helpers import run_ok
from tests.unit.test_labels_decode import gs1_elements, scan, zpl_labels
from wms.cli import app
from wms.hub.demo import load_demo_shipping
from wms.labels.labeller import Labeller
from wms.labels.settings import FilePrinterSettings, LabelSettings
from wms.scanner.scale import SCALE_PROFILES, ScaleEvent, ScaleReader, ScaleWeight
from wms.scanner.scale_simulator import PtyScale
from wms.seed.gtins import ean13
from wms.services.carts import cart_setup
from wms.workflows.menu import default_menu
from wms.workflows.printing import LabellerPort
from wms.workflows.replay import feed
from wms.workflows.session import Session

runner = CliRunner()
SHIRT_EAN, SOCKS_EAN = ean13(1402), ean13(1403)
HEADER = (
    "number,channel,shop,trade_mode,carrier,service,currency,consignee_name,consignee_phone,"
    "consignee_address,consignee_city,consignee_country,sku,qty,unit_price\n"
)


def _line(order: str, sku: str, qty: int) -> str:
    return (
        f"{order},tmall,Tmall Global,domestic,EMS,standard,CNY,Li Wei,+86 138 0013 8000,"
        f"88 Century Avenue,Shanghai,CN,{sku},{qty},59.90\n"
    )


@contextmanager
def weighing() -> Iterator[tuple[PtyScale, queue.Queue[ScaleEvent]]]:
    """An MT-SICS scale on a pty, read by the real reader; its events queued for the test."""
    events: queue.Queue[ScaleEvent] = queue.Queue()
    with PtyScale(interval=0.01) as scale:
        profile = replace(SCALE_PROFILES["mt-sics"], name="e2e", port=scale.port, usb_ids=())
        reader = ScaleReader(profile, events.put, read_timeout=0.02, retry_interval=0.05)
        reader.start()
        try:
            yield scale, events
        finally:
            reader.stop()


def _weigh(session: Session, scale: PtyScale, events: queue.Queue[ScaleEvent], grams: int) -> str:
    """Put a parcel of ``grams`` on the scale; feed the readings to the session, as the app
    does, until one closes the parcel; the result line."""
    scale.place(grams)
    while True:
        event = events.get(timeout=15)
        if isinstance(event, ScaleWeight):
            view = session.weigh(event.weighing)
            if view is not None:
                return view.result


def _decoded(zpl: Path) -> list[tuple[str, str]]:
    found = []
    for image in zpl_labels(zpl.read_text(encoding="utf-8")):
        found += scan(image)
    return found


def _released(hub: TestClient, hub_db: str, hub_engine: Engine, orders: Path) -> str:
    """The orders imported by the CLI and released as one cluster wave; its one task."""
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    args = ["hub", "import", "orders", str(orders), "--warehouse", "DEMO"]
    imported = runner.invoke(app, args, env=env)
    assert imported.exit_code == 0, imported.output
    wave = hub.post(
        "/v1/waves",
        json={"warehouse": "DEMO", "cluster_totes": 4},
        headers=supervisor_headers(hub_engine),
    )
    assert wave.status_code == 201, wave.text
    (task,) = wave.json()["tasks"]
    return str(task)


def _hub_shipped(hub: TestClient, hub_engine: Engine, parcels: dict[str, str]) -> None:
    """Both orders shipped at the hub with their parcels' waybills; nothing left inside."""
    boss = supervisor_headers(hub_engine)
    for order, (sscc, waybill) in parcels.items():
        assert order_status(hub_engine, order) == "shipped"
        shown = hub.get(f"/v1/orders/{order}", params={"warehouse": "DEMO"}, headers=boss)
        assert shown.status_code == 200, shown.text
        [parcel] = shown.json()["parcels"]
        assert (parcel["sscc"], parcel["waybill"], parcel["status"]) == (sscc, waybill, "shipped")
    with hub_engine.connect() as conn:
        assert ledger_disagrees(conn) == []
        left = conn.execute(
            text(
                "SELECT COALESCE(SUM(qty), 0) FROM on_hand WHERE warehouse = 'DEMO'"
                " AND location IN ('CART-01', 'PACK-01', 'ODOCK-01')"
            )
        ).scalar_one()
    assert left == 0


def _packed(session: Session, terminal: Terminal, labels: Path) -> dict[str, tuple[str, str]]:
    """Both totes packed, each into a parcel weighed on the scale; (SSCC, waybill) per order,
    checked against what their printed labels scan as."""
    with weighing() as (scale, events):
        feed(session, "start pack")
        run_ok(session, "PACK-01", "TOTE0001", SHIRT_EAN, SOCKS_EAN, "BOX-M")
        assert _weigh(session, scale, events, 640).endswith("· SO-F1 packed")
        scale.clear()
        run_ok(session, "TOTE0002", SHIRT_EAN, SHIRT_EAN, "BOX-M")
        assert _weigh(session, scale, events, 760).endswith("· SO-F2 packed")
    for job in session.take_jobs():
        job.send()
    with terminal.ctx.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT order_number, sscc, waybill FROM parcel WHERE packed_here")
        ).all()
    parcels = {r.order_number: (r.sscc, r.waybill) for r in rows}
    decoded = _decoded(labels)
    for sscc, waybill in parcels.values():
        assert ("]C0", waybill) in decoded  # the waybill, in Code 128
        assert [("00", sscc)] in [gs1_elements(s, t) for s, t in decoded if s == "]C1"]
    return parcels


def test_imported_orders_to_shipped_parcels_on_the_floor(
    make_terminal: Callable[[], Terminal],
    hub: TestClient,
    hub_db: str,
    hub_engine: Engine,
    tmp_path: Path,
) -> None:
    with hub_engine.begin() as conn:
        load_demo_shipping(conn)  # carriers with number ranges, SSCCs, cartons, totes
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    put_stock(hub_engine, SOCKS, RESERVE2, 5)
    orders = tmp_path / "orders.csv"
    orders.write_text(
        HEADER + _line("SO-F1", SHIRT, 1) + _line("SO-F1", SOCKS, 1) + _line("SO-F2", SHIRT, 2),
        encoding="utf-8",
    )
    task = _released(hub, hub_db, hub_engine, orders)

    terminal = make_terminal()
    labels = tmp_path / "labels.zpl"
    printer = FilePrinterSettings(name="pack", transport="file", path=labels)
    port = LabellerPort(
        Labeller(LabelSettings(default_printer="pack", printers=(printer,)), tmp_path / "lbl")
    )
    session = Session(terminal.ctx, default_menu(labels=port))
    assert feed(session, "OP0001").result == "Hello Alice Chen"
    feed(session, "start pack")  # this terminal packs: its pulls ask for number blocks
    feed(session, "key ESC")
    terminal.client().sync()
    assert [sl.order for sl in cart_setup(terminal.ctx, task).slots] == ["SO-F1", "SO-F2"]

    # Both orders on one cart: the shirts at the first bin, each into its order's tote.
    feed(session, "start pick")
    run_ok(session, task, "CART-01", "TOTE0001", "TOTE0002", RESERVE)
    run_ok(session, SHIRT_EAN, "TOTE0001", SHIRT_EAN, "TOTE0002", SHIRT_EAN, "TOTE0002")
    view = run_ok(session, RESERVE2, SOCKS_EAN, "TOTE0001")
    assert view.result == f"Picked 1 {SOCKS} into TOTE0001 · task {task} done"
    assert qty_at(terminal.ctx, "CART-01", SHIRT, container="TOTE0002") == 2

    # Packed at PACK-01, weighed on the scale; the labels print and scan back.
    parcels = _packed(session, terminal, labels)

    # Loaded at the dock and shipped.
    feed(session, "start dispatch")
    run_ok(session, "LD-E2E-1", "ODOCK-01", *(f"(00){sscc}" for sscc, _ in parcels.values()))
    view = run_ok(session, "key F4", "#YES")
    assert view.result == "Load LD-E2E-1 shipped: 2 parcels, 4 units"
    summary = terminal.client().sync()
    assert summary.exceptions == 0

    _hub_shipped(hub, hub_engine, parcels)
    with terminal.ctx.engine.connect() as conn:
        kept = conn.execute(text("SELECT COUNT(*) FROM orderconsignee")).scalar_one()
    assert kept == 0  # shipped: the terminal no longer holds who they went to
