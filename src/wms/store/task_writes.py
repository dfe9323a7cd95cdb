"""Pick-task bookkeeping in fixed SQL on the unit of work's cursor: it runs on every pick, where
ORM flushes of the task, line and order line cost more than the durable commit (bench/ops)."""

from __future__ import annotations

from sqlmodel import Session

from wms.store.journal import cursor

_BOOK_LINE = (
    "UPDATE picktaskline SET picked_qty = picked_qty + :units,"
    " status = CASE WHEN picked_qty + :units >= qty THEN 'done' ELSE status END"
    " WHERE id = :id RETURNING status"
)
_BOOK_ORDER_LINE = "UPDATE outboundline SET picked_qty = picked_qty + :units WHERE id = :id"
# A recall's move task (RM-...) is done once its bin holds none of the stock it names in a
# held status. The hub's other move tasks (replenishment, put-back) are closed by the hub,
# which counts the units moved, on the next pull.
_SETTLE_MOVES = (
    "UPDATE movetask SET status = 'done' WHERE status = 'open' AND number LIKE 'RM-%'"
    " AND location_id = :location"
    " AND product_id = :product AND lot_id IS :lot AND NOT EXISTS (SELECT 1 FROM onhand o"
    " WHERE o.location_id = :location AND o.product_id = :product AND o.lot_id IS :lot"
    " AND o.status IN ('recalled', 'quarantine'))"
)
_SHORT = "UPDATE picktaskline SET status = 'short' WHERE id = :id"
_TASK_STATUS = (
    "SELECT CASE WHEN EXISTS (SELECT 1 FROM picktaskline WHERE task_id = :id"
    " AND status = 'open') THEN 'in_progress' ELSE 'done' END"
)
# Written only when something changes: on most picks nothing does, and an UPDATE that rewrites
# the same values still costs the page in the write-ahead log.
_SETTLE = (
    "UPDATE picktask SET operator_id = :operator_id, status = :status WHERE id = :id"
    " AND (operator_id IS NOT :operator_id OR status IS NOT :status)"
)


def book_pick(s: Session, line_id: int, order_line_id: int, units: int) -> bool:
    """Add picked units to a task line and its order line; True when the line is complete."""
    cur = cursor(s)
    (status,) = cur.execute(_BOOK_LINE, {"id": line_id, "units": units}).fetchone()
    cur.execute(_BOOK_ORDER_LINE, {"id": order_line_id, "units": units})
    return bool(status == "done")


def settle_task(s: Session, task_id: int, operator_id: int) -> bool:
    """Record who worked the task and close it when no line is open; True when closed."""
    cur = cursor(s)
    (status,) = cur.execute(_TASK_STATUS, {"id": task_id}).fetchone()
    cur.execute(_SETTLE, {"id": task_id, "operator_id": operator_id, "status": status})
    return bool(status == "done")


def mark_short(s: Session, line_id: int) -> None:
    """Close a task line as short: what is missing goes to an exception and a count."""
    cursor(s).execute(_SHORT, {"id": line_id})


def settle_move_tasks(s: Session, location_id: int, product_id: int, lot_id: int | None) -> None:
    """Close the open move tasks for this stock in this bin once none of it is left there."""
    params = {"location": location_id, "product": product_id, "lot": lot_id}
    cursor(s).execute(_SETTLE_MOVES, params)
