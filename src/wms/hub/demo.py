"""The demo warehouse at the hub: the very rows ``wms demo`` seeds, so codes agree everywhere.

The seed writes a terminal store; the hub copies master data and opening stock out of one.
``wms hub serve --demo`` also takes a few customer orders, ready to be released as a wave, and
sets up the outbound floor: carriers with number ranges, parcel SSCCs, cartons and totes.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from wms.domain.waybills import WaybillFormat
from wms.hub.documents import save
from wms.hub.feed import Emit, emit
from wms.hub.master import ensure_warehouse, stock_key, upsert
from wms.hub.planning.intake import take_orders
from wms.hub.planning.orders import ConsigneeIn, OrderIn, OrderLineIn
from wms.hub.shipping.carriers import add_carrier
from wms.hub.shipping.numbers import add_sscc_pool, add_waybill_range
from wms.seed.setup import ensure_demo_store

_QUERIES = {
    "product": "SELECT sku, name, tracking, shelf_life_days, min_remaining_days,"
    " short_shelf_life_action, removal_margin_days, customs_controlled, supplier FROM product",
    "barcode": "SELECT b.code, p.sku, b.kind, b.pack_qty FROM productbarcode b"
    " JOIN product p ON p.id = b.product_id",
    "location": "SELECT code, zone, aisle, bay, level, position, type, capacity,"
    " pick_sequence, blocked FROM location",
    "operator": "SELECT code, badge, name, role, pin_hash, active FROM operator",
    "lot": "SELECT p.sku, l.code, l.expiry FROM lot l JOIN product p ON p.id = l.product_id",
}
_STOCK = (
    "SELECT p.sku, loc.code AS location, COALESCE(lot.code, '') AS lot, '' AS container,"
    " o.status, o.qty, (SELECT MIN(at) FROM stockledger) || '+00:00' AS at FROM onhand o"
    " JOIN product p ON p.id = o.product_id JOIN location loc ON loc.id = o.location_id"
    " LEFT JOIN lot ON lot.id = o.lot_id"
)
_BOOL = {"customs_controlled", "blocked", "active"}
# (kind, header query, lines query keyed by the header's id)
_DOCUMENTS = [
    (
        "receipt",
        "SELECT d.id, d.number, d.kind, d.supplier, d.expected_date, dock.code AS dock,"
        " d.customs_declaration FROM inbounddocument d LEFT JOIN location dock"
        " ON dock.id = d.dock_id",
        "SELECT l.line_no, p.sku, l.expected_qty FROM inboundline l"
        " JOIN product p ON p.id = l.product_id WHERE l.document_id = :id ORDER BY l.line_no",
    ),
    (
        "order",
        "SELECT id, number, kind, customer FROM outboundorder",
        "SELECT l.line_no, p.sku, l.qty FROM outboundline l JOIN product p"
        " ON p.id = l.product_id WHERE l.order_id = :id ORDER BY l.line_no",
    ),
    (
        "pick_task",
        "SELECT t.id, t.number, o.number AS order_number FROM picktask t"
        " JOIN outboundorder o ON o.id = t.order_id",
        "SELECT l.seq, ol.line_no AS order_line, p.sku, loc.code AS location, l.qty"
        " FROM picktaskline l JOIN outboundline ol ON ol.id = l.order_line_id"
        " JOIN product p ON p.id = l.product_id JOIN location loc ON loc.id = l.location_id"
        " WHERE l.task_id = :id ORDER BY l.seq",
    ),
    (
        "count_task",
        "SELECT c.id, c.number, loc.code AS location, p.sku FROM counttask c"
        " JOIN location loc ON loc.id = c.location_id LEFT JOIN product p ON p.id = c.product_id",
        "",
    ),
]


def _documents(conn: Connection) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for kind, header, lines in _DOCUMENTS:
        for h in conn.execute(text(header)).all():
            body = {k: (str(v) if k == "expected_date" and v else v) for k, v in h._mapping.items()}
            doc_id = body.pop("id")
            if lines:
                rows = conn.execute(text(lines), {"id": doc_id})
                body["lines"] = [dict(r._mapping) for r in rows]
            out.append((kind, body))
    return out


Rows = list[dict[str, Any]]


def demo_rows() -> tuple[str, dict[str, Rows], Rows, list[tuple[str, dict[str, Any]]]]:
    """(warehouse, master rows per kind, opening stock, documents) of the seeded demo."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = ensure_demo_store(Path(tmp) / "demo.sqlite")
        with engine.connect() as conn:
            wh = str(conn.execute(text("SELECT code FROM warehouse")).scalar_one())
            masters = {
                kind: [
                    {k: (bool(v) if k in _BOOL else v) for k, v in r._mapping.items()}
                    for r in conn.execute(text(sql))
                ]
                for kind, sql in _QUERIES.items()
            }
            stock = [dict(r._mapping) for r in conn.execute(text(_STOCK))]
            documents = _documents(conn)
        engine.dispose()
    return wh, masters, stock, documents


def load_demo(conn: Connection) -> str:
    """Load the demo warehouse into an empty hub (idempotent for master data); its code."""
    wh, masters, stock, documents = demo_rows()
    ensure_warehouse(conn, wh, "Qianhai cross-border warehouse")
    for kind, rows in masters.items():
        upsert(conn, kind, rows, wh)
    for r in stock:
        conn.execute(
            text(
                "INSERT INTO ledger (warehouse, sku, location, lot, container, status, delta,"
                " occurred_at) VALUES (:w, :sku, :location, :lot, :container, :status, :qty, :at)"
            ),
            {**r, "w": wh},
        )
        conn.execute(
            text(
                "INSERT INTO on_hand (warehouse, sku, location, lot, container, status, qty)"
                " VALUES (:w, :sku, :location, :lot, :container, :status, :qty)"
                " ON CONFLICT DO NOTHING"
            ),
            {**r, "w": wh},
        )
    emit(
        conn,
        (
            Emit(
                wh,
                "stock",
                stock_key(r["sku"], r["location"], r["lot"], "", r["status"]),
                {k: r[k] for k in ("sku", "location", "lot", "container", "status", "qty")},
            )
            for r in stock
        ),
    )
    for kind, body in documents:
        save(conn, wh, kind, body)
    return wh


# Products the seeded demo tasks pick: demo orders leave them alone.
_SCRIPTED = ("SKU-00001", "SKU-00002", "SKU-00301", "SKU-01401")
_DEMO_CONSIGNEE = {
    "name": "Demo Consignee",
    "phone": "+86 755 0000 0000",
    "address": "1 Qianhai Road, Nanshan",
    "city": "Shenzhen",
    "country": "CN",
}


def load_demo_orders(conn: Connection, warehouse: str = "DEMO") -> list[str]:
    """Take six demo orders of products the warehouse has in stock (two carriers, one urgent),
    as a shop would post them; their numbers. Idempotent."""
    skus = list(
        conn.scalars(
            text(
                "SELECT sku FROM on_hand WHERE warehouse = :w AND status = 'available'"
                " AND lot = '' AND container = '' AND qty >= 6"
                " AND NOT sku = ANY(CAST(:scripted AS text[])) ORDER BY sku LIMIT 9"
            ),
            {"w": warehouse, "scripted": list(_SCRIPTED)},
        )
    )
    orders = [
        OrderIn(
            number=f"SO-2026-01{n:02d}",
            warehouse=warehouse,
            shop="Tmall Global demo shop",
            carrier="YTO" if n % 3 == 0 else "SF",
            priority=5 if n == 1 else 0,
            currency="CNY",
            consignee=ConsigneeIn(**_DEMO_CONSIGNEE),
            lines=[
                OrderLineIn(sku=skus[(n + k) % len(skus)], qty=1 + k, unit_price=Decimal("39.00"))
                for k in range(1 + n % 3)
            ],
        )
        for n in range(1, 7)
    ]
    _give_sizes(conn, skus, warehouse)
    take_orders(conn, warehouse, "demo-shop", orders)
    return [o.number for o in orders]


# What one unit of the demo orders' products weighs and measures (folded apparel), so the pack
# station suggests a carton and checks each parcel's weight, as with a real product master.
_DEMO_UNIT = {"weight_g": 250, "length_mm": 300, "width_mm": 200, "height_mm": 30}


def _give_sizes(conn: Connection, skus: list[str], warehouse: str) -> None:
    rows = conn.execute(
        text("SELECT * FROM product WHERE sku = ANY(CAST(:s AS text[])) AND weight_g IS NULL"),
        {"s": skus},
    )
    upsert(conn, "product", [dict(r._mapping) | _DEMO_UNIT for r in rows], warehouse)


# The outbound floor of the demo (hardware/SHIPPING.md): the carriers its orders name, each with
# a range of waybill numbers; the parcels' SSCCs; cartons; totes for the carts.
DEMO_CARRIERS = (
    ("SF", "SF Express", WaybillFormat(prefix="SF", digits=12), 100_000_000_000),
    ("YTO", "YTO Express", WaybillFormat(prefix="YT", digits=13), 7_000_000_000_000),
    ("EMS", "China Post EMS", WaybillFormat(prefix="EA", digits=8, suffix="CN", check="s10"), 0),
)
DEMO_CARTONS = (
    ("BOX-S", "Small box", 250, 180, 100, 3000, 120),
    ("BOX-M", "Medium box", 350, 250, 150, 8000, 220),
    ("BOX-L", "Large box", 450, 350, 250, 15000, 380),
    ("BAG-P", "Poly mailer", 380, 280, 20, 2000, 30),
)
DEMO_TOTES = 24
# The demo's GS1 company prefix (the label layer's example), extension 9 for parcels.
DEMO_COMPANY_PREFIX = "9501101"


def load_demo_shipping(conn: Connection, warehouse: str = "DEMO") -> None:
    """Carriers with number ranges, parcel SSCCs, cartons and totes for the demo. Idempotent."""
    if conn.execute(text("SELECT 1 FROM carrier WHERE warehouse = :w"), {"w": warehouse}).first():
        return
    for code, name, fmt, first in DEMO_CARRIERS:
        add_carrier(conn, warehouse, code, name=name, kind="pool", services=["standard"])
        add_waybill_range(conn, warehouse, code, first=first + 1, last=first + 100_000, fmt=fmt)
    add_sscc_pool(conn, warehouse, DEMO_COMPANY_PREFIX, 9)
    keys = ("code", "name", "length_mm", "width_mm", "height_mm", "max_weight_g", "tare_g")
    upsert(conn, "carton", [dict(zip(keys, c, strict=True)) for c in DEMO_CARTONS], warehouse)
    totes = [{"code": f"TOTE{n:04d}", "kind": "tote"} for n in range(1, DEMO_TOTES + 1)]
    upsert(conn, "container", totes, warehouse)
