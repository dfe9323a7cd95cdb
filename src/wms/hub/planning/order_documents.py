"""The order document terminals receive: what returns and packing need, and the consignee only
while the order is on the floor.

Packing prints the shipping label offline, so from its release until it is shipped or
cancelled an order's document carries ``ship_to`` (the consignee: personal data). Before and
after, it does not: the hub republishes the order without it, and terminals erase it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, text

from wms.domain.kinds import OrderStatus
from wms.hub.documents import replace_many
from wms.hub.feed import Emit, emit

# Statuses in which the floor may print the order's label.
ON_THE_FLOOR = frozenset(
    {
        OrderStatus.RELEASED,
        OrderStatus.PICKING,
        OrderStatus.PICKED,
        OrderStatus.PACKED,
        OrderStatus.LOADED,
    }
)

_HEADERS = text(
    "SELECT o.number, o.trade_mode, COALESCE(o.shop, o.channel) AS customer, o.carrier,"
    " o.service, o.status, c.name, c.phone, c.address, c.city, c.province, c.postcode,"
    " c.country FROM sales_order o LEFT JOIN order_consignee c ON c.warehouse = o.warehouse"
    " AND c.order_number = o.number WHERE o.warehouse = :w AND o.number = ANY(CAST(:n AS text[]))"
)
_LINES = text(
    "SELECT order_number, line_no, sku, qty FROM order_line WHERE warehouse = :w"
    " AND order_number = ANY(CAST(:n AS text[])) ORDER BY order_number, line_no"
)


def ship_to(row: Any) -> dict[str, Any]:
    """The consignee as the label prints it: address lines split where the order had them."""
    lines = [part.strip() for part in str(row.address).splitlines() if part.strip()]
    return {
        "name": row.name,
        "phone": row.phone,
        "address": lines,
        "city": row.city,
        "province": row.province,
        "postcode": row.postcode,
        "country": row.country,
    }


def order_body(row: Any, lines: list[dict[str, Any]]) -> dict[str, Any]:
    """The document of one order (``row``: header and consignee)."""
    body: dict[str, Any] = {
        "number": row.number,
        "kind": row.trade_mode,
        "customer": row.customer,
        "carrier": row.carrier,
        "service": row.service,
        "lines": lines,
    }
    if row.status in ON_THE_FLOOR and row.name is not None:
        body["ship_to"] = ship_to(row)
    return body


def republish_orders(conn: Connection, warehouse: str, numbers: Sequence[str]) -> None:
    """Publish the given orders' documents as the orders now stand (status, consignee)."""
    if not numbers:
        return
    args = {"w": warehouse, "n": sorted(set(numbers))}
    lines: dict[str, list[dict[str, Any]]] = {}
    for r in conn.execute(_LINES, args):
        lines.setdefault(r.order_number, []).append(
            {"line_no": r.line_no, "sku": r.sku, "qty": r.qty}
        )
    docs = [
        (order_body(r, lines.get(r.number, [])), str(r.status))
        for r in conn.execute(_HEADERS, args)
    ]
    replace_many(conn, warehouse, "order", docs)
    publish_parcels(conn, warehouse, orders=[b["number"] for b, _ in docs])


# --- parcels as terminals see them ------------------------------------------------------------
# A dispatch terminal refuses a parcel by what it knows of it and of its order, so a parcel is
# republished when it moves and when its order's status does (a cancel, a shipment).

_PARCELS = text(
    "SELECT c.sscc, c.order_number AS order, c.carrier, c.service, c.waybill, c.status,"
    " c.customs_status, c.customs_text, o.status AS order_status, c.load, c.weight_g,"
    " c.station, c.booking FROM parcel c LEFT JOIN sales_order o ON o.warehouse = c.warehouse"
    " AND o.number = c.order_number WHERE c.warehouse = :w"
    " AND (c.sscc = ANY(CAST(:s AS text[])) OR c.order_number = ANY(CAST(:o AS text[])))"
)


def publish_parcels(
    conn: Connection, warehouse: str, ssccs: Sequence[str] = (), orders: Sequence[str] = ()
) -> None:
    """Publish parcels (those named, and every parcel of the orders named) as they stand."""
    if not ssccs and not orders:
        return
    rows = conn.execute(_PARCELS, {"w": warehouse, "s": list(ssccs), "o": list(orders)})
    emit(conn, (Emit(warehouse, "parcel", r.sscc, dict(r._mapping)) for r in rows))
