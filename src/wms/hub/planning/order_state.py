"""Where orders stand: each line's units reserved, picked, backordered and cancelled, and the
order's status as the floor moves it (released -> picking -> picked).

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
    " line_no, SUM(qty) AS qty FROM reservation WHERE warehouse = :w"
    " AND order_number = ANY(CAST(:n AS text[])) GROUP BY order_number, line_no) r"
    " ON r.order_number = l.order_number AND r.line_no = l.line_no"
    " WHERE l.warehouse = :w AND l.order_number = ANY(CAST(:n AS text[]))"
    " ORDER BY l.order_number, l.line_no"
)
_SETTLE = text(
    "UPDATE sales_order o SET updated_at = now(), status = CASE"
    " WHEN NOT EXISTS (SELECT 1 FROM pick_line p WHERE p.warehouse = o.warehouse"
    " AND p.order_number = o.number AND p.state = 'open') THEN 'picked'"
    " WHEN EXISTS (SELECT 1 FROM pick_line p WHERE p.warehouse = o.warehouse"
    " AND p.order_number = o.number AND p.picked > 0) THEN 'picking' ELSE o.status END"
    " WHERE o.warehouse = :w AND o.number = ANY(CAST(:n AS text[]))"
    " AND o.status IN ('released', 'picking')"
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


def settle_orders(conn: Connection, warehouse: str, numbers: Sequence[str]) -> None:
    """Move released orders on as their pick lines finish: picking once a pick arrived,
    picked once no line is left open (what could not be picked is backordered)."""
    if numbers:
        conn.execute(_SETTLE, {"w": warehouse, "n": sorted(set(numbers))})
