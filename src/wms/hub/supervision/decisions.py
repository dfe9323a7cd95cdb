"""Decisions taken at the hub (a recall, a hold, a customs clearance, a released hold).

They move stock between statuses as ledger deltas, like any op, and reach terminals as stock
changes on their next pull. Ledger rows written for a supervisor's decision name it (and its
reference, e.g. the customs declaration), so the ledger shows why stock changed status.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, text

from wms.domain.kinds import StockStatus
from wms.hub.feed import Emit, emit
from wms.hub.master import stock_key
from wms.hub.planning.reconcile import reconcile

# Ordered so a partial quantity is taken the same way every time: bin, lot, loose before pallet.
_ROWS = text(
    "SELECT sku, location, lot, container, status, qty FROM on_hand"
    " WHERE warehouse = :w AND sku = ANY(CAST(:skus AS text[]))"
    " AND (CAST(:lots AS text[]) IS NULL OR lot = ANY(CAST(:lots AS text[])))"
    " AND (:loc = '' OR location = :loc) AND (:ctr = '' OR container = :ctr)"
    " AND status = ANY(CAST(:statuses AS text[])) AND qty > 0"
    " ORDER BY location, lot, container, status FOR UPDATE"
)
_ADD = text(
    "INSERT INTO on_hand (warehouse, sku, location, lot, container, status, qty)"
    " VALUES (:w, :sku, :location, :lot, :container, :status, :qty)"
    " ON CONFLICT (warehouse, sku, location, lot, container, status)"
    " DO UPDATE SET qty = on_hand.qty + EXCLUDED.qty RETURNING qty"
)
_LEDGER = text(
    "INSERT INTO ledger (warehouse, sku, location, lot, container, status, delta, occurred_at,"
    " decision, reference) VALUES (:w, :sku, :location, :lot, :container, :status, :qty, :at,"
    " :decision, :reference)"
)


@dataclass(frozen=True)
class Selection:
    """Which stock a decision is about: products, optionally some lots, one bin, one pallet,
    in the given statuses (``lots`` None = every lot)."""

    skus: Collection[str]
    statuses: Collection[str]
    lots: Collection[str] | None = None
    location: str = ""
    container: str = ""


@dataclass(frozen=True)
class Moved:
    """Units of one on-hand row moved to another status."""

    sku: str
    location: str
    lot: str
    container: str
    qty: int


def move_status(
    conn: Connection,
    warehouse: str,
    selection: Selection,
    to: str,
    *,
    limit: int | None = None,
    decision: int | None = None,
    reference: str | None = None,
) -> list[Moved]:
    """Move the selected stock (at most ``limit`` units) to status ``to``; what moved."""
    now = datetime.now(UTC)
    args = {
        "w": warehouse,
        "skus": sorted(selection.skus),
        "lots": None if selection.lots is None else sorted(selection.lots),
        "loc": selection.location,
        "ctr": selection.container,
        "statuses": sorted(s for s in selection.statuses if s != to),
    }
    left_to_move = limit
    moved: list[Moved] = []
    changes: list[Emit] = []
    for r in conn.execute(_ROWS, args).all():
        qty = r.qty if left_to_move is None else min(r.qty, left_to_move)
        if qty <= 0:
            break
        base = {"w": warehouse, "sku": r.sku, "location": r.location, "lot": r.lot}
        base |= {"container": r.container, "at": now, "decision": decision}
        base["reference"] = reference
        for status, delta in ((r.status, -qty), (to, qty)):
            row = {**base, "status": status, "qty": delta}
            conn.execute(_LEDGER, row)
            left = conn.execute(_ADD, row).scalar_one()
            key = stock_key(r.sku, r.location, r.lot, r.container, status)
            body = {k: row[k] for k in ("sku", "location", "lot", "container", "status")}
            changes.append(Emit(warehouse, "stock", key, {**body, "qty": left} if left else None))
        moved.append(Moved(r.sku, r.location, r.lot, r.container, qty))
        if left_to_move is not None:
            left_to_move -= qty
    conn.execute(text("DELETE FROM on_hand WHERE warehouse = :w AND qty = 0"), {"w": warehouse})
    emit(conn, changes)
    reconcile(conn, warehouse, {m.sku for m in moved})  # promises on stock now held
    return moved


def change_status(
    conn: Connection, warehouse: str, sku: str, to: str, *, lot: str = "", location: str = ""
) -> int:
    """Move every unit of ``sku`` (one lot, one bin if given) to status ``to``; units moved."""
    selection = Selection(
        skus=[sku], statuses=list(StockStatus), lots=[lot] if lot else None, location=location
    )
    return sum(m.qty for m in move_status(conn, warehouse, selection, to))
