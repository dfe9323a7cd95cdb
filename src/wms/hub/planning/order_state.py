"""Where orders stand: each line's units reserved, picked, backordered and cancelled, and the
order's status as the floor moves it (released -> picking -> picked -> packed -> loaded ->
shipped): the one place an order's status changes with the floor.

Reserved units are read from the reservations themselves; a line's units always add up:
reserved + picked + backordered + cancelled = ordered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime

from sqlalchemy import Connection, text

from wms.domain.kinds import OrderStatus


@dataclass(frozen=True)
class LineState:
    """One order line's units: ordered, and where each of them is."""

    line_no: int
    sku: str
    qty: int
    reserved: int
    picked: int
    backordered: int
    cancelled: int
    lot: str = ""


@dataclass(frozen=True)
class OrderView:
    """An order's header, status, lines and pick tasks (never its consignee)."""

    number: str
    warehouse: str
    channel: str
    shop: str | None
    trade_mode: str
    priority: int
    carrier: str | None
    service: str | None
    ship_by: datetime | None
    currency: str
    status: str
    wave: int | None
    received_at: datetime
    lines: list[LineState] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)


_HEADER = ", ".join(f.name for f in fields(OrderView) if f.name not in ("lines", "tasks"))
_LINES = text(
    "SELECT l.order_number, l.line_no, l.sku, l.qty, l.picked, l.backordered, l.cancelled, l.lot,"
    " COALESCE(r.qty, 0) AS reserved FROM order_line l LEFT JOIN (SELECT order_number,"
    " line_no, SUM(qty) AS qty FROM reservation WHERE warehouse = :w AND stage = 'pick'"
    " AND order_number = ANY(CAST(:n AS text[])) GROUP BY order_number, line_no) r"
    " ON r.order_number = l.order_number AND r.line_no = l.line_no"
    " WHERE l.warehouse = :w AND l.order_number = ANY(CAST(:n AS text[]))"
    " ORDER BY l.order_number, l.line_no"
)
# Where each order stands, read from its pick lines and parcels (facts the floor pushed), so a
# replay never moves an order twice: picking once a pick arrived, picked once no line is open,
# packed once every picked unit is in a parcel, loaded once every parcel is on a load, shipped
# once every parcel left. A voided parcel counts for nothing.
_SETTLE = text(
    "WITH o AS (SELECT o.warehouse, o.number, o.status FROM sales_order o"
    " WHERE o.warehouse = :w AND o.number = ANY(CAST(:n AS text[]))"
    " AND o.status = ANY(CAST(:moving AS text[])) FOR UPDATE),"
    " s AS (SELECT o.number, o.status,"
    " EXISTS (SELECT 1 FROM pick_line p WHERE p.warehouse = o.warehouse"
    " AND p.order_number = o.number AND p.state = 'open') AS open_lines,"
    " EXISTS (SELECT 1 FROM pick_line p WHERE p.warehouse = o.warehouse"
    " AND p.order_number = o.number AND p.picked > 0) AS any_picked,"
    " (SELECT COALESCE(SUM(l.picked), 0) FROM order_line l WHERE l.warehouse = o.warehouse"
    " AND l.order_number = o.number) AS picked,"
    " (SELECT COALESCE(SUM(pl.units), 0) FROM parcel c JOIN parcel_line pl"
    " ON pl.warehouse = c.warehouse AND pl.sscc = c.sscc WHERE c.warehouse = o.warehouse"
    " AND c.order_number = o.number AND c.status <> 'void') AS packed,"
    " (SELECT COUNT(*) FILTER (WHERE c.status <> 'void') FROM parcel c"
    " WHERE c.warehouse = o.warehouse AND c.order_number = o.number) AS parcels,"
    " (SELECT COUNT(*) FILTER (WHERE c.status = 'packed') FROM parcel c"
    " WHERE c.warehouse = o.warehouse AND c.order_number = o.number) AS unloaded,"
    " (SELECT COUNT(*) FILTER (WHERE c.status IN ('packed', 'loaded')) FROM parcel c"
    " WHERE c.warehouse = o.warehouse AND c.order_number = o.number) AS unshipped FROM o),"
    " n AS (SELECT number, status, CASE"
    " WHEN NOT open_lines AND parcels > 0 AND packed >= picked AND unshipped = 0 THEN 'shipped'"
    " WHEN NOT open_lines AND parcels > 0 AND packed >= picked AND unloaded = 0 THEN 'loaded'"
    " WHEN NOT open_lines AND parcels > 0 AND packed >= picked THEN 'packed'"
    " WHEN NOT open_lines THEN 'picked'"
    " WHEN any_picked OR parcels > 0 THEN 'picking' ELSE status END AS next FROM s)"
    " UPDATE sales_order x SET status = n.next, updated_at = now() FROM n"
    " WHERE x.warehouse = :w AND x.number = n.number AND n.next <> n.status"
    " RETURNING x.number, x.status"
)
# Orders the floor's facts still move: once shipped or cancelled, an order stays so.
MOVING = (
    OrderStatus.RELEASED,
    OrderStatus.PICKING,
    OrderStatus.PICKED,
    OrderStatus.PACKED,
    OrderStatus.LOADED,
)


def line_states(
    conn: Connection, warehouse: str, numbers: Sequence[str]
) -> dict[str, list[LineState]]:
    """Every line of the given orders, per order number."""
    out: dict[str, list[LineState]] = {n: [] for n in numbers}
    for r in conn.execute(_LINES, {"w": warehouse, "n": list(numbers)}):
        out.setdefault(r.order_number, []).append(
            LineState(
                r.line_no,
                r.sku,
                r.qty,
                int(r.reserved),
                r.picked,
                r.backordered,
                r.cancelled,
                r.lot,
            )
        )
    return out


def order_view(conn: Connection, warehouse: str, number: str) -> OrderView | None:
    """One order as the API and CLI show it; None when ``warehouse`` has no such order."""
    row = conn.execute(
        text(f"SELECT {_HEADER} FROM sales_order WHERE warehouse = :w AND number = :n"),
        {"w": warehouse, "n": number},
    ).first()
    if row is None:
        return None
    tasks = conn.scalars(
        text(
            "SELECT DISTINCT task FROM pick_line WHERE warehouse = :w AND order_number = :n"
            " ORDER BY task"
        ),
        {"w": warehouse, "n": number},
    )
    lines = line_states(conn, warehouse, [number])[number]
    return OrderView(**row._mapping, lines=lines, tasks=list(tasks))


def orders(
    conn: Connection,
    warehouse: str,
    status: OrderStatus | None = None,
    limit: int = 200,
    channel: str | None = None,
) -> list[OrderView]:
    """Orders of ``warehouse`` (in one status, of one channel, if given), most urgent first,
    without lines."""
    rows = conn.execute(
        text(
            f"SELECT {_HEADER} FROM sales_order WHERE warehouse = :w"
            " AND (CAST(:s AS text) IS NULL OR status = :s)"
            " AND (CAST(:c AS text) IS NULL OR channel = :c)"
            " ORDER BY priority DESC, ship_by NULLS LAST, received_at, number LIMIT :n"
        ),
        {"w": warehouse, "s": status, "c": channel, "n": limit},
    )
    return [OrderView(**r._mapping) for r in rows]


def settle_orders(conn: Connection, warehouse: str, numbers: Sequence[str]) -> dict[str, str]:
    """Move released orders on as the floor's facts arrive (picks, parcels, loads, shipments;
    see ``_SETTLE``); returns the orders whose status changed, with their new status."""
    if not numbers:
        return {}
    args = {"w": warehouse, "n": sorted(set(numbers)), "moving": [str(m) for m in MOVING]}
    return {r.number: r.status for r in conn.execute(_SETTLE, args)}
