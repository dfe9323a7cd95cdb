"""An order's timeline: what happened to it, when, where, with the facts, for its channel.

Nothing here is stored: every event is read from the records the hub keeps anyway (the order,
its reservations, its wave, the floor's ops, and parcels, loads and customs receipts as those
parts land), so the timeline can never disagree with them.

**Adding a part's events** (pack and ship, customs): write a *source* — a function
``(conn, order) -> Iterable[Event]`` that reads your part's records of ``order`` (an
:class:`Order`: warehouse, number and header) — in :mod:`.sources` (or a module of your own in
this package), add it to :data:`.sources.SOURCES`, and, if it brings a new kind of event, give
that kind its place in :data:`KINDS` (the order events of one instant are shown in). A source
reads one order with a few indexed queries; it never writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

# Every kind of event, in the order they happen to an order: events of the same instant are
# listed in this order.
KINDS = (
    "received",
    "allocated",
    "backordered",
    "released",
    "picked",
    "short_picked",
    "packed",
    "declared",
    "customs_released",
    "customs_held",
    "customs_rejected",
    "customs_cancel_requested",
    "customs_cancelled",
    "customs_return_declared",
    "loaded",
    "shipped",
    "cancelled",
    "put_back",
)


@dataclass(frozen=True)
class Event:
    """One event: when, what, where (the warehouse, and the bin, dock or office when known),
    and its facts (units, lots, waybill numbers…)."""

    at: datetime
    kind: str
    warehouse: str
    location: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Order:
    """The order a source reads: its keys and its header as the hub holds it."""

    warehouse: str
    number: str
    status: str
    channel: str
    received_at: datetime
    updated_at: datetime
    wave: int | None
    cancel_reason: str | None


Source = Callable[[Connection, Order], Iterable[Event]]

_HEADER = text(
    "SELECT warehouse, number, status, channel, received_at, updated_at, wave, cancel_reason"
    " FROM sales_order WHERE warehouse = :w AND number = :n"
)


def order_of(conn: Connection, warehouse: str, number: str) -> Order | None:
    """The order's header; None when ``warehouse`` has no such order."""
    row = conn.execute(_HEADER, {"w": warehouse, "n": number}).first()
    return None if row is None else Order(**row._mapping)


def timeline(conn: Connection, order: Order, sources: Sequence[Source]) -> list[Event]:
    """Every source's events of ``order``, oldest first."""
    rank = {k: i for i, k in enumerate(KINDS)}
    events = [e for source in sources for e in source(conn, order)]
    return sorted(events, key=lambda e: (e.at, rank.get(e.kind, len(rank))))


def _fact(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_fact(v) for v in value)
    if isinstance(value, dict):
        return " ".join(f"{k} {_fact(v)}" for k, v in value.items() if v not in ("", None))
    return str(value)


def describe(event: Event) -> str:
    """One line for people: time, kind, where, facts."""
    where = event.location or event.warehouse
    return f"{event.at:%Y-%m-%d %H:%M:%S %Z}  {event.kind:13} {where:14} {_fact(event.facts)}"
