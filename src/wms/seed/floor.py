"""The demo's outbound floor (hardware/SHIPPING.md), as a demo terminal would have it after a
sync with its hub: carriers, cartons, totes, this terminal's number blocks, products' weights,
the orders' carriers and consignees, a cluster pick task, an order another picker put in a tote,
and parcels other pack stations closed, waiting at the dock for a load.

Staged on the demo app's store (and by tests that pack), not in the shared seed: the hub's demo
is loaded from that seed, and these are a terminal's view of the hub, not warehouse facts.
Idempotent: a store that has the carriers has the rest.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from wms.domain.gtin import sscc
from wms.domain.kinds import OrderKind, StockStatus
from wms.domain.waybills import WaybillFormat
from wms.store.journal import StockKey, cursor, ensure_device, post_stock
from wms.store.uow import UnitOfWork

_NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
COMPANY_PREFIX, EXTENSION = "9501101", 9  # the hub demo's parcel SSCCs (wms.hub.demo)
CARRIERS = (
    ("SF", "SF Express", WaybillFormat(prefix="SF", digits=12), 100_000_000_000),
    ("YTO", "YTO Express", WaybillFormat(prefix="YT", digits=13), 7_000_000_000_000),
    ("EMS", "China Post EMS", WaybillFormat(prefix="EA", digits=8, suffix="CN", check="s10"), 0),
)
CARTONS = (
    ("BOX-S", "Small box", 250, 180, 100, 3000, 120),
    ("BOX-M", "Medium box", 350, 250, 150, 8000, 220),
    ("BOX-L", "Large box", 450, 350, 250, 15000, 380),
    ("BAG-P", "Poly mailer", 380, 280, 20, 2000, 30),
)
TOTES = 24
# Grams and millimetres per unit of the products the demo's orders name.
SIZES = {
    "SKU-00001": (900, 100, 100, 180),
    "SKU-00002": (900, 100, 100, 180),
    "SKU-00301": (150, 50, 50, 120),
    "SKU-01401": (250, 300, 200, 30),
}
CONSIGNEE = {
    "name": "Li Wei",
    "phone": "+86 138 0013 8000",
    "address": ["Room 1203, Block B, Kexing Science Park", "15 Keyuan Road, Nanshan"],
    "city": "Shenzhen",
    "province": "Guangdong",
    "postcode": "518057",
    "country": "CN",
}
# (order, kind, carrier, lines: (sku, qty)); the first two exist in the seed.
ORDERS = (
    ("SO-2026-0001", OrderKind.DOMESTIC, "SF", ()),
    ("RX-2026-0001", OrderKind.RE_EXPORT, "EMS", ()),
    ("SO-2026-0002", OrderKind.DOMESTIC, "SF", (("SKU-01401", 1), ("SKU-00301", 1))),
    ("SO-2026-0003", OrderKind.DOMESTIC, "SF", (("SKU-01401", 2),)),
    ("SO-2026-0004", OrderKind.DOMESTIC, "SF", (("SKU-00001", 2), ("SKU-01401", 1))),
    ("SO-2026-0005", OrderKind.DOMESTIC, "SF", (("SKU-01401", 1),)),
    ("SO-2026-0006", OrderKind.DOMESTIC, "YTO", (("SKU-01401", 1),)),
    ("SO-2026-0007", OrderKind.BONDED_RETAIL, "SF", (("SKU-00002", 1),)),
    ("SO-2026-0008", OrderKind.DOMESTIC, "SF", (("SKU-01401", 1),)),
)
CLUSTER = "PT-W1-0001"  # SO-2026-0002 in slot 1, SO-2026-0003 in slot 2
PICKED_TOTE, PICKED_CART = "TOTE0010", "CART-04"  # SO-2026-0004, picked on another terminal
# Parcels closed at PACK-02 by another terminal: (serial, order, waybill serial, customs).
PARCELS = (
    (9001, "SO-2026-0005", 9001, None),
    (9002, "SO-2026-0006", 9002, None),
    (9003, "SO-2026-0007", 9003, "pending"),
    (9004, "SO-2026-0008", 9004, None),
)
CANCELLED = "SO-2026-0008"  # cancelled after it was packed: dispatch refuses its parcel


def stage_demo_floor(engine: Engine) -> None:
    """Give the demo store its outbound floor, once."""
    with UnitOfWork(engine) as uow:
        s = uow.session
        cur = cursor(s)
        if cur.execute("SELECT 1 FROM carrier LIMIT 1").fetchone():
            return
        _masters(s)
        _orders(s)
        _cluster_task(s)
        _picked_tote(s)
        _parcels(s)
        give_demo_numbers(s)
        uow.commit()


def _masters(s: Session) -> None:
    cur = cursor(s)
    for code, name, _, _ in CARRIERS:
        cur.execute(
            "INSERT INTO carrier (code, name, kind, services) VALUES (?, ?, 'pool', ?)",
            (code, name, json.dumps(["standard"])),
        )
    cur.executemany(
        "INSERT INTO carton (code, name, length_mm, width_mm, height_mm, max_weight_g, tare_g)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        CARTONS,
    )
    cur.executemany(
        "INSERT INTO container (code, kind) VALUES (?, 'tote') ON CONFLICT DO NOTHING",
        [(f"TOTE{n:04d}",) for n in range(1, TOTES + 1)],
    )
    cur.executemany(
        "UPDATE product SET weight_g = ?, length_mm = ?, width_mm = ?, height_mm = ? WHERE sku = ?",
        [(*size, sku) for sku, size in SIZES.items()],
    )


def _id(s: Session, sql: str, *args: object) -> int:
    row = cursor(s).execute(sql, args).fetchone()
    assert row is not None, sql
    return int(row[0])


def _orders(s: Session) -> None:
    cur = cursor(s)
    for number, kind, carrier, lines in ORDERS:
        cur.execute(
            "INSERT INTO outboundorder (number, kind, customer, status, carrier, service)"
            " VALUES (?, ?, 'Tmall Global demo shop', 'released', ?, 'standard')"
            " ON CONFLICT (number) DO UPDATE SET carrier = excluded.carrier,"
            " service = excluded.service",
            (number, kind, carrier),
        )
        order = _id(s, "SELECT id FROM outboundorder WHERE number = ?", number)
        for no, (sku, qty) in enumerate(lines, start=1):
            product = _id(s, "SELECT id FROM product WHERE sku = ?", sku)
            cur.execute(
                "INSERT INTO outboundline (order_id, line_no, product_id, qty, picked_qty)"
                " VALUES (?, ?, ?, ?, 0)",
                (order, no, product, qty),
            )
        c = CONSIGNEE
        cur.execute(
            "INSERT INTO orderconsignee (order_id, name, phone, address, city, province,"
            " postcode, country) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                order,
                c["name"],
                c["phone"],
                json.dumps(c["address"]),
                c["city"],
                c["province"],
                c["postcode"],
                c["country"],
            ),
        )
    packed = [order for _, order, _, _ in PARCELS if order != CANCELLED]
    cur.executemany(
        "UPDATE outboundorder SET status = 'packed' WHERE number = ?", [(o,) for o in packed]
    )
    cur.execute("UPDATE outboundorder SET status = 'cancelled' WHERE number = ?", (CANCELLED,))
    cur.execute(
        "DELETE FROM orderconsignee WHERE order_id = (SELECT id FROM outboundorder"
        " WHERE number = ?)",
        (CANCELLED,),
    )


def _cluster_task(s: Session) -> None:
    """Two orders on one cart, walked in one pass: the shirts for both, then the cosmetics."""
    cur = cursor(s)
    cur.execute(
        "INSERT INTO picktask (number, status, format) VALUES (?, 'open', 'cluster')", (CLUSTER,)
    )
    task = _id(s, "SELECT id FROM picktask WHERE number = ?", CLUSTER)
    orders = {}
    for slot, number in enumerate(("SO-2026-0002", "SO-2026-0003"), start=1):
        orders[number] = _id(s, "SELECT id FROM outboundorder WHERE number = ?", number)
        cur.execute(
            "INSERT INTO picktaskslot (task_id, slot, order_id) VALUES (?, ?, ?)",
            (task, slot, orders[number]),
        )
    stops = (
        ("SO-2026-0002", 1, 1, "SKU-01401", "A-01-03-A-1", 1),
        ("SO-2026-0003", 2, 1, "SKU-01401", "A-01-03-A-1", 2),
        ("SO-2026-0002", 1, 2, "SKU-00301", "A-01-02-A-1", 1),
    )
    for seq, (number, slot, line_no, _, bin_code, qty) in enumerate(
        sorted(stops, key=lambda st: (st[4], st[1])), start=1
    ):
        cur.execute(
            "INSERT INTO picktaskline (task_id, seq, order_line_id, product_id, location_id, qty,"
            " picked_qty, status, slot) SELECT ?, ?, ol.id, ol.product_id, loc.id, ?, 0, 'open', ?"
            " FROM outboundline ol, location loc WHERE ol.order_id = ? AND ol.line_no = ?"
            " AND loc.code = ?",
            (task, seq, qty, slot, orders[number], line_no, bin_code),
        )


def _key(
    s: Session,
    sku: str,
    where: tuple[str, str | None],
    lot: str | None = None,
    status: str = "available",
) -> StockKey:
    location, container = where
    product = _id(s, "SELECT id FROM product WHERE sku = ?", sku)
    lot_id = (
        _id(s, "SELECT id FROM lot WHERE product_id = ? AND code = ?", product, lot)
        if lot
        else None
    )
    box = _id(s, "SELECT id FROM container WHERE code = ?", container) if container else None
    return StockKey(
        product, _id(s, "SELECT id FROM location WHERE code = ?", location), lot_id, box, status
    )


def _picked_tote(s: Session) -> None:
    """SO-2026-0004 picked into a tote on CART-04 by another terminal (the hub said so)."""
    cur = cursor(s)
    cur.execute(
        "UPDATE container SET location_id = (SELECT id FROM location WHERE code = ?)"
        " WHERE code = ?",
        (PICKED_CART, PICKED_TOTE),
    )
    post_stock(s, 0, _key(s, "SKU-00001", (PICKED_CART, PICKED_TOTE), "L2601"), 2, _NOW)
    post_stock(s, 0, _key(s, "SKU-01401", (PICKED_CART, PICKED_TOTE)), 1, _NOW)
    cur.execute(
        "UPDATE outboundline SET picked_qty = qty WHERE order_id = (SELECT id FROM outboundorder"
        " WHERE number = 'SO-2026-0004')"
    )
    cur.execute(
        "INSERT INTO toterecord (code, order_number, task, cart) VALUES (?, 'SO-2026-0004',"
        " 'PT-W0-0007', ?)",
        (PICKED_TOTE, PICKED_CART),
    )


def demo_sscc(serial: int) -> str:
    """A parcel SSCC of the demo's numbers."""
    return sscc(EXTENSION, COMPANY_PREFIX, serial)


def _parcels(s: Session) -> None:
    cur = cursor(s)
    formats = {code: fmt for code, _, fmt, _ in CARRIERS}
    for serial, order, waybill_serial, customs in PARCELS:
        code = demo_sscc(serial)
        carrier = (
            cursor(s)
            .execute("SELECT carrier FROM outboundorder WHERE number = ?", (order,))
            .fetchone()[0]
        )
        waybill = formats[carrier].number(waybill_serial)
        cur.execute(
            "INSERT INTO container (code, kind, location_id) SELECT ?, 'sscc', id FROM location"
            " WHERE code = 'PACK-02'",
            (code,),
        )
        sku, status = (
            ("SKU-00002", StockStatus.CUSTOMS_HOLD) if customs else ("SKU-01401", "available")
        )
        lot = "L2610" if customs else None
        post_stock(s, 0, _key(s, sku, ("PACK-02", code), lot, status), 1, _NOW)
        order_status = "cancelled" if order == CANCELLED else "packed"
        cur.execute(
            "INSERT INTO parcel (sscc, order_number, carrier, service, waybill, status,"
            " customs_status, order_status, weight_g, station, booking, packed_here)"
            " VALUES (?, ?, ?, 'standard', ?, 'packed', ?, ?, 1150, 'PACK-02', 'booked', 0)",
            (code, order, carrier, waybill, customs, order_status),
        )


def give_demo_numbers(s: Session) -> None:
    """Number blocks for this store's current stream, as a hub hands a packing terminal: parcel
    SSCCs and each carrier's waybill numbers. Negative ids: never a hub's block."""
    stream = ensure_device(s, _NOW).device_id
    sscc_spec: dict[str, object] = {"company_prefix": COMPANY_PREFIX, "extension": EXTENSION}
    blocks: list[tuple[int, str, str | None, int, int, dict[str, object]]] = [
        (-1, "sscc", None, 1, 100, sscc_spec)
    ]
    for n, (code, _, fmt, first) in enumerate(CARRIERS, start=2):
        blocks.append((-n, "waybill", code, first + 1, first + 100, dict(fmt.as_dict())))
    cursor(s).executemany(
        "INSERT INTO numberblock (id, kind, carrier, stream, first, last, used, spec)"
        " VALUES (?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (id) DO NOTHING",
        [(i, k, c, stream, f, last, json.dumps(spec)) for i, k, c, f, last, spec in blocks],
    )
