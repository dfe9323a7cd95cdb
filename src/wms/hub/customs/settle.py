"""What the floor's pushed ops mean for customs (called by sync's ingest, in the push's
transaction, after shipping recorded the parcels):

- a ``pack`` of a bonded-retail parcel declares it: its import list is built, validated and
  queued (or it stays ``pending`` with why, and a supervisor is told what to fix);
- an ``unpack`` of a parcel whose list customs may still act on takes the list back (a cancel
  request, CEB623): customs would otherwise count its goods as gone;
- a ``return`` of a bonded-retail order's goods declares them back (CEB625, against the
  original list);

and, once the push's stock is written, :func:`record_ledger` writes the bonded ledger's
entries of its ops.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Connection, text

from wms.domain.kinds import OpType, OrderKind
from wms.hub.customs.declare import declare_parcel, request_cancel, request_return
from wms.hub.customs.gate import Raise
from wms.hub.customs.ledger import record_ops
from wms.sync.ops import WireOp

_NEW_PARCEL = text(
    "SELECT 1 FROM parcel WHERE warehouse = :w AND sscc = :s AND stream_id = :st AND seq = :q"
    " AND customs_status = 'pending'"
)
_BONDED_ORDERS = text(
    "SELECT number FROM sales_order WHERE warehouse = :w AND number = ANY(CAST(:n AS text[]))"
    " AND trade_mode = :mode"
)


def settle_customs(conn: Connection, warehouse: str, ops: Sequence[WireOp]) -> list[Raise]:
    """Declare packed parcels, take back opened ones, declare returns; the exceptions to
    raise."""
    raised: list[Raise] = []
    returns: dict[tuple[str, int], tuple[str, dict[str, int], str]] = {}
    for op in ops:
        where = (op.stream, op.seq)
        if op.type == OpType.PACK:
            sscc = str(op.payload["parcel"])
            args = {"w": warehouse, "s": sscc, "st": op.stream, "q": op.seq}
            if conn.execute(_NEW_PARCEL, args).first() is not None:  # not a duplicate SSCC
                raised += declare_parcel(conn, warehouse, sscc, op=where).raised
        elif op.type == OpType.UNPACK:
            why = f"parcel opened again: {op.payload.get('reason') or 'no reason given'}"
            request_cancel(conn, warehouse, str(op.payload["parcel"]), why, op=where)
        elif op.type == OpType.RETURN and op.payload.get("order"):
            units: dict[str, int] = defaultdict(int)
            for d in op.deltas:
                if d.delta > 0:
                    units[d.sku] += d.delta
            reason = str(op.payload.get("reason") or op.payload.get("grade") or "")
            returns[where] = (str(op.payload["order"]), dict(units), reason)
    if returns:
        orders = sorted({o for o, _, _ in returns.values()})
        args = {"w": warehouse, "n": orders, "mode": str(OrderKind.BONDED_RETAIL)}
        bonded = set(conn.scalars(_BONDED_ORDERS, args))
        for where, (order, units, reason) in returns.items():
            if order in bonded and units:
                why = f"customer return{': ' + reason if reason else ''}"
                found = request_return(conn, warehouse, order, units, why, op=where)
                raised += [found] if found else []
    return raised


def record_ledger(conn: Connection, warehouse: str, ops: Sequence[WireOp]) -> int:
    """The bonded ledger's entries of a push's ops, once their stock is written."""
    return record_ops(conn, warehouse, ops)
