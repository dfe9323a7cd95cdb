"""What the console shows, read from the hub's database (no Textual here).

The exceptions queue and the scorecard come from the hub's own services, so the console and
``wms hub exceptions`` / ``wms hub scorecard`` always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from wms.domain.kinds import StockStatus
from wms.hub.customs.gate import STEPS
from wms.hub.customs.reconcile import NotOpen, Report, reconcile
from wms.hub.shipping.parcels import LoadView, ParcelView, loads, parcels
from wms.hub.supervision.resolutions import open_exceptions
from wms.hub.supervision.scorecard import SupplierScore, load_weights, receipt_facts, scorecard
from wms.hub.supervision.scorecard_rules import period_range

HELD_STATUSES = (StockStatus.CUSTOMS_HOLD, StockStatus.QUARANTINE, StockStatus.RECALLED)

_HOLDS = text(
    "SELECT warehouse, sku, lot, status, SUM(qty) AS qty FROM on_hand"
    " WHERE warehouse = :w AND status = ANY(CAST(:statuses AS text[])) AND qty > 0"
    " GROUP BY warehouse, sku, lot, status ORDER BY warehouse, status, sku, lot"
)
# Every authenticated request moves last_seen; last_pull moves when a pull reaches the end.
_TERMINALS = text(
    "SELECT d.id, d.warehouse, d.revoked, d.last_seen, d.last_pull,"
    " (SELECT MAX(s.last_seq) FROM op_stream s WHERE s.device = d.id) AS last_seq,"
    " (SELECT MAX(a.at) FROM sync_audit a WHERE a.device = d.id AND a.action = 'push')"
    " AS last_push FROM device d WHERE d.warehouse = :w ORDER BY d.id"
)

_OPEN_ORDERS = text(
    "SELECT o.number, o.trade_mode, o.priority, o.carrier, o.ship_by, COUNT(l.line_no) AS lines,"
    " COALESCE(SUM(l.backordered), 0) AS short FROM sales_order o JOIN order_line l"
    " ON l.warehouse = o.warehouse AND l.order_number = o.number"
    " WHERE o.warehouse = :w AND o.status = 'open' GROUP BY o.warehouse, o.number"
    " ORDER BY o.priority DESC, o.ship_by NULLS LAST, o.received_at, o.number LIMIT :n"
)


@dataclass(frozen=True)
class Held:
    """Units of one lot of a product in one held status."""

    warehouse: str
    sku: str
    lot: str
    status: str
    qty: int


@dataclass(frozen=True)
class TerminalState:
    """How far one enrolled device has synced."""

    device: int
    warehouse: str
    last_seq: int
    last_push: datetime | None
    last_pull: datetime | None
    last_seen: datetime | None
    revoked: bool


def exceptions(conn: Connection, warehouse: str) -> list[dict[str, Any]]:
    """Open exceptions of ``warehouse`` with their facts, oldest first."""
    return open_exceptions(conn, warehouse)


def holds(conn: Connection, warehouse: str) -> list[Held]:
    """Stock of ``warehouse`` on customs hold, in quarantine or recalled, per status, product
    and lot."""
    rows = conn.execute(_HOLDS, {"w": warehouse, "statuses": [str(s) for s in HELD_STATUSES]})
    return [Held(r.warehouse, r.sku, r.lot, r.status, int(r.qty)) for r in rows]


def terminals(conn: Connection, warehouse: str) -> list[TerminalState]:
    """Every device enrolled in ``warehouse``: last sequence acknowledged, last push, last
    complete pull, last request, revoked."""
    return [
        TerminalState(
            r.id,
            r.warehouse,
            int(r.last_seq or 0),
            r.last_push,
            r.last_pull,
            r.last_seen,
            bool(r.revoked),
        )
        for r in conn.execute(_TERMINALS, {"w": warehouse})
    ]


def scores(conn: Connection, warehouse: str, period: str | None = None) -> list[SupplierScore]:
    """``warehouse``'s supplier scorecard with the shipped weights; ValueError for a bad
    period."""
    if period:
        period_range(period)  # refuse a bad period before reading any receipt
    return scorecard(receipt_facts(conn, warehouse), load_weights(), period)


@dataclass(frozen=True)
class OpenOrder:
    """An order not yet released: its rule fields, lines, and units short of stock."""

    number: str
    trade_mode: str
    priority: int
    carrier: str | None
    ship_by: datetime | None
    lines: int
    short: int


def open_orders(conn: Connection, warehouse: str, limit: int = 500) -> list[OpenOrder]:
    """The warehouse's open orders, most urgent first (as a wave takes them)."""
    rows = conn.execute(_OPEN_ORDERS, {"w": warehouse, "n": limit})
    return [OpenOrder(**r._mapping) for r in rows]


def warehouses(conn: Connection) -> list[str]:
    """Warehouse codes at this hub."""
    return list(conn.scalars(text("SELECT code FROM warehouse ORDER BY code")))


def active_supervisor(conn: Connection, name: str) -> bool:
    """Whether ``name`` is a supervisor whose access has not been revoked."""
    row = conn.execute(text("SELECT revoked FROM supervisor WHERE name = :n"), {"n": name}).first()
    return row is not None and not row.revoked


def shipping_now(
    conn: Connection, warehouse: str, limit: int = 200
) -> tuple[list[ParcelView], list[LoadView]]:
    """The warehouse's latest parcels and loads, newest first."""
    return parcels(conn, warehouse, limit=limit), loads(conn, warehouse, limit=50)


def customs_now(conn: Connection, warehouse: str) -> tuple[Report | None, list[dict[str, Any]]]:
    """The bonded ledger's reconciliation as of now (None: the warehouse keeps none), and the
    open customs exceptions whose parcel awaits a supervisor's next step."""
    try:
        report: Report | None = reconcile(conn, warehouse)
    except NotOpen:
        report = None
    stopped = [e for e in open_exceptions(conn, warehouse) if e["kind"] in STEPS]
    return report, stopped
