"""Orders, channels and stock for the outbound planning tests, and the invariants they check.

Products used here have no stock in the demo: apparel SKU-01402..SKU-01410 (no lots), infant
formula SKU-00003.. and cosmetics SKU-00303.. (lot-tracked, with removal margins).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, text

from tests.hub.supervisor_helpers import place_stock
from wms.hub.planning.channels import new_channel
from wms.hub.planning.intake import take_orders
from wms.hub.planning.orders import OrderIn

SHIRT, SOCKS, CAP, SCARF = "SKU-01402", "SKU-01403", "SKU-01404", "SKU-01405"
FACE, FACE2 = "P-01-01-A-1", "P-01-01-A-2"
RESERVE, RESERVE2, RESERVE3 = "A-02-01-A-1", "A-03-01-A-1", "B-01-01-A-1"
BONDED = "BND-01-02-A-1"
CONSIGNEE = {
    "name": "Li Wei",
    "phone": "+86 138 0013 8000",
    "address": "88 Century Avenue, Pudong",
    "city": "Shanghai",
    "country": "CN",
}


def order_body(number: str, *lines: tuple[str, int], **header: Any) -> dict[str, Any]:
    """A valid order for DEMO (JSON, as a channel posts it); ``header`` overrides fields."""
    return {
        "number": number,
        "warehouse": "DEMO",
        "shop": "Tmall Global flagship",
        "trade_mode": "domestic",
        "carrier": "SF",
        "currency": "CNY",
        "consignee": CONSIGNEE,
        "lines": [{"sku": sku, "qty": qty, "unit_price": "59.90"} for sku, qty in lines],
        **header,
    }


def take(conn: Connection, *orders: dict[str, Any], channel: str = "tmall") -> None:
    """Take orders straight through the intake service (no HTTP)."""
    take_orders(conn, "DEMO", channel, [OrderIn.model_validate(o) for o in orders])


def channel_headers(engine: Engine, name: str = "tmall", *warehouses: str) -> dict[str, str]:
    """Authorization for sales channel ``name`` serving ``warehouses`` (default DEMO)."""
    with engine.begin() as conn:
        token = new_channel(conn, name, list(warehouses or ("DEMO",)))
    return {"Authorization": f"Bearer {token}"}


def put_stock(
    engine: Engine,
    sku: str,
    location: str,
    qty: int,
    *,
    lot: str = "",
    expiry: str | None = None,
    status: str = "available",
    container: str = "",
) -> None:
    """Opening stock in a bin at the hub, published (see ``place_stock``)."""
    place_stock(
        engine, sku, location, lot, qty=qty, expiry=expiry, status=status, container=container
    )


def reservations(engine: Engine, order: str) -> list[tuple[str, str, str, int]]:
    """An order's reservations: (sku, bin, lot, units), by bin."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT sku, location, lot, SUM(qty) FROM reservation WHERE warehouse = 'DEMO'"
                " AND order_number = :o GROUP BY 1, 2, 3 ORDER BY 2, 3"
            ),
            {"o": order},
        )
        return [(r[0], r[1], r[2], int(r[3])) for r in rows]


def over_reserved(conn: Connection) -> list[tuple[Any, ...]]:
    """Stock rows with more reserved than on hand: must always be empty."""
    return list(
        conn.execute(
            text(
                "SELECT r.sku, r.location, r.lot, r.status, SUM(r.qty), MAX(o.qty)"
                " FROM reservation r LEFT JOIN on_hand o ON o.warehouse = r.warehouse"
                " AND o.sku = r.sku AND o.location = r.location AND o.lot = r.lot"
                " AND o.container = r.container AND o.status = r.status"
                " GROUP BY r.sku, r.location, r.lot, r.container, r.status"
                " HAVING SUM(r.qty) > COALESCE(MAX(o.qty), 0)"
            )
        ).all()
    )


def unbalanced_lines(conn: Connection) -> list[tuple[Any, ...]]:
    """Order lines whose units do not add up (still to pick + picked + backordered +
    cancelled)."""
    return list(
        conn.execute(
            text(
                "SELECT l.order_number, l.line_no, l.qty, COALESCE(SUM(r.qty), 0), l.picked,"
                " l.backordered, l.cancelled FROM order_line l LEFT JOIN reservation r"
                " ON r.warehouse = l.warehouse AND r.order_number = l.order_number"
                " AND r.line_no = l.line_no AND r.stage = 'pick'"
                " GROUP BY l.warehouse, l.order_number, l.line_no"
                " HAVING l.qty <> COALESCE(SUM(r.qty), 0) + l.picked + l.backordered + l.cancelled"
            )
        ).all()
    )


def order_status(engine: Engine, number: str) -> str:
    """The hub's status of order ``number``."""
    with engine.connect() as conn:
        q = text("SELECT status FROM sales_order WHERE warehouse = 'DEMO' AND number = :n")
        return str(conn.execute(q, {"n": number}).scalar_one())
