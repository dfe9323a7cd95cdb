"""Push: apply a device's ops exactly once, in order, and advance its marks in one transaction.

Per stream (one per install or restored backup of a device): ``seq <= last`` is a duplicate and
is skipped; ``seq == last + 1`` is applied; anything else is a gap and the whole request is
refused before anything is written. The stream row is locked (``FOR UPDATE``), so two hub
processes receiving the same retry serialise on it instead of applying it twice.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

from sqlalchemy import Connection, text

from wms.domain.kinds import OpType
from wms.hub.customs.gate import STEPS
from wms.hub.customs.settle import record_ledger, settle_customs
from wms.hub.planning.floor import after_stock_moved, settle_floor
from wms.hub.shipping.numbers import BLOCK_SIZE
from wms.hub.shipping.settle import settle_shipping
from wms.hub.sync.devices import DeviceRow
from wms.hub.sync.progress import settle_documents
from wms.hub.sync.stock import StockWriter
from wms.sync.ops import WireOp
from wms.sync.wire import PushReply, PushRequest, Rejected, StreamAck


class PushRefused(Exception):
    """The request as a whole is refused; nothing of it was written."""

    def __init__(self, status: int, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.extra = extra


_NEW_STREAM = text(
    "INSERT INTO op_stream (stream_id, device, epoch, last_seq) VALUES (:s, :d, :e, :last)"
    " ON CONFLICT (stream_id) DO NOTHING"
)
_LOCK_STREAM = text("SELECT device, last_seq FROM op_stream WHERE stream_id = :s FOR UPDATE")
_MARK = text("UPDATE op_stream SET last_seq = :last WHERE stream_id = :s")


def _lock(conn: Connection, device: DeviceRow, stream: str, epoch: int, first: int) -> int:
    # A stream the hub has never seen is a new install or a restored backup (a new epoch):
    # it starts just before its first op, since a restored store keeps counting from its backup.
    conn.execute(_NEW_STREAM, {"s": stream, "d": device.id, "e": epoch, "last": first - 1})
    row = conn.execute(_LOCK_STREAM, {"s": stream}).one()
    if row.device != device.id:
        raise PushRefused(403, _not_yours(conn, device, int(row.device)))
    return int(row.last_seq)


def _not_yours(conn: Connection, device: DeviceRow, owner: int) -> str:
    """Why a stream is refused, with the way out when it is a re-enrolled terminal's own."""
    found = conn.execute(
        text("SELECT warehouse, revoked FROM device WHERE id = :d"), {"d": owner}
    ).one()
    if found.warehouse != device.warehouse or not found.revoked:
        return "these ops belong to another device"
    return (
        f"these ops were made as device {owner}, revoked: enrol this terminal again with a code"
        f" from `wms hub enroll --warehouse {device.warehouse} --replaces {owner}`"
    )


_SAME = text(
    "SELECT stream_id, seq, payload, type FROM received_op"
    " WHERE (stream_id, seq) IN (SELECT * FROM unnest(CAST(:s AS text[]), CAST(:q AS bigint[])))"
)


def _check_duplicates(conn: Connection, writer: StockWriter, seen: list[WireOp]) -> None:
    """A resent op must be the op the hub holds. Another op under the same number means the
    store was restored from a backup without a new epoch: the new op is not applied (its
    number is taken), so a supervisor must hear of it."""
    if not seen:
        return
    held = {
        (r.stream_id, r.seq): (r.type, r.payload)
        for r in conn.execute(_SAME, {"s": [o.stream for o in seen], "q": [o.seq for o in seen]})
    }
    for op in seen:
        payload = json.loads(json.dumps(op.payload, default=str))
        if held.get((op.stream, op.seq), (op.type, payload)) != (op.type, payload):
            writer.raise_exception(
                op,
                "conflicting_duplicate",
                f"op {op.seq} differs from the one received before: terminal restored from a"
                " backup without a new epoch? The new op was not applied",
                payload=payload,
            )


def _touched(ops: list[WireOp]) -> tuple[set[str], set[str]]:
    """Products whose stock the ops moved, and bins they took stock from."""
    skus = {d.sku for op in ops for d in op.deltas}
    skus |= {
        str(c.get("sku"))
        for op in ops
        if op.type == OpType.COUNT and isinstance(op.payload, dict)
        for c in op.payload.get("counted") or []
        if isinstance(c, dict)
    }
    return skus, {d.location for op in ops for d in op.deltas if d.delta < 0}


def push(
    conn: Connection,
    device: DeviceRow,
    request: PushRequest,
    *,
    received_at: datetime | None = None,
    block_size: int = BLOCK_SIZE,
) -> PushReply:
    """Apply ``request`` in the caller's transaction; the caller commits, then replies.

    Its ops may include :class:`~wms.sync.ops.InvalidOp` stand-ins (see
    :mod:`wms.hub.sync.intake`): they are recorded as rejected and acked like the rest.
    ``received_at``: the hub's clock now. ``block_size``: the numbers a packing terminal's
    stream is topped up with.
    """
    by_stream: dict[str, list[WireOp]] = defaultdict(list)
    for sent in request.ops:
        by_stream[sent.stream].append(sent)
    todo: list[WireOp] = []
    marks: dict[str, int] = {}
    seen: list[WireOp] = []
    for stream in sorted(by_stream):
        ops = by_stream[stream]
        last = _lock(conn, device, stream, request.epoch, ops[0].seq)
        for op in ops:
            if op.seq <= last:
                seen.append(op)
                continue
            if op.seq != last + 1:
                raise PushRefused(
                    409, f"gap: expected seq {last + 1}", stream=stream, expected=last + 1
                )
            todo.append(op)
            last = op.seq
        marks[stream] = last
    writer = StockWriter(conn, device.id, device.warehouse, received_at=received_at)
    _check_duplicates(conn, writer, seen)
    duplicates = len(seen)
    rejected: list[Rejected] = []
    writer.prime(todo)
    for op in todo:
        reason = writer.add(op)
        if reason is not None:
            rejected.append(Rejected(stream=op.stream, seq=op.seq, reason=reason))
    refused = {(r.stream, r.seq) for r in rejected}
    accepted = [op for op in todo if (op.stream, op.seq) not in refused]
    # Picks first: a pack in the same push takes the units' promise off the tote they filled.
    raised_floor = settle_floor(conn, device.warehouse, accepted)
    shipping = settle_shipping(conn, device.warehouse, device.id, accepted, block_size)
    for raised in [*raised_floor, *shipping.raised]:
        writer.raise_exception(raised.op, raised.kind, raised.message, **raised.details)
    by_place = {(op.stream, op.seq): op for op in accepted}
    for said in settle_customs(conn, device.warehouse, accepted):
        steps = list(STEPS.get(said.kind, ()))
        op = by_place[said.op] if said.op else accepted[-1]
        writer.raise_exception(op, said.kind, said.message, **said.details, steps=steps)
    writer.flush()
    record_ledger(conn, device.warehouse, accepted)
    after_stock_moved(conn, device.warehouse, *_touched(accepted))
    for raised in shipping.after():
        writer.raise_exception(raised.op, raised.kind, raised.message, **raised.details)
    exceptions = writer.flush()
    settle_documents(conn, device.warehouse, device.id, accepted)
    for stream, last in marks.items():
        conn.execute(_MARK, {"s": stream, "last": last})
    conn.execute(
        text("INSERT INTO sync_audit (device, action, count, detail) VALUES (:d, 'push', :n, :x)"),
        {"d": device.id, "n": len(todo), "x": f"{duplicates} duplicates, {len(rejected)} rejected"},
    )
    return PushReply(
        acks=[StreamAck(stream=s, last_seq=last) for s, last in marks.items()],
        rejected=rejected,
        duplicates=duplicates,
        exceptions=exceptions,
    )
