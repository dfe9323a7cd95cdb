"""Decisions taken at the hub (a recall, a hold, a customs clearance, a released hold).

They move stock between statuses as ledger deltas, like any op, and reach terminals as stock
changes on their next pull.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, text

from wms.hub.feed import Emit, emit
from wms.hub.master import stock_key

_ROWS = text(
    "SELECT sku, location, lot, container, status, qty FROM on_hand"
    " WHERE warehouse = :w AND sku = :sku AND (:lot = '' OR lot = :lot)"
    " AND (:loc = '' OR location = :loc) AND status <> :to AND qty > 0 FOR UPDATE"
)
_ADD = text(
    "INSERT INTO on_hand (warehouse, sku, location, lot, container, status, qty)"
    " VALUES (:w, :sku, :location, :lot, :container, :status, :qty)"
    " ON CONFLICT (sku, location, lot, container, status)"
    " DO UPDATE SET qty = on_hand.qty + EXCLUDED.qty RETURNING qty"
)
_LEDGER = text(
    "INSERT INTO ledger (warehouse, sku, location, lot, container, status, delta, occurred_at)"
    " VALUES (:w, :sku, :location, :lot, :container, :status, :qty, :at)"
)


def change_status(
    conn: Connection, warehouse: str, sku: str, to: str, *, lot: str = "", location: str = ""
) -> int:
    """Move every unit of ``sku`` (one lot, one bin if given) to status ``to``; units moved."""
    now = datetime.now(UTC)
    moved = 0
    changes: list[Emit] = []
    args = {"w": warehouse, "sku": sku, "lot": lot, "loc": location, "to": to}
    for r in conn.execute(_ROWS, args).all():
        base = {"w": warehouse, "sku": r.sku, "location": r.location, "lot": r.lot}
        base["container"] = r.container
        for status, qty in ((r.status, -r.qty), (to, r.qty)):
            row = {**base, "status": status, "qty": qty, "at": now}
            conn.execute(_LEDGER, row)
            left = conn.execute(_ADD, row).scalar_one()
            key = stock_key(r.sku, r.location, r.lot, r.container, status)
            body = {k: row[k] for k in ("sku", "location", "lot", "container", "status")}
            changes.append(Emit(warehouse, "stock", key, {**body, "qty": left} if left else None))
        moved += r.qty
    conn.execute(text("DELETE FROM on_hand WHERE warehouse = :w AND qty = 0"), {"w": warehouse})
    emit(conn, changes)
    return moved
