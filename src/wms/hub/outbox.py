"""The webhook outbox: events about orders, written in the transaction that makes them.

An event is only as true as the change it reports, so it is written with that change or not at
all: a rolled-back transaction leaves no event, a committed one always leaves its event, and
the delivery worker (:mod:`wms.hub.integration.delivery`) sends it afterwards, at least once.

- **Order status changes** need no call: a trigger on ``sales_order`` (hub migration 0010)
  enqueues ``order.<status>`` (``order.received`` for a new order) whenever a statement moves
  an order's status, whichever part of the hub runs it (intake, waves, a push's picks,
  cancelling, and packing, shipping or customs as they come). Its data: the order, warehouse,
  status, previous status and wave.
- **Other facts** about an order (a customs hold, a parcel's waybill) are enqueued by the part
  that records them, in its own transaction, with :func:`enqueue`; their type must be listed in
  :data:`EVENT_TYPES` so channels can subscribe to it.

Either way one SQL function (``outbox_enqueue``) writes one row per subscription of the order's
channel that asked for the type; with no such subscription, nothing is written. This module is
a foundation: any part of the hub may import it, and it imports nothing of theirs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Connection, text

# Every event type a channel may subscribe to, with what it means. A part that emits a new
# type adds it here.
EVENT_TYPES: dict[str, str] = {
    "order.received": "the hub took the order (its stock reserved, or backordered)",
    "order.released": "released to the floor in a wave",
    "order.picking": "the first pick of it arrived",
    "order.picked": "nothing of it is left to pick (what could not be is backordered)",
    "order.packed": "packed into parcels",
    "order.shipped": "left the warehouse",
    "order.declared": "a parcel of it was declared to customs (its import list handed over)",
    "order.customs_released": "customs released a parcel of it: it may leave",
    "order.customs_rejected": "customs rejected a parcel's import list",
    "order.customs_held": "customs holds a parcel of it (inspection or detention)",
    "order.customs_cancelled": "customs cancelled a parcel's import list",
    "order.cancelled": "cancelled; its stock released",
}
EVERY_TYPE = "*"

_ENQUEUE = text("SELECT outbox_enqueue(CAST(:events AS jsonb))")


@dataclass(frozen=True)
class Event:
    """An event about order ``order`` of ``warehouse``; ``data`` is what receivers get."""

    warehouse: str
    order: str
    type: str
    data: dict[str, Any] = field(default_factory=dict)


def enqueue(conn: Connection, events: Iterable[Event]) -> int:
    """Write ``events`` to the outbox in the caller's transaction (one statement), for every
    subscription of each order's channel that asked for its type; returns the rows written.

    Events of one order are delivered in the order given here, after those enqueued earlier.
    ValueError for a type not in :data:`EVENT_TYPES`.
    """
    rows = []
    for e in events:
        if e.type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {e.type}: add it to EVENT_TYPES")
        data = {"order": e.order, "warehouse": e.warehouse, **e.data}
        rows.append({"warehouse": e.warehouse, "order": e.order, "type": e.type, "data": data})
    if not rows:
        return 0
    return int(conn.execute(_ENQUEUE, {"events": to_json(rows).decode()}).scalar_one())
