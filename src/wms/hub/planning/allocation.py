"""Allocation at the hub: order lines reserve units of on-hand rows, never two orders the same.

The on-hand rows of every product involved are locked (``SELECT … FOR UPDATE``, in one fixed
order: product, bin, lot, pallet, status) before what is free on them is read, and the
reservations are written in the same transaction. A second allocation touching the same stock
waits for the first to commit, then reads its reservations: reserved never exceeds on hand.
Which rows a line takes is decided by :mod:`wms.domain.allocation` (FEFO, shelf life at
dispatch, pick face before reserve, whole pallets and cases).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from pydantic_core import to_json
from sqlalchemy import Connection, text

from wms.domain.allocation import Need, Stock, choose
from wms.domain.kinds import TAKES, LocationType, OrderKind

# Bins orders are picked from: faces, reserve storage, and the bonded zone.
PICKABLE_TYPES = (LocationType.PICK_FACE, LocationType.STORAGE, LocationType.BONDED)

_LOCK = text(
    "SELECT o.sku, o.location, o.lot, o.container, o.status, o.qty, l.type, l.blocked,"
    " l.pick_sequence, lot.expiry FROM on_hand o"
    " JOIN location l ON l.code = o.location AND l.warehouse = o.warehouse"
    " LEFT JOIN lot ON lot.sku = o.sku AND lot.code = o.lot"
    " WHERE o.warehouse = :w AND o.sku = ANY(CAST(:skus AS text[]))"
    " ORDER BY o.sku, o.location, o.lot, o.container, o.status FOR UPDATE OF o"
)
# Read after the lock: a reservation committed by the transaction we waited for is seen. One
# index probe per locked row (LATERAL), whatever the planner believes of the table's size.
_RESERVED = text(
    "SELECT k.sku, k.location, k.lot, k.container, k.status, r.qty FROM jsonb_to_recordset("
    "CAST(:keys AS jsonb)) AS k(sku text, location text, lot text, container text, status text)"
    " CROSS JOIN LATERAL (SELECT SUM(x.qty) AS qty FROM reservation x WHERE x.warehouse = :w"
    " AND x.sku = k.sku AND x.location = k.location AND x.lot = k.lot"
    " AND x.container = k.container AND x.status = k.status) r WHERE r.qty IS NOT NULL"
)
_PRODUCTS = text(
    "SELECT p.sku, p.removal_margin_days, p.min_remaining_days, p.weight_g,"
    " (SELECT MAX(b.pack_qty) FROM product_barcode b WHERE b.sku = p.sku AND b.pack_qty > 1)"
    " AS case_qty FROM product p WHERE p.sku = ANY(CAST(:skus AS text[]))"
)
_RESERVE = text(
    "INSERT INTO reservation (warehouse, sku, location, lot, container, status, qty,"
    " order_number, line_no, move_task) SELECT :w, sku, location, lot, container, status, qty,"
    " order_number, line_no, move_task FROM jsonb_to_recordset(CAST(:rows AS jsonb))"
    " AS x(sku text, location text, lot text, container text, status text, qty int,"
    " order_number text, line_no int, move_task bigint)"
)
_ALLOCATED = text(
    "UPDATE order_line l SET backordered = l.backordered - x.qty"
    " FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(order_number text, line_no int, qty int)"
    " WHERE l.warehouse = :w AND l.order_number = x.order_number AND l.line_no = x.line_no"
)

Key = tuple[str, str, str, str, str]  # sku, location, lot, container, status


def key_of(sku: str, stock: Stock) -> Key:
    """The on-hand key of ``stock`` (a row of product ``sku``)."""
    return (sku, stock.location, stock.lot, stock.container, stock.status)


@dataclass(frozen=True)
class ProductRules:
    """What allocation needs to know of a product."""

    margin_days: int
    min_days: int
    case_qty: int | None
    weight_g: int


def product_rules(conn: Connection, skus: Iterable[str]) -> dict[str, ProductRules]:
    """Removal margin, minimum shelf life, case size and unit weight per product."""
    rows = conn.execute(_PRODUCTS, {"skus": sorted(set(skus))})
    return {
        r.sku: ProductRules(
            int(r.removal_margin_days),
            int(r.min_remaining_days),
            int(r.case_qty) if r.case_qty else None,
            int(r.weight_g or 0),
        )
        for r in rows
    }


def lock_stock(conn: Connection, warehouse: str, skus: Iterable[str]) -> dict[str, list[Stock]]:
    """Lock every on-hand row of ``skus`` and return the pickable ones (unblocked bins orders
    are picked from) with what is still free on each, per product."""
    wanted = sorted(set(skus))
    if not wanted:
        return {}
    locked = conn.execute(_LOCK, {"w": warehouse, "skus": wanted}).all()
    keys = [
        {
            "sku": r.sku,
            "location": r.location,
            "lot": r.lot,
            "container": r.container,
            "status": r.status,
        }
        for r in locked
    ]
    reserved = {
        (r.sku, r.location, r.lot, r.container, r.status): int(r.qty)
        for r in conn.execute(_RESERVED, {"w": warehouse, "keys": to_json(keys).decode()})
    }
    out: dict[str, list[Stock]] = defaultdict(list)
    for r in locked:
        if r.blocked or r.type not in PICKABLE_TYPES or r.qty <= 0:
            continue
        key = (r.sku, r.location, r.lot, r.container, r.status)
        stock = Stock(
            location=r.location,
            lot=r.lot,
            container=r.container,
            status=r.status,
            qty=int(r.qty),
            free=int(r.qty) - reserved.get(key, 0),
            face=r.type == LocationType.PICK_FACE,
            walk=int(r.pick_sequence),
            expiry=r.expiry,
        )
        out[r.sku].append(stock)
    return out


@dataclass(frozen=True)
class LineNeed:
    """Units an order line still needs reserved, and what its order allows."""

    order: str
    line_no: int
    sku: str
    qty: int
    trade_mode: str
    dispatch: date
    lot: str = ""
    min_days: int | None = None


@dataclass(frozen=True)
class Reserved:
    """Units of one on-hand row reserved for an order line or a move task."""

    key: Key
    qty: int
    order: str | None = None
    line_no: int | None = None
    move_task: int | None = None


def need_of(line: LineNeed, rules: ProductRules) -> Need:
    """The pure allocation question for ``line``: the stricter of the line's and the product's
    minimum shelf life at dispatch applies."""
    return Need(
        qty=line.qty,
        statuses=tuple(TAKES[OrderKind(line.trade_mode)]),
        dispatch=line.dispatch,
        lot=line.lot,
        min_days=max(line.min_days or 0, rules.min_days),
        margin_days=rules.margin_days,
        case_qty=rules.case_qty,
    )


def take_from(
    stock: dict[str, list[Stock]],
    sku: str,
    need: Need,
    only: Callable[[Stock], bool] | None = None,
) -> list[tuple[Stock, int]]:
    """Choose rows of ``sku`` for ``need`` (among those ``only`` accepts) and count them as no
    longer free in ``stock``."""
    rows = stock.get(sku, [])
    chosen = choose(need, [s for s in rows if only is None or only(s)])
    used = {id(s): n for s, n in chosen}
    stock[sku] = [replace(s, free=s.free - used[id(s)]) if id(s) in used else s for s in rows]
    return chosen


def write_reservations(conn: Connection, warehouse: str, made: Sequence[Reserved]) -> None:
    """Insert reservations in one statement."""
    if not made:
        return
    rows = [
        {
            "sku": m.key[0],
            "location": m.key[1],
            "lot": m.key[2],
            "container": m.key[3],
            "status": m.key[4],
            "qty": m.qty,
            "order_number": m.order,
            "line_no": m.line_no,
            "move_task": m.move_task,
        }
        for m in made
    ]
    conn.execute(_RESERVE, {"w": warehouse, "rows": to_json(rows).decode()})


def fill_backorders(conn: Connection, warehouse: str, got: dict[tuple[str, int], int]) -> None:
    """Order lines' backordered units shrink by what allocation reserved for each."""
    lines = [{"order_number": o, "line_no": n, "qty": q} for (o, n), q in got.items() if q]
    if lines:
        conn.execute(_ALLOCATED, {"w": warehouse, "rows": to_json(lines).decode()})


def allocate(
    conn: Connection, warehouse: str, needs: Sequence[LineNeed]
) -> dict[tuple[str, int], int]:
    """Reserve stock for ``needs``, in the order given (the caller's priority); returns the
    units reserved per (order, line), for the caller to count off the lines' backorders."""
    if not needs:
        return {}
    skus = {n.sku for n in needs}
    rules = product_rules(conn, skus)
    stock = lock_stock(conn, warehouse, skus)
    made: list[Reserved] = []
    got: dict[tuple[str, int], int] = defaultdict(int)
    for line in needs:
        for s, units in take_from(stock, line.sku, need_of(line, rules[line.sku])):
            made.append(Reserved(key_of(line.sku, s), units, line.order, line.line_no))
            got[(line.order, line.line_no)] += units
    write_reservations(conn, warehouse, made)
    return dict(got)
