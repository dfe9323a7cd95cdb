"""Keeping promises within the stock: when on hand drops below what is reserved on a row (a
count, a move, a pick of another lot than the one reserved, a recall), reservations on it are
trimmed, and the order lines they served are backordered by as much.

Trimmed first: reservations not yet on the floor (newest first), then replenishments', then
released ones (newest first); a released pick line stays on the floor, and if its units turn
up after all, the pick is counted against the backorder. Reservations held past the pick (a tote,
a parcel) are trimmed without a backorder: their units are picked already.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pydantic_core import to_json
from sqlalchemy import Connection, text

from wms.hub.planning.allocation import lock_stock
from wms.hub.planning.reservations import shrink

# Every push runs this for the products it moved: index probes per product (LATERAL, kept
# apart by OFFSET 0), whatever the planner believes of the reservation table's size.
_OVER = text(
    "SELECT r.sku, r.location, r.lot, r.container, r.status, SUM(r.qty) AS reserved,"
    " GREATEST(COALESCE(MAX(o.qty), 0), 0) AS on_hand FROM unnest(CAST(:skus AS text[]))"
    " AS s(sku) CROSS JOIN LATERAL (SELECT * FROM reservation WHERE warehouse = :w"
    " AND sku = s.sku OFFSET 0) r LEFT JOIN on_hand o"
    " ON o.warehouse = r.warehouse AND o.sku = r.sku AND o.location = r.location"
    " AND o.lot = r.lot AND o.container = r.container AND o.status = r.status"
    " GROUP BY r.sku, r.location, r.lot, r.container, r.status"
    " HAVING SUM(r.qty) > GREATEST(COALESCE(MAX(o.qty), 0), 0)"
)
_ON_ROW = text(
    "SELECT id, qty, order_number, line_no, stage FROM reservation WHERE warehouse = :w"
    " AND sku = :sku"
    " AND location = :location AND lot = :lot AND container = :container AND status = :status"
    " ORDER BY task IS NOT NULL, move_task IS NOT NULL, id DESC FOR UPDATE"
)
_BACKORDER = text(
    "UPDATE order_line l SET backordered = l.backordered + x.qty"
    " FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(order_number text, line_no int, qty int)"
    " WHERE l.warehouse = :w AND l.order_number = x.order_number AND l.line_no = x.line_no"
)


def reconcile(conn: Connection, warehouse: str, skus: Iterable[str]) -> int:
    """Trim reservations of ``skus`` that exceed on hand; returns the units backordered."""
    wanted = sorted(set(skus))
    if not wanted or conn.execute(_OVER, {"w": warehouse, "skus": wanted}).first() is None:
        return 0
    over = {r.sku for r in conn.execute(_OVER, {"w": warehouse, "skus": wanted})}
    lock_stock(conn, warehouse, over)  # the same lock, in the same order, as allocation
    keep: dict[int, int] = {}
    backordered: dict[tuple[str, int], int] = defaultdict(int)
    for row in conn.execute(_OVER, {"w": warehouse, "skus": sorted(over)}).all():
        excess = int(row.reserved) - int(row.on_hand)
        key = {k: getattr(row, k) for k in ("sku", "location", "lot", "container", "status")}
        for r in conn.execute(_ON_ROW, {"w": warehouse, **key}):
            n = min(excess, r.qty)
            if n <= 0:
                break
            keep[r.id] = r.qty - n
            excess -= n
            # Units past the pick are counted picked on their line: what is missing from a tote
            # or a parcel shows at packing, not as a backorder.
            if r.order_number is not None and r.stage == "pick":
                backordered[(r.order_number, r.line_no)] += n
    shrink(conn, keep)
    rows = [{"order_number": o, "line_no": n, "qty": q} for (o, n), q in backordered.items()]
    if rows:
        conn.execute(_BACKORDER, {"w": warehouse, "rows": to_json(rows).decode()})
    return sum(backordered.values())
