"""Order intake: orders are stored, allocated and published to terminals in one transaction.

Idempotent: an order is known by its warehouse and number (and, from the API, by the
channel's ``Idempotency-Key``). Posting the same order again changes nothing and answers what
the first posting made; the same number with other content is refused with what differs.
Intake refuses, writing nothing: an unknown product, and a line its trade mode can never take
(stock here only in statuses the mode may not take; bonded retail of a product not under
customs control). Stock that is merely short is no refusal: the line is backordered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Connection, text

from wms.domain.kinds import TAKES, OrderKind, OrderStatus, StockStatus
from wms.hub.documents import save_many
from wms.hub.planning.allocation import LineNeed, allocate
from wms.hub.planning.order_state import LineState, line_states
from wms.hub.planning.orders import (
    CONSIGNEE_FIELDS,
    OrderIn,
    consignee_content,
    content,
    content_hash,
    differences,
)

# Statuses that say the product is stocked here for some trade mode (held stock says nothing).
_SELLABLE = (StockStatus.AVAILABLE, StockStatus.CUSTOMS_HOLD)


class OrderRefused(Exception):
    """The orders cannot be taken as they are; ``errors`` say which line and why."""

    def __init__(self, code: str, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.code, self.errors = code, errors


class OrderConflict(Exception):
    """An order number already holds other content: ``conflicts`` maps number -> differences."""

    def __init__(self, conflicts: dict[str, list[str]]) -> None:
        described = "; ".join(f"{n}: {', '.join(d)}" for n, d in conflicts.items())
        super().__init__(f"already received with other content: {described}")
        self.conflicts = conflicts


class KeyReused(Exception):
    """The Idempotency-Key was used before for another order or other content."""


@dataclass(frozen=True)
class Taken:
    """What intake did with one order: ``created`` False when it was the same order again."""

    number: str
    created: bool
    status: str
    lines: list[LineState]


# One index probe per number (LATERAL, kept apart by OFFSET 0 so the planner cannot flatten
# it into a scan of the whole table), whatever it believes of the table's size.
_EXISTING = text(
    "SELECT o.number, o.content_hash, o.status FROM unnest(CAST(:n AS text[])) AS x(number)"
    " CROSS JOIN LATERAL (SELECT number, content_hash, status FROM sales_order"
    " WHERE warehouse = :w AND number = x.number OFFSET 0) o"
)
_BY_KEY = text(
    "SELECT number, content_hash FROM sales_order WHERE warehouse = :w AND channel = :c"
    " AND idempotency_key = :k"
)
_STOCKED = text(
    "SELECT DISTINCT sku, status FROM on_hand WHERE warehouse = :w AND qty > 0"
    " AND sku = ANY(CAST(:skus AS text[]))"
)
_ORDERS = text(
    "INSERT INTO sales_order (warehouse, number, channel, shop, trade_mode, priority, carrier,"
    " service, ship_by, currency, content_hash, idempotency_key) SELECT :w, number, :channel,"
    " shop, trade_mode, priority, carrier, service, ship_by, currency, content_hash, :key"
    " FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(number text, shop text,"
    " trade_mode text, priority int, carrier text, service text, ship_by timestamptz,"
    " currency text, content_hash text) ON CONFLICT DO NOTHING RETURNING number"
)
_LINES = text(
    "INSERT INTO order_line (warehouse, order_number, line_no, sku, qty, lot, min_shelf_days,"
    " unit_price, backordered) SELECT :w, order_number, line_no, sku, qty, lot, min_shelf_days,"
    " unit_price, backordered FROM jsonb_to_recordset(CAST(:rows AS jsonb))"
    " AS x(order_number text, line_no int, sku text, qty int, lot text, min_shelf_days int,"
    " unit_price numeric, backordered int)"
)
_CONSIGNEES = text(
    "INSERT INTO order_consignee (warehouse, order_number, name, phone, address, city,"
    " province, postcode, country, id_number) SELECT :w, order_number, name, phone, address,"
    " city, province, postcode, country, id_number FROM jsonb_to_recordset(CAST(:rows AS"
    " jsonb)) AS x(order_number text, name text, phone text, address text, city text,"
    " province text, postcode text, country text, id_number text)"
)


def stored_content(conn: Connection, warehouse: str, number: str) -> dict[str, Any]:
    """An order's content as held, in the shape :func:`orders.content` gives."""
    o = conn.execute(
        text("SELECT * FROM sales_order WHERE warehouse = :w AND number = :n"),
        {"w": warehouse, "n": number},
    ).one()
    who = conn.execute(
        text("SELECT * FROM order_consignee WHERE warehouse = :w AND order_number = :n"),
        {"w": warehouse, "n": number},
    ).one()
    lines = conn.execute(
        text(
            "SELECT sku, qty, unit_price, lot, min_shelf_days FROM order_line WHERE warehouse = :w"
            " AND order_number = :n ORDER BY line_no"
        ),
        {"w": warehouse, "n": number},
    )
    return {
        "channel": o.channel,
        "shop": o.shop,
        "trade_mode": o.trade_mode,
        "priority": o.priority,
        "carrier": o.carrier,
        "service": o.service,
        "ship_by": o.ship_by.astimezone(UTC).isoformat() if o.ship_by else None,
        "currency": o.currency,
        "consignee": consignee_content({f: getattr(who, f) for f in CONSIGNEE_FIELDS}),
        "lines": [
            {
                "sku": r.sku,
                "qty": r.qty,
                "unit_price": str(r.unit_price),
                "lot": r.lot,
                "min_shelf_days": r.min_shelf_days,
            }
            for r in lines
        ],
    }


def _refusals(conn: Connection, warehouse: str, orders: Sequence[OrderIn]) -> list[str]:
    skus = sorted({ln.sku for o in orders for ln in o.lines})
    products = {
        r.sku: bool(r.customs_controlled)
        for r in conn.execute(
            text("SELECT sku, customs_controlled FROM product WHERE sku = ANY(:s)"), {"s": skus}
        )
    }
    stocked: dict[str, set[str]] = {}
    for r in conn.execute(_STOCKED, {"w": warehouse, "skus": skus}):
        if r.status in _SELLABLE:
            stocked.setdefault(r.sku, set()).add(r.status)
    errors = []
    for o in orders:
        mode = OrderKind(o.trade_mode)
        for n, ln in enumerate(o.lines, start=1):
            where = f"order {o.number} line {n}"
            if ln.sku not in products:
                errors.append(f"{where}: unknown product {ln.sku}")
            elif mode is OrderKind.BONDED_RETAIL and not products[ln.sku]:
                errors.append(
                    f"{where}: {ln.sku} is not under customs control, so it cannot be sold as"
                    " bonded retail (1210): order it as domestic"
                )
            elif stocked.get(ln.sku) and not stocked[ln.sku] & set(TAKES[mode]):
                held = ", ".join(sorted(stocked[ln.sku]))
                errors.append(
                    f"{where}: {ln.sku} is stocked in {warehouse} only as {held}, which a"
                    f" {mode} order cannot take"
                )
    return errors


def _dispatch(order: OrderIn, today: date) -> date:
    return order.ship_by.astimezone(UTC).date() if order.ship_by else today


def _insert_orders(
    conn: Connection,
    warehouse: str,
    channel: str,
    orders: Sequence[OrderIn],
    *,
    key: str | None,
    hashes: dict[str, str],
) -> set[str]:
    """Insert the orders' headers not held yet; returns the numbers this transaction created."""
    rows = [
        {
            "number": o.number,
            "shop": o.shop,
            "priority": o.priority,
            "carrier": o.carrier,
            "service": o.service,
            "trade_mode": str(o.trade_mode),
            "ship_by": o.ship_by.isoformat() if o.ship_by else None,
            "currency": o.currency,
            "content_hash": hashes[o.number],
        }
        for o in orders
    ]
    args = {"w": warehouse, "channel": channel, "key": key, "rows": to_json(rows).decode()}
    return set(conn.scalars(_ORDERS, args))


def _insert_lines(
    conn: Connection, warehouse: str, orders: Sequence[OrderIn], got: dict[tuple[str, int], int]
) -> None:
    """The orders' lines, already counting what allocation reserved, and their consignees."""
    lines = [
        {
            "order_number": o.number,
            "line_no": n,
            **ln.model_dump(mode="json", exclude={"unit_price"}),
            "unit_price": str(ln.unit_price),
            "backordered": ln.qty - got.get((o.number, n), 0),
        }
        for o in orders
        for n, ln in enumerate(o.lines, start=1)
    ]
    if lines:
        conn.execute(_LINES, {"w": warehouse, "rows": to_json(lines).decode()})
        people = [{"order_number": o.number, **o.consignee.model_dump()} for o in orders]
        conn.execute(_CONSIGNEES, {"w": warehouse, "rows": to_json(people).decode()})


def _published(o: OrderIn, channel: str) -> dict[str, Any]:
    """The order as terminals see it (returns are booked against it): no personal data until
    it is released to the floor (:mod:`wms.hub.planning.order_documents`)."""
    return {
        "number": o.number,
        "kind": str(o.trade_mode),
        "customer": o.shop or channel,
        "carrier": o.carrier,
        "service": o.service,
        "lines": [{"line_no": n, "sku": ln.sku, "qty": ln.qty} for n, ln in enumerate(o.lines, 1)],
    }


def _check_known(
    conn: Connection,
    warehouse: str,
    channel: str,
    orders: Sequence[OrderIn],
    hashes: dict[str, str],
) -> set[str]:
    """Numbers already held with the same content; OrderConflict for any with other content."""
    held = {
        r.number: r.content_hash
        for r in conn.execute(_EXISTING, {"w": warehouse, "n": [o.number for o in orders]})
    }
    conflicts = {
        o.number: differences(stored_content(conn, warehouse, o.number), content(o, channel))
        for o in orders
        if o.number in held and held[o.number] != hashes[o.number]
    }
    if conflicts:
        raise OrderConflict(conflicts)
    return set(held)


def take_orders(
    conn: Connection,
    warehouse: str,
    channel: str,
    orders: Sequence[OrderIn],
    *,
    key: str | None = None,
    today: date | None = None,
) -> list[Taken]:
    """Take ``orders`` for ``warehouse`` from ``channel`` in the caller's transaction: store
    them, reserve their stock (highest priority and earliest cut-off first) and publish them."""
    today = today or datetime.now(UTC).date()
    hashes = {o.number: content_hash(content(o, channel)) for o in orders}
    if key is not None:
        found = conn.execute(_BY_KEY, {"w": warehouse, "c": channel, "k": key}).first()
        if found is not None and (
            len(orders) != 1
            or found.number != orders[0].number
            or found.content_hash != hashes[orders[0].number]
        ):
            raise KeyReused(
                f"Idempotency-Key {key} was used for order {found.number} with other content:"
                " send a new key for a new order"
            )
    known = _check_known(conn, warehouse, channel, orders, hashes)
    fresh = [o for o in orders if o.number not in known]
    errors = _refusals(conn, warehouse, fresh)
    if errors:
        code = "unknown_product" if any("unknown product" in e for e in errors) else "trade_mode"
        raise OrderRefused(code, errors)
    created = _insert_orders(conn, warehouse, channel, fresh, key=key, hashes=hashes)
    if len(created) < len(fresh):  # posted at the same moment by another request: compare
        late = [o for o in fresh if o.number not in created]
        known |= _check_known(conn, warehouse, channel, late, hashes)
    mine = sorted(
        (o for o in fresh if o.number in created),
        key=lambda o: (-o.priority, _dispatch(o, today), o.number),
    )
    got = allocate(
        conn,
        warehouse,
        [
            LineNeed(
                o.number,
                n,
                ln.sku,
                ln.qty,
                o.trade_mode,
                _dispatch(o, today),
                ln.lot,
                ln.min_shelf_days,
            )
            for o in mine
            for n, ln in enumerate(o.lines, start=1)
        ],
    )
    _insert_lines(conn, warehouse, mine, got)
    save_many(conn, warehouse, "order", [_published(o, channel) for o in mine])
    return _answers(conn, warehouse, orders, known, got)


def _taken(order: OrderIn, got: dict[tuple[str, int], int]) -> Taken:
    """What intake made of a new order, without reading it back."""
    lines = []
    for n, ln in enumerate(order.lines, start=1):
        reserved = got.get((order.number, n), 0)
        lines.append(LineState(n, ln.sku, ln.qty, reserved, 0, ln.qty - reserved, 0, ln.lot))
    return Taken(order.number, True, OrderStatus.OPEN, lines)


def _answers(
    conn: Connection,
    warehouse: str,
    orders: Sequence[OrderIn],
    known: set[str],
    got: dict[tuple[str, int], int],
) -> list[Taken]:
    """One answer per order, in the order posted: new ones as made, known ones as they are now."""
    again = [o.number for o in orders if o.number in known]
    states = line_states(conn, warehouse, again) if again else {}
    status = {r.number: r.status for r in conn.execute(_EXISTING, {"w": warehouse, "n": again})}
    return [
        Taken(o.number, False, status[o.number], states[o.number])
        if o.number in known
        else _taken(o, got)
        for o in orders
    ]
