"""Recording a batch of ops at the hub: received ops, ledger rows, on-hand, exceptions, feed.

Writes are set-based (a few statements per batch, whatever its size); on-hand moves by the
batch's net delta per key, so stock converges by deltas whatever order terminals sync in.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Connection, insert, text

from wms.domain.kinds import OpType, StockStatus
from wms.hub import schema as t
from wms.hub.feed import EVERY_WAREHOUSE, Emit, emit, exception_changes
from wms.hub.master import stock_key, upsert
from wms.hub.sync.counts import status_repairs, variances
from wms.hub.sync.facts import (
    HELD,
    bonded_return,
    clock_window,
    count_skus,
    count_started,
    locations_named,
    malformed,
    pick_of_held,
    plausible,
    recalled_on_arrival,
    short_pick_facts,
)
from wms.sync.ops import Delta, WireOp

StockTuple = tuple[str, str, str, str, str]  # sku, location, lot, container, status

_ON_HAND = text(
    "INSERT INTO on_hand (warehouse, sku, location, lot, container, status, qty)"
    " SELECT :w, * FROM unnest(CAST(:sku AS text[]), CAST(:loc AS text[]),"
    " CAST(:lot AS text[]), CAST(:ctr AS text[]), CAST(:st AS text[]), CAST(:q AS bigint[]))"
    " ON CONFLICT (warehouse, sku, location, lot, container, status)"
    " DO UPDATE SET qty = on_hand.qty + EXCLUDED.qty"
    " RETURNING sku, location, lot, container, status, qty"
)
# Whole batches in one statement each, the rows sent as one JSON document: per-row
# executemany costs a round trip per row, and text arrays cost more to encode than JSON.
_RECEIVED = text(
    "INSERT INTO received_op (stream_id, seq, device, warehouse, type, payload, operator,"
    " occurred_at, rejected) SELECT stream_id, seq, :device, :w, type, payload, operator,"
    " occurred_at, rejected"
    " FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(stream_id text, seq bigint, type text,"
    " payload jsonb, operator text, occurred_at timestamptz, rejected text)"
)
_LEDGER = text(
    "INSERT INTO ledger (warehouse, sku, location, lot, container, status, delta, stream_id,"
    " seq, occurred_at) SELECT :warehouse, sku, location, lot, container, status, delta,"
    " stream_id, seq, occurred_at FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(sku text,"
    " location text, lot text, container text, status text, delta bigint, stream_id text,"
    " seq bigint, occurred_at timestamptz)"
)
_DROP_ZERO = text(
    "DELETE FROM on_hand WHERE warehouse = :w AND qty = 0 AND sku = ANY(CAST(:skus AS text[]))"
)
# Lots an op names that the hub did not know (or knew without an expiry). Master data is never
# overwritten by a fact that does not carry it: an expiry already known stays; only rows that
# really changed are returned, to be published.
_LOTS = text(
    "INSERT INTO lot (sku, code, expiry) SELECT sku, code, expiry"
    " FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(sku text, code text, expiry date)"
    " ON CONFLICT (sku, code) DO UPDATE SET expiry = EXCLUDED.expiry"
    " WHERE lot.expiry IS NULL AND EXCLUDED.expiry IS NOT NULL"
    " RETURNING sku, code, expiry"
)
_CLOCK_RAISED = text(
    "SELECT 1 FROM hub_exception WHERE kind = 'device_clock' AND stream_id = :s AND NOT resolved"
)
# Every recall decided at the hub, per product: lot "" means every lot of it.
_RECALLED = text(
    "SELECT details->>'sku' AS sku, COALESCE(details->>'lot', '') AS lot FROM decision"
    " WHERE warehouse = :w AND action = 'recall'"
    " AND details->>'sku' = ANY(CAST(:skus AS text[]))"
)
_HELD = text(
    "SELECT sku, location, lot FROM on_hand WHERE warehouse = :w"
    " AND status = ANY(CAST(:held AS text[]))"
    " AND qty > 0 AND sku = ANY(CAST(:skus AS text[]))"
)


def _json(rows: list[dict[str, Any]]) -> str:
    """Rows as the JSON array ``jsonb_to_recordset`` reads (timestamps in ISO form).

    pydantic-core's encoder: a batch's rows cost a third of what ``json.dumps`` takes.
    """
    return to_json(rows, fallback=str).decode()


def _facts(row: Any) -> dict[str, str]:
    """The stock key an exception is about: what a supervisor's adjustment or recount targets."""
    return {k: getattr(row, k) for k in ("sku", "location", "lot", "container", "status")}


class StockWriter:
    """Accumulates one push's writes; ``flush`` sends them. Call ``prime`` first.

    ``received_at``: the hub's moment of receipt, where an op is placed in time when its
    device's clock cannot be right (see :func:`wms.hub.sync.facts.plausible`).
    """

    def __init__(
        self,
        conn: Connection,
        device: int,
        warehouse: str,
        *,
        received_at: datetime | None = None,
    ) -> None:
        self.conn, self.device, self.warehouse = conn, device, warehouse
        self.received_at = received_at or datetime.now(UTC)
        self.window = clock_window(self.received_at)
        self.clock_told: set[str] = set()
        self.received: list[dict[str, Any]] = []
        self.ledger: list[dict[str, Any]] = []
        self.exceptions: list[dict[str, Any]] = []
        self.net: dict[StockTuple, int] = defaultdict(int)
        self.last_op: dict[StockTuple, tuple[str, int]] = {}
        self.new_lots: dict[tuple[str, str], dict[str, Any]] = {}
        self.new_containers: dict[str, dict[str, Any]] = {}
        self.exception_count = 0

    def prime(self, ops: list[WireOp]) -> None:
        """Look up, once per batch, which natural keys the hub knows: every one an op's deltas
        name, and every one a count may adjust."""
        deltas = [d for op in ops for d in op.deltas]
        skus = sorted({d.sku for d in deltas}.union(*(count_skus(op) for op in ops)))
        codes = sorted({code for op in ops for code in locations_named(op)})
        c = self.conn
        self.skus = set(c.scalars(text("SELECT sku FROM product WHERE sku = ANY(:v)"), {"v": skus}))
        own: set[str] = set()
        self.foreign: set[str] = set()
        for code, wh in c.execute(
            text("SELECT code, warehouse FROM location WHERE code = ANY(:v)"), {"v": codes}
        ):
            (own if wh == self.warehouse else self.foreign).add(code)
        self.locations = own
        self.lots = {
            (r.sku, r.code): r.expiry
            for r in c.execute(
                text("SELECT sku, code, expiry FROM lot WHERE sku = ANY(:v)"), {"v": skus}
            )
        }
        ctrs = sorted({d.container for d in deltas if d.container})
        self.containers = set(
            c.scalars(
                text("SELECT code FROM container WHERE warehouse = :w AND code = ANY(:v)"),
                {"w": self.warehouse, "v": ctrs},
            )
        )
        self.recalled = {
            (r.sku, r.lot) for r in c.execute(_RECALLED, {"w": self.warehouse, "skus": skus})
        }
        returned = sorted(
            {
                str(op.payload.get("order"))
                for op in ops
                if op.type == OpType.RETURN and isinstance(op.payload, dict)
            }
            - {"None", ""}
        )
        self.bonded_orders = set(
            c.scalars(
                text(
                    "SELECT number FROM sales_order WHERE warehouse = :w"
                    " AND number = ANY(CAST(:n AS text[])) AND trade_mode = 'bonded_retail'"
                ),
                {"w": self.warehouse, "n": returned},
            )
        )
        held = [str(s) for s in HELD]
        self.held = {
            (r.sku, r.location, r.lot)
            for r in c.execute(_HELD, {"w": self.warehouse, "held": held, "skus": skus})
        }

    def raise_exception(self, op: WireOp, kind: str, message: str, **details: Any) -> None:
        """Queue an exception for a supervisor, tied to the op that raised it."""
        self.exceptions.append(
            {
                "warehouse": self.warehouse,
                "kind": kind,
                "stream_id": op.stream,
                "seq": op.seq,
                "message": message,
                "details": details or None,
            }
        )

    def add(self, op: WireOp) -> str | None:
        """Record one op; returns the rejection reason of a malformed op (recorded as well)."""
        reason = malformed(op, self.locations, self.foreign)
        self.received.append(
            {
                "stream_id": op.stream,
                "seq": op.seq,
                "type": op.type,
                "payload": op.payload,
                "operator": op.operator,
                "occurred_at": op.occurred_at,
                "rejected": reason,
            }
        )
        if reason is not None:
            self.raise_exception(op, "rejected_op", f"op {op.type} rejected: {reason}")
            return reason
        at = self._placed(op)
        deltas = op.deltas
        if op.type == OpType.COUNT:
            deltas = self._count_adjustments(op)
            for d in op.deltas:  # the terminal moved these: it must hear the hub's figure back
                self._tell_back(op, d)
        for d in pick_of_held(op, self.held):
            self.raise_exception(
                op,
                "pick_of_held_stock",
                f"{d.sku} picked from held stock at {d.location}",
                **_facts(d),
            )
        arriving = recalled_on_arrival(op, self.recalled)
        for d in arriving:
            message = f"recalled lot {d.lot} of {d.sku} received at {d.location}: booked recalled"
            self.raise_exception(op, "received_recalled_lot", message, **_facts(d))
            self._tell_back(op, d)
        if arriving:
            recalled = StockStatus.RECALLED.value
            deltas = [
                d.model_copy(update={"status": recalled}) if d in arriving else d for d in deltas
            ]
        rebonded = bonded_return(op, self.bonded_orders)
        if rebonded:
            bonded = StockStatus.CUSTOMS_HOLD.value
            for d in rebonded:
                self._tell_back(op, d)  # the terminal booked them available: correct it
            deltas = [
                d.model_copy(update={"status": bonded}) if d in rebonded else d for d in deltas
            ]
        if op.type == OpType.SHORT_PICK:
            facts = short_pick_facts(op)
            message = f"short {facts['short']} {facts['sku']} at {facts['location']}"
            self.raise_exception(op, "short_pick", message, **facts)
        for d in deltas:
            self._post(op, d, at)
        return None

    def _placed(self, op: WireOp) -> datetime:
        """When the op happened as far as the ledger goes: its device's time, or the hub's
        receipt when that time cannot be right (counts compare against the ledger by time)."""
        if plausible(op.occurred_at, self.window):
            return op.occurred_at
        if op.stream not in self.clock_told:
            self.clock_told.add(op.stream)
            if self.conn.execute(_CLOCK_RAISED, {"s": op.stream}).first() is None:
                message = (
                    f"op {op.seq} says {op.occurred_at:%Y-%m-%d %H:%M} but arrived"
                    f" {self.received_at:%Y-%m-%d %H:%M}: the terminal's clock is wrong;"
                    " its ops are placed when they arrive"
                )
                self.raise_exception(
                    op, "device_clock", message, device_time=op.occurred_at.isoformat()
                )
        return self.received_at

    def _tell_back(self, op: WireOp, d: Delta) -> None:
        """Publish the hub's figure for a key the terminal booked differently, so its next
        pull corrects it even though the hub posted nothing there."""
        key = (d.sku, d.location, d.lot, d.container, d.status)
        self.net[key] += 0
        self.last_op[key] = (op.stream, op.seq)

    def _post(self, op: WireOp, d: Delta, at: datetime) -> None:
        if d.sku not in self.skus:
            self.skus.add(d.sku)  # one exception per unknown product per batch
            self.raise_exception(op, "unknown_product", f"unknown product {d.sku}")
        if d.location not in self.locations:
            self.locations.add(d.location)
            self.raise_exception(op, "unknown_location", f"unknown location {d.location}")
        if d.lot:
            self._lot(op, d)
        if d.container and d.container not in self.containers:
            self.containers.add(d.container)
            kind = "sscc" if len(d.container) == 18 else "lpn"
            self.new_containers[d.container] = {
                "code": d.container,
                "kind": kind,
                "location": d.location,
            }
        key = (d.sku, d.location, d.lot, d.container, d.status)
        self.ledger.append(
            {
                "sku": d.sku,
                "location": d.location,
                "lot": d.lot,
                "container": d.container,
                "status": d.status,
                "delta": d.delta,
                "stream_id": op.stream,
                "seq": op.seq,
                "occurred_at": at,
            }
        )
        self.net[key] += d.delta
        self.last_op[key] = (op.stream, op.seq)

    def _lot(self, op: WireOp, d: Delta) -> None:
        """A lot the hub does not know is recorded (with the expiry a receipt carries); one it
        knows without an expiry gets the receipt's. Nothing else touches a lot's master data."""
        expiry = op.payload.get("expiry") if op.type == OpType.RECEIVE else None
        key = (d.sku, d.lot)
        if key in self.lots:
            if expiry and self.lots[key] is None:
                self.lots[key] = expiry
                self.new_lots[key] = {"sku": d.sku, "code": d.lot, "expiry": expiry}
            return
        self.lots[key] = expiry
        self.new_lots[key] = {"sku": d.sku, "code": d.lot, "expiry": expiry}
        if op.type not in (OpType.RECEIVE, OpType.RETURN):
            message = f"lot {d.lot} of {d.sku} unknown at hub"
            self.raise_exception(op, "unknown_lot", message, **_facts(d))

    def _count_adjustments(self, op: WireOp) -> list[Delta]:
        """A count is an observation: the adjustment is counted minus the hub's ledger as of
        the count's start, so moves synced by other terminals since then are kept."""
        if op.payload.get("outcome") != "accepted":
            return []
        self.flush()  # earlier ops of this batch belong to the "as of"
        started = count_started(op)
        if not plausible(started, self.window):
            started = self.received_at  # the device's clock is wrong: as of its arrival
        out: list[Delta] = []
        for v in variances(self.conn, self.warehouse, op, started):
            out += v.deltas
            # Adjusted already (the count is the truth as of its start); a supervisor may still
            # want a recount or to know why, so the variance is queued with its facts.
            first = v.deltas[0]
            message = f"count of {v.sku} at {first.location} differs from the books by {v.diff:+d}"
            self.raise_exception(op, "count_variance", message, **_facts(first), variance=v.diff)
        return out + status_repairs(self.conn, self.warehouse, op, out)

    def flush(self) -> int:
        """Write everything queued; returns the number of exceptions raised so far."""
        c = self.conn
        if self.new_lots:
            lots = c.execute(_LOTS, {"rows": _json(list(self.new_lots.values()))}).all()
            emit(
                c,
                (Emit(EVERY_WAREHOUSE, "lot", f"{r.sku}|{r.code}", dict(r._mapping)) for r in lots),
            )
        if self.new_containers:
            upsert(c, "container", list(self.new_containers.values()), self.warehouse)
        if self.received:
            rows = _json(self.received)
            c.execute(_RECEIVED, {"device": self.device, "w": self.warehouse, "rows": rows})
        if self.ledger:
            c.execute(_LEDGER, {"warehouse": self.warehouse, "rows": _json(self.ledger)})
        if self.net:
            self._move_on_hand()
        if self.exceptions:
            raised = c.execute(
                insert(t.hub_exception).returning(*t.hub_exception.c), self.exceptions
            )
            emit(c, exception_changes(self.warehouse, [dict(r._mapping) for r in raised]))
        self.exception_count += len(self.exceptions)
        self.received, self.ledger, self.exceptions = [], [], []
        self.new_lots, self.new_containers = {}, {}
        self.net, self.last_op = defaultdict(int), {}
        return self.exception_count

    def _move_on_hand(self) -> None:
        # Sorted: rows are locked in the order allocation locks them, so the two never deadlock.
        keys = sorted(self.net)
        cols = list(zip(*keys, strict=True))
        rows = self.conn.execute(
            _ON_HAND,
            {
                "w": self.warehouse,
                "sku": list(cols[0]),
                "loc": list(cols[1]),
                "lot": list(cols[2]),
                "ctr": list(cols[3]),
                "st": list(cols[4]),
                "q": [self.net[k] for k in keys],
            },
        ).all()
        self.conn.execute(_DROP_ZERO, {"w": self.warehouse, "skus": sorted({k[0] for k in keys})})
        changes = []
        for r in rows:
            key: StockTuple = (r.sku, r.location, r.lot, r.container, r.status)
            if r.qty < 0:
                stream, seq = self.last_op[key]
                self.exceptions.append(
                    {
                        "warehouse": self.warehouse,
                        "kind": "negative_stock",
                        "stream_id": stream,
                        "seq": seq,
                        "message": f"{r.sku} at {r.location} is {r.qty}",
                        "details": {**_facts(r), "qty": r.qty},
                    }
                )
            body = None if r.qty == 0 else dict(r._mapping)
            changes.append(Emit(self.warehouse, "stock", stock_key(*key), body))
        emit(self.conn, changes)
