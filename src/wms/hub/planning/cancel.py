"""Cancelling an order, until it is packed.

Its reservations are released at once (the units are available to sell again); its open pick
lines are withdrawn from the floor (the task is re-published with those lines marked
``withdrawn``, and a terminal refuses to pick them after its next pull); what was already
picked for it comes back through a put-back task per bin it was taken from: from the cart its
tote is on (or from the returns bin, for a terminal whose picks took the units out of stock).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from wms.domain.kinds import CANCELLABLE, LocationType, OrderStatus
from wms.hub.documents import publish
from wms.hub.planning.moves import MoveKind, MoveTask, create_moves
from wms.hub.planning.order_documents import republish_orders


class CannotCancel(Exception):
    """The order is too far along (packed or shipped)."""


class NoSuchOrder(Exception):
    """The warehouse has no order with that number."""


@dataclass(frozen=True)
class Cancelled:
    """What cancelling did: units released, pick lines withdrawn, put-back tasks raised;
    ``already`` when the order had been cancelled before (nothing changed)."""

    number: str
    released: int = 0
    withdrawn: list[str] = field(default_factory=list)
    put_backs: list[str] = field(default_factory=list)
    already: bool = False


_ORDER = text(
    "SELECT status, channel FROM sales_order WHERE warehouse = :w AND number = :n FOR UPDATE"
)
_LOCK_LINES = text(
    "SELECT 1 FROM pick_line WHERE warehouse = :w AND order_number = :n"
    " ORDER BY task, seq FOR UPDATE"
)
_RELEASE = text(
    "DELETE FROM reservation WHERE warehouse = :w AND order_number = :n RETURNING line_no, qty"
)
_LINES = text(
    "UPDATE order_line SET cancelled = qty - picked, backordered = 0"
    " WHERE warehouse = :w AND order_number = :n"
)
_WITHDRAW = text(
    "UPDATE pick_line SET state = 'withdrawn' WHERE warehouse = :w AND order_number = :n"
    " AND state = 'open' RETURNING task, seq"
)
_PICKED = text(
    "SELECT sku, location, lot, SUM(picked) AS units FROM pick_line WHERE warehouse = :w"
    " AND order_number = :n AND picked > 0 GROUP BY sku, location, lot ORDER BY location, sku, lot"
)
_STATUS = text(
    "UPDATE sales_order SET status = 'cancelled', cancel_reason = :why, updated_at = now()"
    " WHERE warehouse = :w AND number = :n"
)
_TASK = text(
    "SELECT body FROM document WHERE warehouse = :w AND kind = 'pick_task' AND number = :n"
    " FOR UPDATE"
)
# Units picked into totes, and the bin each came from (its pick line's).
_IN_TOTES = text(
    "SELECT r.sku, r.lot, r.location AS cart, COALESCE(p.location, r.location) AS bin,"
    " SUM(r.qty) AS qty FROM reservation r LEFT JOIN pick_line p ON p.warehouse = r.warehouse"
    " AND p.task = r.task AND p.seq = r.task_seq WHERE r.warehouse = :w AND r.order_number = :n"
    " AND r.stage = 'picked' GROUP BY 1, 2, 3, 4 ORDER BY 3, 4, 1, 2"
)
# Where goods picked for a cancelled order are booked back (a return), before put-away.
_RETURNS_BIN = text(
    "SELECT code FROM location WHERE warehouse = :w AND type = :t AND NOT blocked"
    " ORDER BY pick_sequence, code LIMIT 1"
)


def _withdraw(conn: Connection, warehouse: str, lines: dict[str, set[int]]) -> None:
    """Re-publish each task with its withdrawn lines marked; a task left with nothing to pick
    and nothing picked is cancelled."""
    for task in sorted(lines):  # sorted: concurrent cancels lock documents in one order
        body: dict[str, Any] = dict(conn.execute(_TASK, {"w": warehouse, "n": task}).scalar_one())
        body["lines"] = [
            {**ln, "withdrawn": True} if ln["seq"] in lines[task] else ln for ln in body["lines"]
        ]
        left = conn.execute(
            text(
                "SELECT bool_or(state = 'open'), bool_or(picked > 0) FROM pick_line"
                " WHERE warehouse = :w AND task = :t"
            ),
            {"w": warehouse, "t": task},
        ).one()
        status = None if left[0] else ("done" if left[1] else "cancelled")
        conn.execute(
            text(
                "UPDATE document SET body = CAST(:b AS jsonb),"
                " status = COALESCE(CAST(:s AS text), status),"
                " leased_to = CASE WHEN CAST(:s AS text) IS NULL THEN leased_to END,"
                " lease_until = CASE WHEN CAST(:s AS text) IS NULL THEN lease_until END"
                " WHERE warehouse = :w AND kind = 'pick_task' AND number = :n"
            ),
            {"b": json.dumps(body), "s": status, "w": warehouse, "n": task},
        )
        publish(conn, warehouse, "pick_task", task)


def _put_backs(
    conn: Connection, warehouse: str, number: str, in_totes: Sequence[Any]
) -> list[MoveTask]:
    """Put-backs for what was picked: from the cart, for units held in totes; from the returns
    bin (booked back as a return), for picks of a terminal that took units out of stock."""
    if in_totes:
        return [
            MoveTask(MoveKind.PUT_BACK, r.sku, r.lot, r.cart, r.bin, int(r.qty), number)
            for r in in_totes
        ]
    back = conn.execute(_RETURNS_BIN, {"w": warehouse, "t": LocationType.RETURNS}).scalar()
    return [
        MoveTask(
            MoveKind.PUT_BACK, r.sku, r.lot, back or r.location, r.location, int(r.units), number
        )
        for r in conn.execute(_PICKED, {"w": warehouse, "n": number})
    ]


def cancel(
    conn: Connection, warehouse: str, number: str, why: str, *, channel: str | None = None
) -> Cancelled:
    """Cancel order ``number`` in the caller's transaction. ``channel``: the channel asking,
    which may cancel only its own orders (None: a supervisor, any order of the warehouse)."""
    row = conn.execute(_ORDER, {"w": warehouse, "n": number}).first()
    if row is None or (channel is not None and row.channel != channel):
        raise NoSuchOrder(f"no order {number} in {warehouse}")
    if row.status == OrderStatus.CANCELLED:
        return Cancelled(number, already=True)
    if row.status not in CANCELLABLE:
        raise CannotCancel(f"order {number} is {row.status}: too late to cancel, it is packed")
    # Its pick lines first, in the order a push settling picks locks them: never a deadlock.
    conn.execute(_LOCK_LINES, {"w": warehouse, "n": number})
    held = conn.execute(_IN_TOTES, {"w": warehouse, "n": number}).all()
    released = sum(int(r.qty) for r in conn.execute(_RELEASE, {"w": warehouse, "n": number}))
    conn.execute(_LINES, {"w": warehouse, "n": number})
    lines: dict[str, set[int]] = defaultdict(set)
    for r in conn.execute(_WITHDRAW, {"w": warehouse, "n": number}):
        lines[r.task].add(int(r.seq))
    _withdraw(conn, warehouse, lines)
    moves = _put_backs(conn, warehouse, number, held)
    put_backs = [n for _, n in create_moves(conn, warehouse, moves)]
    conn.execute(_STATUS, {"why": why, "w": warehouse, "n": number})
    republish_orders(conn, warehouse, [number])  # without its consignee from now on
    withdrawn = [f"{t}/{s}" for t in sorted(lines) for s in sorted(lines[t])]
    return Cancelled(number, released, withdrawn, put_backs)
