"""Pick-task bookkeeping written with fixed SQL: it runs on every pick, where ORM flushes of
the task, line and order line cost more than the durable commit (measured in bench/ops)."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

_BOOK_LINE = text(
    "UPDATE picktaskline SET picked_qty = picked_qty + :units,"
    " status = CASE WHEN picked_qty + :units >= qty THEN 'done' ELSE status END"
    " WHERE id = :id RETURNING status"
)
_BOOK_ORDER_LINE = text("UPDATE outboundline SET picked_qty = picked_qty + :units WHERE id = :id")
_SETTLE = text(
    "UPDATE picktask SET operator_id = :operator_id, status = CASE WHEN EXISTS"
    " (SELECT 1 FROM picktaskline WHERE task_id = :id AND status = 'open')"
    " THEN 'in_progress' ELSE 'done' END WHERE id = :id RETURNING status"
)


def book_pick(s: Session, line_id: int, order_line_id: int, units: int) -> bool:
    """Add picked units to a task line and its order line; True when the line is complete."""
    conn = s.connection()
    status = conn.execute(_BOOK_LINE, {"id": line_id, "units": units}).scalar_one()
    conn.execute(_BOOK_ORDER_LINE, {"id": order_line_id, "units": units})
    return bool(status == "done")


def settle_task(s: Session, task_id: int, operator_id: int) -> bool:
    """Record who worked the task and close it when no line is open; True when closed."""
    status = (
        s.connection().execute(_SETTLE, {"id": task_id, "operator_id": operator_id}).scalar_one()
    )
    return bool(status == "done")
