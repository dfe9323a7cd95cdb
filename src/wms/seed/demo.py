"""The demo warehouse: a cross-border site with a bonded zone, quarantine, three storage zones,
about 2,000 products, open receipts and orders with pick tasks, a count plan and operators.

Deterministic: the same seed gives the same store, so demo scripts and tests can name codes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from wms.domain.kinds import LocationType, OrderKind, StockStatus, Tracking
from wms.domain.locations import location_code
from wms.seed.gtins import case_gtin14, ean13
from wms.services.auth import hash_pin
from wms.services.stock_access import pid
from wms.store.catalog import Location, Lot, Product, ProductBarcode, Warehouse
from wms.store.documents import (
    CountTask,
    InboundDocument,
    InboundLine,
    OutboundLine,
    OutboundOrder,
    PickTask,
    PickTaskLine,
)
from wms.store.journal import StockKey, post_stock
from wms.store.people import Operator

DEMO_TODAY = date(2026, 11, 23)

# (category, count, tracking, shelf life, min remaining, on short shelf life, removal margin)
_FAMILIES = [
    ("Infant formula", 300, Tracking.LOT, 540, 360, "quarantine", 30),
    ("Cosmetics", 600, Tracking.LOT, 1095, 180, "refuse", 60),
    ("Supplement", 300, Tracking.LOT, 730, 240, "quarantine", 30),
    ("Electronics", 200, Tracking.SERIAL, None, 0, "refuse", 0),
    ("Apparel", 600, Tracking.NONE, None, 0, "refuse", 0),
]


@dataclass(frozen=True)
class DemoOperator:
    """A seeded operator, printed by ``wms demo`` so newcomers can log on."""

    code: str
    badge: str
    name: str
    role: str
    pin: str


OPERATORS = [
    DemoOperator("1001", "OP0001", "Alice Chen", "operator", "1234"),
    DemoOperator("1002", "OP0002", "Bao Nguyen", "operator", "2345"),
    DemoOperator("9001", "OP0009", "Sam Okafor", "supervisor", "9999"),
]


def _locations(s: Session, wh: int) -> dict[str, Location]:
    locs: list[Location] = []
    seq = 0

    def add(code: str, kind: LocationType, zone: str, aisle: str, **kw: object) -> None:
        nonlocal seq
        seq += 10
        parts = [*code.split("-")[2:], None, None, None]
        locs.append(
            Location(
                warehouse_id=wh,
                code=code,
                zone=zone,
                aisle=aisle,
                bay=parts[0],
                level=parts[1],
                position=parts[2],
                type=kind,
                pick_sequence=seq,
                **kw,  # type: ignore[arg-type]
            )
        )

    for code, kind in [
        ("DOCK-01", LocationType.DOCK),
        ("DOCK-02", LocationType.DOCK),
        ("BDOCK-01", LocationType.BONDED),
        ("STG-01", LocationType.STAGING),
        ("RET-01", LocationType.RETURNS),
    ]:
        add(code, kind, code.split("-")[0], "01")
    for n in range(1, 5):
        add(f"QA-{n:02d}", LocationType.QUARANTINE, "QA", f"{n:02d}")
    for zone, kind, aisles in [
        ("P", LocationType.PICK_FACE, 1),
        ("A", LocationType.STORAGE, 4),
        ("B", LocationType.STORAGE, 4),
        ("C", LocationType.STORAGE, 4),
        ("BND", LocationType.BONDED, 2),
    ]:
        for aisle in range(1, aisles + 1):
            # Serpentine walk: odd aisles go up the bays, even aisles come back down.
            bays = range(1, 6) if aisle % 2 else range(5, 0, -1)
            for bay in bays:
                for level in range(3):
                    for pos in (1, 2):
                        code = location_code(zone, aisle, bay, level, pos)
                        add(code, kind, zone, f"{aisle:02d}", capacity=500)
    # The outbound floor (hardware/SHIPPING.md), after the walk so no bin's sequence moves.
    for n in range(1, 5):
        add(f"CART-{n:02d}", LocationType.CART, "CART", f"{n:02d}")
    for n in range(1, 3):
        add(f"PACK-{n:02d}", LocationType.PACK, "PACK", f"{n:02d}")
    add("ODOCK-01", LocationType.DOCK, "ODOCK", "01")
    s.add_all(locs)
    s.flush()
    return {loc.code: loc for loc in locs}


def _products(s: Session, rng: random.Random) -> list[Product]:
    products: list[Product] = []
    n = 0
    for family, count, tracking, life, min_left, on_short, margin in _FAMILIES:
        for i in range(1, count + 1):
            n += 1
            products.append(
                Product(
                    sku=f"SKU-{n:05d}",
                    name=f"{family} {i:03d}",
                    tracking=tracking,
                    shelf_life_days=life,
                    min_remaining_days=min_left,
                    short_shelf_life_action=on_short,
                    removal_margin_days=margin,
                    customs_controlled=family in ("Infant formula", "Cosmetics"),
                    supplier=rng.choice(["Nordic Dairy AB", "Maison Beaute", "VitaPlus GmbH"]),
                )
            )
    s.add_all(products)
    s.flush()
    barcodes = []
    for idx, p in enumerate(products, start=1):
        assert p.id is not None
        each = ean13(idx)
        barcodes.append(ProductBarcode(code=each.zfill(14), product_id=p.id))
        barcodes.append(
            ProductBarcode(
                code=case_gtin14(each), product_id=p.id, pack_qty=rng.choice([6, 12, 24])
            )
        )
    s.add_all(barcodes)
    s.flush()
    return products


def _stock(
    s: Session,
    locs: dict[str, Location],
    product: Product,
    bin_code: str,
    qty: int,
    *,
    lot: tuple[str, date] | None = None,
    status: StockStatus = StockStatus.AVAILABLE,
) -> None:
    assert product.id is not None
    lot_id = None
    if lot is not None:
        row = Lot(product_id=product.id, code=lot[0], expiry=lot[1])
        s.add(row)
        s.flush()
        lot_id = row.id
    loc_id = locs[bin_code].id
    assert loc_id is not None
    # Opening balances are what a pull from the hub would bring: ledger seq 0, no op-log row.
    post_stock(s, 0, StockKey(product.id, loc_id, lot_id, None, status), qty, _NOW)


_NOW = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


def _documents(s: Session, locs: dict[str, Location], p: list[Product]) -> None:
    def doc(
        number: str, supplier: str, dock: str, lines: list[tuple[Product, int]], **kw: object
    ) -> None:
        d = InboundDocument(
            number=number,
            kind="asn" if number.startswith("ASN") else "po",
            supplier=supplier,
            expected_date=DEMO_TODAY,
            dock_id=locs[dock].id,
            **kw,  # type: ignore[arg-type]
        )
        s.add(d)
        s.flush()
        for no, (prod, qty) in enumerate(lines, start=1):
            s.add(
                InboundLine(document_id=pid(d), line_no=no, product_id=pid(prod), expected_qty=qty)
            )

    doc("PO-2026-0001", "Nordic Dairy AB", "DOCK-01", [(p[0], 24), (p[300], 12), (p[1400], 10)])
    doc(
        "ASN-2026-0002",
        "Nordic Dairy AB",
        "BDOCK-01",
        [(p[1], 48)],
        customs_declaration="DECL-2026-778812",
    )
    doc("PO-2026-0003", "Maison Beaute", "DOCK-02", [(p[301], 36), (p[302], 36)])


def _orders(s: Session, locs: dict[str, Location], p: list[Product]) -> None:
    def order(
        number: str, kind: OrderKind, task: str, lines: list[tuple[Product, str, int]]
    ) -> None:
        o = OutboundOrder(
            number=number,
            kind=kind,
            customer="Tmall Global" if kind == "domestic" else "HK re-export",
        )
        s.add(o)
        s.flush()
        t = PickTask(number=task, order_id=pid(o))
        s.add(t)
        s.flush()
        ordered = sorted(lines, key=lambda ln: locs[ln[1]].pick_sequence)
        for no, (prod, bin_code, qty) in enumerate(ordered, start=1):
            ol = OutboundLine(order_id=pid(o), line_no=no, product_id=pid(prod), qty=qty)
            s.add(ol)
            s.flush()
            s.add(
                PickTaskLine(
                    task_id=pid(t),
                    seq=no,
                    order_line_id=pid(ol),
                    product_id=pid(prod),
                    location_id=pid(locs[bin_code]),
                    qty=qty,
                )
            )

    order(
        "SO-2026-0001",
        OrderKind.DOMESTIC,
        "PT-0001",
        [(p[0], "A-01-01-A-1", 4), (p[300], "A-01-02-A-1", 2), (p[1400], "A-01-03-A-1", 3)],
    )
    order("RX-2026-0001", OrderKind.RE_EXPORT, "PT-0002", [(p[1], "BND-01-01-A-1", 6)])
    # Shipped last week, for the returns demo: every line picked, nothing back yet.
    shipped = OutboundOrder(number="SO-2026-0000", customer="Tmall Global", status="shipped")
    s.add(shipped)
    s.flush()
    for no, prod in enumerate((p[0], p[1400]), start=1):
        s.add(
            OutboundLine(
                order_id=pid(shipped), line_no=no, product_id=pid(prod), qty=2, picked_qty=2
            )
        )


def seed_demo(s: Session, seed: int = 42) -> None:
    """Fill an empty, migrated store with the demo warehouse."""
    rng = random.Random(seed)
    wh = Warehouse(code="DEMO", name="Qianhai cross-border warehouse")
    s.add(wh)
    s.flush()
    assert wh.id is not None
    locs = _locations(s, wh.id)
    p = _products(s, rng)
    days = timedelta
    # The FEFO demonstration: two lots of one formula in one bin, the earlier one must go first.
    _stock(s, locs, p[0], "A-01-01-A-1", 40, lot=("L2601", DEMO_TODAY + days(200)))
    _stock(s, locs, p[0], "A-01-01-A-1", 40, lot=("L2602", DEMO_TODAY + days(400)))
    # A recalled cosmetics lot beside a good one.
    _stock(s, locs, p[300], "A-01-02-A-1", 20, lot=("C-OK1", DEMO_TODAY + days(700)))
    _stock(
        s,
        locs,
        p[300],
        "A-01-02-A-1",
        10,
        lot=("C-RC1", DEMO_TODAY + days(650)),
        status=StockStatus.RECALLED,
    )
    _stock(s, locs, p[1400], "A-01-03-A-1", 25)
    # Bonded stock still under customs control, for the re-export order.
    _stock(
        s,
        locs,
        p[1],
        "BND-01-01-A-1",
        30,
        lot=("L2610", DEMO_TODAY + days(450)),
        status=StockStatus.CUSTOMS_HOLD,
    )
    # A pick face holding three lots of one formula: the count demonstration.
    for code, days_left, qty in (("L2620", 300, 12), ("L2621", 420, 12), ("L2622", 500, 8)):
        _stock(s, locs, p[2], "P-01-01-A-1", qty, lot=(code, DEMO_TODAY + days(days_left)))
    storage = sorted(c for c, loc in locs.items() if loc.type == LocationType.STORAGE)[10:]
    for prod in rng.sample(p[1410:], 150):  # leave the scripted demo products alone
        _stock(s, locs, prod, rng.choice(storage), rng.randint(5, 60))
    _documents(s, locs, p)
    _orders(s, locs, p)
    counts: list[tuple[str, str, int | None]] = [
        ("CT-0001", "A-01-01-A-1", pid(p[0])),
        ("CT-0002", "A-01-03-A-1", None),
        ("CT-0003", "C-01-01-A-1", None),
        ("CT-0004", "P-01-01-A-1", None),
    ]
    for number, bin_code, product_id in counts:
        s.add(CountTask(number=number, location_id=pid(locs[bin_code]), product_id=product_id))
    for op in OPERATORS:
        s.add(
            Operator(
                code=op.code, badge=op.badge, name=op.name, role=op.role, pin_hash=hash_pin(op.pin)
            )
        )
    s.flush()
