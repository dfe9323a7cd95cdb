"""The terminal's outbox: unacked op-log rows with their ledger rows, and marking acks.

Reads are read-only units; an ack is one short ``BEGIN IMMEDIATE`` unit, so an operator
scanning during a sync waits at most one small transaction.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic_core import to_json
from sqlalchemy import Engine, text

from wms.store.journal import ensure_device
from wms.store.uow import UnitOfWork
from wms.sync.wire import MAX_PUSH_VALUES, json_values

_PENDING = text(
    "SELECT device_id, seq, type, payload, operator, occurred_at FROM oplog"
    " WHERE acked = 0 AND seq > :after ORDER BY seq LIMIT :n"
)
_DELTAS = text(
    "SELECT l.op_seq, p.sku, loc.code AS location, COALESCE(lot.code, '') AS lot,"
    " COALESCE(c.code, '') AS container, l.status, l.delta FROM stockledger l"
    " JOIN product p ON p.id = l.product_id JOIN location loc ON loc.id = l.location_id"
    " LEFT JOIN lot ON lot.id = l.lot_id LEFT JOIN container c ON c.id = l.container_id"
    " WHERE l.op_seq BETWEEN :lo AND :hi ORDER BY l.id"
)
_ACK = text(
    "UPDATE oplog SET acked = 1 WHERE device_id = :s AND seq BETWEEN :since AND :last AND acked = 0"
)


# A push request is this envelope around the ops, joined by commas.
_OPEN, _CLOSE = b'{"epoch":%d,"ops":[', b"]}"
ENVELOPE_BYTES = len(_OPEN % 2**31) + len(_CLOSE)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One unacked op, already encoded as it goes into a push request (see ``WireOp``)."""

    stream: str
    seq: int
    wire: bytes


def request_body(epoch: int, ops: list[Outgoing]) -> bytes:
    """The push request carrying ``ops``: a ``PushRequest`` as JSON, built from encoded ops."""
    return _OPEN % epoch + b",".join(op.wire for op in ops) + _CLOSE


def _when(value: str | datetime) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def pending(
    engine: Engine, limit: int, after: int = 0, max_bytes: int | None = None
) -> list[Outgoing]:
    """Up to ``limit`` unacked ops with seq above ``after``, oldest first, with their deltas,
    and no more than fit in a request of ``max_bytes`` and of ``MAX_PUSH_VALUES`` JSON values
    (always at least one op).

    Seqs keep counting across epochs, so one ordering by seq covers every stream. Rows come
    from the store's own tables, so they are encoded straight to JSON: building and
    validating a model per op costs more than sending it.
    """
    with UnitOfWork(engine, write=False) as uow:
        conn = uow.session.connection()
        rows = conn.execute(_PENDING, {"after": after, "n": limit}).all()
        if not rows:
            return []
        deltas: dict[int, list[dict[str, object]]] = defaultdict(list)
        for d in conn.execute(_DELTAS, {"lo": rows[0].seq, "hi": rows[-1].seq}):
            deltas[d.op_seq].append(
                {
                    "sku": d.sku,
                    "location": d.location,
                    "lot": d.lot,
                    "container": d.container,
                    "status": d.status,
                    "delta": d.delta,
                }
            )
    budget = (max_bytes or 0) - ENVELOPE_BYTES
    values = MAX_PUSH_VALUES - json_values(_OPEN % 1 + _CLOSE)  # what a hub parses at most
    out: list[Outgoing] = []
    for r in rows:
        wire = to_json(
            {
                "stream": r.device_id,
                "seq": r.seq,
                "type": r.type,
                "payload": json.loads(r.payload),
                "operator": r.operator,
                "occurred_at": _when(r.occurred_at),
                "deltas": deltas.get(r.seq, []),
            }
        )
        budget -= len(wire) + 1  # and its comma
        values -= json_values(wire)
        if out and (values < 0 or (max_bytes is not None and budget < 0)):
            break
        out.append(Outgoing(r.device_id, r.seq, wire))
    return out


def mark_acked(engine: Engine, acks: dict[str, int], since: int = 0) -> None:
    """Record what the hub committed: everything up to each stream's mark.

    ``since``: every op below it is acked already (the caller pushed the oldest unacked op
    first), so the update skips the acked part of the log instead of scanning it each batch.
    """
    with UnitOfWork(engine) as uow:
        conn = uow.session.connection()
        for stream, last in acks.items():
            conn.execute(_ACK, {"s": stream, "since": since, "last": last})
        uow.commit()


def identity(engine: Engine) -> tuple[str, int, int]:
    """(current stream id, epoch, last seq) of this store; a store with no ops has none yet."""
    with UnitOfWork(engine, write=False) as uow:
        row = (
            uow.session.connection()
            .execute(text("SELECT device_id, epoch, last_seq FROM deviceidentity"))
            .first()
        )
    return ("", 1, 0) if row is None else (str(row.device_id), int(row.epoch), int(row.last_seq))


def packing_stream(engine: Engine) -> str | None:
    """The stream a packing terminal asks number blocks for (its current one, created if the
    store has written no op yet), or None when this terminal does not pack."""
    with UnitOfWork(engine, write=False) as uow:
        conn = uow.session.connection()
        if not conn.execute(text("SELECT packs FROM syncstate")).scalar():
            return None
        found = conn.execute(text("SELECT device_id FROM deviceidentity")).scalar()
    if found is not None:
        return str(found)
    with UnitOfWork(engine) as uow:
        stream = ensure_device(uow.session, datetime.now(UTC)).device_id
        uow.commit()
    return stream


def start_new_epoch(engine: Engine) -> str:
    """Give this store a fresh stream id (after a restore from backup); seqs keep counting.

    Ops written from now on form a new stream the hub has never seen, so they can never be
    mistaken for ops of the old stream that the hub already holds.
    """
    stream = str(uuid.uuid4())
    with UnitOfWork(engine) as uow:
        uow.session.connection().execute(
            text("UPDATE deviceidentity SET device_id = :d, epoch = epoch + 1"), {"d": stream}
        )
        uow.commit()
    return stream
