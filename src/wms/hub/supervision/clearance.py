"""Customs clearance: a supervisor releases bonded stock (customs hold → available) under a
customs declaration, by declaration, ASN, lot or container, all of it or part of it.

Which stock an ASN (or a declaration's ASNs) covers: the products on its lines, narrowed to the
lots received against it when the hub has those receipts (stock loaded before the terminals
synced has no receipt to trace, so then every bonded lot of those products qualifies).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, text

from wms.domain.kinds import StockStatus
from wms.hub.customs.ledger import record_decision
from wms.hub.supervision.decisions import Moved, Selection, move_status
from wms.hub.supervision.supervisors import DecisionRefused, record
from wms.sync.bounds import INT32_MAX

_RECEIPTS = text(
    "SELECT number, body FROM document WHERE kind = 'receipt' AND warehouse = :w"
    " AND (number = :asn OR (:asn = '' AND body->>'customs_declaration' = :decl))"
)
_RECEIVED_LOTS = text(
    "SELECT DISTINCT l.sku, l.lot FROM ledger l JOIN received_op r"
    " ON r.stream_id = l.stream_id AND r.seq = l.seq"
    " WHERE r.warehouse = :w AND l.warehouse = :w AND r.type = 'receive'"
    " AND r.payload->>'document' = ANY(CAST(:docs AS text[]))"
    " AND l.status = 'customs_hold' AND l.delta > 0"
)


# The longest code of each kind the hub keeps (the declaration is the ledger's reference).
_WIDTHS = {"declaration": 40, "asn": 40, "sku": 40, "lot": 40, "container": 20}


class NothingToClear(DecisionRefused):
    """The request selects no bonded stock (or names no goods at all)."""


@dataclass(frozen=True)
class Clearance:
    """What a supervisor asks to clear. ``declaration`` is always required: it is the
    reference the ledger keeps. The rest narrow the stock; ``qty`` clears part of it."""

    declaration: str
    asn: str = ""
    sku: str = ""
    lot: str = ""
    container: str = ""
    qty: int | None = None


@dataclass(frozen=True)
class Cleared:
    """The decision's audit id and the rows it released."""

    decision: int
    moved: list[Moved] = field(default_factory=list)

    @property
    def units(self) -> int:
        """Units released."""
        return sum(m.qty for m in self.moved)


def _selection(conn: Connection, warehouse: str, c: Clearance) -> Selection:
    docs = conn.execute(_RECEIPTS, {"w": warehouse, "asn": c.asn, "decl": c.declaration}).all()
    if c.asn and not docs:
        raise NothingToClear(f"no receipt {c.asn} in {warehouse}")
    declared = {d.body.get("customs_declaration") for d in docs} - {None, "", c.declaration}
    if declared:  # the goods were declared under another number: clearing them here is wrong
        raise NothingToClear(f"{c.asn} is declared under {', '.join(sorted(declared))}")
    skus: set[str] = {c.sku} if c.sku else set()
    lots: set[str] | None = {c.lot} if c.lot else None
    if docs and not c.lot and not c.container:
        on_docs = {line["sku"] for d in docs for line in d.body.get("lines", [])}
        skus = skus & on_docs if skus else on_docs
        numbers = [d.number for d in docs]
        traced = conn.execute(_RECEIVED_LOTS, {"w": warehouse, "docs": numbers}).all()
        if traced:
            lots = {r.lot for r in traced if r.sku in skus}
    if not skus and (c.lot or c.container):
        skus = set(
            conn.scalars(
                text(
                    "SELECT DISTINCT sku FROM on_hand WHERE warehouse = :w AND status = :s"
                    " AND (:lot = '' OR lot = :lot) AND (:ctr = '' OR container = :ctr)"
                ),
                {"w": warehouse, "s": StockStatus.CUSTOMS_HOLD, "lot": c.lot, "ctr": c.container},
            )
        )
    if not skus:
        raise NothingToClear(f"declaration {c.declaration} names no goods here: give --asn, --lot")
    return Selection(skus, [StockStatus.CUSTOMS_HOLD], lots, container=c.container)


def clear(conn: Connection, warehouse: str, who: str, why: str, c: Clearance) -> Cleared:
    """Release the selected bonded stock to available, recorded against the declaration."""
    if c.qty is not None and not 0 < c.qty <= INT32_MAX:
        raise NothingToClear(f"the quantity to clear must be 1 to {INT32_MAX}")
    too_long = [k for k, width in _WIDTHS.items() if len(getattr(c, k)) > width]
    if too_long:
        raise NothingToClear(f"{too_long[0]} is longer than {_WIDTHS[too_long[0]]} characters")
    selection = _selection(conn, warehouse, c)
    details = {k: v for k, v in c.__dict__.items() if v not in ("", None)}
    decision = record(conn, warehouse, "clear", who, why, **details)
    moved = move_status(
        conn,
        warehouse,
        selection,
        StockStatus.AVAILABLE,
        limit=c.qty,
        decision=decision,
        reference=c.declaration,
    )
    if not moved:
        raise NothingToClear("no stock on customs hold matches: nothing cleared")
    record_decision(conn, warehouse, decision, "cleared")  # out of the bonded ledger
    return Cleared(decision, moved)
