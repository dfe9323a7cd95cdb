"""The bonded ledger (账册) as the warehouse keeps it for customs: one entry per movement of
bonded goods across the zone's boundary, per product (and its ledger item), tied to the op,
decision or parcel it comes from.

- ``opening``: the ledger is opened (the warehouse's customs codes saved the first time): the
  bonded stock held then;
- ``receipt``: goods received on customs hold (at a bonded dock): 一线入区;
- ``deduct``: a parcel whose list customs released (800) ships: 二线出区核减;
- ``return``: returned goods of a bonded-retail order re-enter the zone (declared by CEB625);
- ``correction``: a count, an adjustment, a supervisor's adjustment or write-off of bonded
  stock;
- ``cleared``: bonded stock released to general trade under a customs declaration.

A parcel that ships unreleased is deducted from nothing: its units leave the physical stock
only, and the reconciliation shows the difference with that parcel and op. Entries are written
in the transaction that moves the stock, so both ledgers always agree on what happened when.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic_core import to_json
from sqlalchemy import Connection, text

from wms.domain.customs import CustomsStatus
from wms.domain.kinds import OpType, StockStatus
from wms.sync.ops import WireOp

BONDED = StockStatus.CUSTOMS_HOLD.value
KINDS = ("opening", "receipt", "deduct", "return", "correction", "cleared")
_BY_OP: dict[str, str] = {
    OpType.RECEIVE: "receipt",
    OpType.RETURN: "return",
    OpType.COUNT: "correction",
    OpType.ADJUST: "correction",
    OpType.SHIP: "deduct",
}

_OPEN = text(
    "INSERT INTO customs_warehouse (warehouse, codes, opened_at, opened_cut, opened_by)"
    " VALUES (:w, CAST(:c AS jsonb), now(), (SELECT COALESCE(MAX(id), 0) FROM ledger), :who)"
)
_OPENING = text(
    "INSERT INTO bonded_ledger (warehouse, sku, item_record_no, kind, units, occurred_at)"
    " SELECT o.warehouse, o.sku, i.item_record_no, 'opening', SUM(o.qty), now() FROM on_hand o"
    " LEFT JOIN customs_item i ON i.warehouse = o.warehouse AND i.sku = o.sku"
    " WHERE o.warehouse = :w AND o.status = :bonded GROUP BY o.warehouse, o.sku,"
    " i.item_record_no HAVING SUM(o.qty) <> 0"
)
_ADD = text(
    "INSERT INTO bonded_ledger (warehouse, sku, item_record_no, kind, units, occurred_at,"
    " stream_id, seq, decision, sscc, reference) SELECT :w, x.sku, i.item_record_no, x.kind,"
    " x.units, x.occurred_at, x.stream_id, x.seq, x.decision, x.sscc, x.reference"
    " FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(sku text, kind text, units bigint,"
    " occurred_at timestamptz, stream_id text, seq bigint, decision bigint, sscc text,"
    " reference text) LEFT JOIN customs_item i ON i.warehouse = :w AND i.sku = x.sku"
)
_OP_ROWS = text(
    "SELECT stream_id, seq, sku, container, SUM(delta) AS units, MIN(occurred_at) AS at"
    " FROM ledger WHERE warehouse = :w AND status = :bonded AND (stream_id, seq) IN"
    " (SELECT * FROM unnest(CAST(:s AS text[]), CAST(:q AS bigint[])))"
    " GROUP BY stream_id, seq, sku, container HAVING SUM(delta) <> 0"
)
_RELEASED = text(
    "SELECT c.sscc, (SELECT m.guid FROM customs_message m WHERE m.warehouse = c.warehouse"
    " AND m.sscc = c.sscc AND m.kind = 'CEB621' AND m.status = 'released' LIMIT 1) AS list"
    " FROM parcel c WHERE c.warehouse = :w AND c.sscc = ANY(CAST(:s AS text[]))"
    " AND c.customs_status = :released"
)


def open_ledger(conn: Connection, warehouse: str, codes_json: str, who: str) -> None:
    """Record the warehouse's codes and open its ledger with the bonded stock it holds: stock
    writers are held off meanwhile, so the opening is exactly the stock up to its cut."""
    conn.execute(text("LOCK TABLE ledger, on_hand IN SHARE MODE"))
    conn.execute(_OPEN, {"w": warehouse, "c": codes_json, "who": who})
    conn.execute(_OPENING, {"w": warehouse, "bonded": BONDED})


def is_open(conn: Connection, warehouse: str) -> bool:
    """Whether the warehouse keeps a bonded ledger."""
    found = conn.execute(
        text("SELECT 1 FROM customs_warehouse WHERE warehouse = :w"), {"w": warehouse}
    )
    return found.first() is not None


def record_ops(conn: Connection, warehouse: str, ops: Sequence[WireOp]) -> int:
    """The entries of a push's ops, read from the bonded stock rows they wrote (after the
    hub's own figures: a count's adjustment, a return re-booked on customs hold); entries
    written."""
    relevant = [op for op in ops if op.type in _BY_OP]
    if not relevant or not is_open(conn, warehouse):
        return 0
    types = {(op.stream, op.seq): op.type for op in relevant}
    args = {"w": warehouse, "bonded": BONDED}
    rows = conn.execute(
        _OP_ROWS, args | {"s": [s for s, _ in types], "q": [q for _, q in types]}
    ).all()
    shipped = sorted({r.container for r in rows if types[(r.stream_id, r.seq)] == OpType.SHIP})
    released = {
        p.sscc: p.list
        for p in conn.execute(
            _RELEASED, {"w": warehouse, "s": shipped, "released": str(CustomsStatus.RELEASED)}
        )
    }
    entries = []
    for r in rows:
        kind = _BY_OP[types[(r.stream_id, r.seq)]]
        if kind == "deduct" and r.container not in released:
            continue  # left unreleased: nothing customs would deduct (the gap is traced)
        entries.append(
            {
                "sku": r.sku,
                "kind": kind,
                "units": int(r.units),
                "occurred_at": r.at,
                "stream_id": r.stream_id,
                "seq": r.seq,
                "decision": None,
                "sscc": r.container or None,
                "reference": released.get(r.container),
            }
        )
    return _add(conn, warehouse, entries)


def record_decision(conn: Connection, warehouse: str, decision: int, kind: str) -> int:
    """The entries of a supervisor's decision that moved bonded stock (``correction`` or
    ``cleared``); entries written."""
    if not is_open(conn, warehouse):
        return 0
    rows = conn.execute(
        text(
            "SELECT sku, SUM(delta) AS units, MIN(occurred_at) AS at, MIN(reference) AS ref"
            " FROM ledger WHERE warehouse = :w AND decision = :d AND status = :bonded"
            " GROUP BY sku HAVING SUM(delta) <> 0"
        ),
        {"w": warehouse, "d": decision, "bonded": BONDED},
    )
    entries = [
        {"sku": r.sku, "kind": kind, "units": int(r.units), "occurred_at": r.at,
         "stream_id": None, "seq": None, "decision": decision, "sscc": None, "reference": r.ref}
        for r in rows
    ]  # fmt: skip
    return _add(conn, warehouse, entries)


def _add(conn: Connection, warehouse: str, entries: list[dict[str, object]]) -> int:
    if entries:
        conn.execute(_ADD, {"w": warehouse, "rows": to_json(entries, fallback=str).decode()})
    return len(entries)
