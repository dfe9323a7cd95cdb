"""Cancelling an order, customs included: a bonded-retail order may be cancelled after it was
packed (until it ships), because its parcels' lists can be taken back. Every parcel's list
still with customs gets a cancel request (CEB623) and the parcel is held back (``cancelling``)
until customs answers; a list never handed over is withdrawn; a parcel with no live list is
to be opened at once. Any other order goes through planning's cancel (until it is packed).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from wms.domain.customs import CustomsStatus
from wms.domain.kinds import OrderKind, OrderStatus
from wms.hub.customs.declare import request_cancel
from wms.hub.customs.gate import Raise, raise_exceptions, set_status
from wms.hub.planning.cancel import Cancelled, CannotCancel, NoSuchOrder, cancel
from wms.hub.planning.order_documents import republish_orders

_ORDER = text(
    "SELECT status, channel, trade_mode FROM sales_order WHERE warehouse = :w AND number = :n"
    " FOR UPDATE"
)
_PARCELS = text(
    "SELECT sscc FROM parcel WHERE warehouse = :w AND order_number = :n"
    " AND status IN ('packed', 'loaded') ORDER BY sscc"
)
_CANCEL = text(
    "UPDATE sales_order SET status = 'cancelled', cancel_reason = :why, updated_at = now()"
    " WHERE warehouse = :w AND number = :n"
)
_LINES = text(
    "UPDATE order_line SET cancelled = qty - picked, backordered = 0"
    " WHERE warehouse = :w AND order_number = :n"
)
_RELEASE = text("DELETE FROM reservation WHERE warehouse = :w AND order_number = :n RETURNING qty")


def cancel_order(
    conn: Connection, warehouse: str, number: str, why: str, *, channel: str | None = None
) -> Cancelled:
    """Cancel order ``number`` in the caller's transaction (see the module); NoSuchOrder,
    CannotCancel as :func:`wms.hub.planning.cancel.cancel`."""
    row = conn.execute(_ORDER, {"w": warehouse, "n": number}).first()
    late = row is not None and row.status in (OrderStatus.PACKED, OrderStatus.LOADED)
    if row is None or not late or row.trade_mode != OrderKind.BONDED_RETAIL:
        return cancel(conn, warehouse, number, why, channel=channel)
    if channel is not None and row.channel != channel:
        raise NoSuchOrder(f"no order {number} in {warehouse}")
    args = {"w": warehouse, "n": number}
    conn.execute(_CANCEL, args | {"why": why})
    conn.execute(_LINES, args)
    released = sum(int(q) for q in conn.scalars(_RELEASE, args))
    raised = []
    for sscc in conn.scalars(_PARCELS, args).all():
        now = request_cancel(conn, warehouse, sscc, f"order cancelled: {why}")
        if now in (None, CustomsStatus.CANCELLED):
            words = "its order was cancelled: open it and put the goods back to stock"
            set_status(conn, warehouse, sscc, CustomsStatus.CANCELLED, words)
            message = f"order {number} was cancelled: open parcel {sscc}, goods back to stock"
            details = {"sscc": sscc, "order": number}
            raised.append(Raise("customs_cancelled", message, details))
    raise_exceptions(conn, warehouse, raised)
    republish_orders(conn, warehouse, [number])
    return Cancelled(number, released=released)


__all__ = ["CannotCancel", "NoSuchOrder", "cancel_order"]
