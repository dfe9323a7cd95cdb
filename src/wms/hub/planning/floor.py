"""What the floor's pushed ops do to the plan (called by sync's ingest, in the push's
transaction).

- A pick of a released task line consumes that line's reservation and counts as picked on the
  order line; the order moves to picking, then picked. A pick into a tote (``to_location``,
  ``tote``) moves the reservation with the units: it is held on the (cart, tote) row until the
  units are packed. A pick of a line withdrawn meanwhile (its order was cancelled) is still a
  fact: it raises an exception and a put-back task (from the cart, for a pick into a tote).
- A short pick releases what the line still had reserved: those units are backordered.
- A move from a move task's bin to its destination counts against the task.
- A count of a count task planned here closes it.

Once the push's stock is written, :func:`after_stock_moved` trims reservations the stock no
longer covers and tops up pick faces that ran low.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Connection, text

from wms.domain.kinds import LocationType, OpType
from wms.hub.documents import publish
from wms.hub.planning.moves import Moved, MoveKind, MoveTask, create_moves, settle_moves
from wms.hub.planning.order_documents import republish_orders
from wms.hub.planning.order_state import settle_orders
from wms.hub.planning.reconcile import reconcile
from wms.hub.planning.replenishment import top_up
from wms.hub.planning.reservations import Held, hold, shrink, take_units
from wms.sync.ops import WireOp


@dataclass(frozen=True)
class Raised:
    """An exception for a supervisor, tied to the op that raised it."""

    op: WireOp
    kind: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Line:
    """A pick line as this push changes it."""

    order: str
    line_no: int
    sku: str
    location: str
    lot: str
    qty: int
    picked: int
    state: str
    held: list[tuple[int, int, str, str]]  # reservations: (id, qty, location, lot)


# Index probes per pushed line (LATERAL, kept apart by OFFSET 0), whatever the planner
# believes of the tables' sizes.
_PICK_LINES = text(
    "SELECT p.task, p.seq, p.order_number, p.line_no, p.sku, p.location, p.lot, p.qty,"
    " p.picked, p.state FROM unnest(CAST(:tasks AS text[]), CAST(:seqs AS int[])) AS x(task,"
    " seq) CROSS JOIN LATERAL (SELECT * FROM pick_line WHERE warehouse = :w AND task = x.task"
    " AND seq = x.seq OFFSET 0) p ORDER BY p.task, p.seq"
)
_LOCK_LINES = text(
    "SELECT 1 FROM pick_line WHERE warehouse = :w AND (task, seq) IN (SELECT * FROM"
    " unnest(CAST(:tasks AS text[]), CAST(:seqs AS int[]))) ORDER BY task, seq FOR UPDATE"
)
_HELD = text(
    "SELECT r.id, r.qty, r.location, r.lot, r.task, r.task_seq FROM unnest(CAST(:tasks AS"
    " text[]), CAST(:seqs AS int[])) AS x(task, seq) CROSS JOIN LATERAL (SELECT * FROM"
    " reservation WHERE task = x.task AND task_seq = x.seq AND warehouse = :w"
    " AND stage = 'pick' OFFSET 0) r ORDER BY r.id"
)
_SAVE_LINES = text(
    "UPDATE pick_line p SET picked = x.picked, state = x.state"
    " FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(task text, seq int, picked int,"
    " state text) WHERE p.warehouse = :w AND p.task = x.task AND p.seq = x.seq"
)
_ORDER_LINES = text(
    "UPDATE order_line l SET picked = l.picked + x.picked,"
    " backordered = l.backordered + x.backordered, cancelled = l.cancelled + x.cancelled"
    " FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(order_number text, line_no int,"
    " picked int, backordered int, cancelled int)"
    " WHERE l.warehouse = :w AND l.order_number = x.order_number AND l.line_no = x.line_no"
)
_LINE_UNITS = text(
    "SELECT backordered, cancelled FROM order_line WHERE warehouse = :w AND order_number = :o"
    " AND line_no = :n"
)
_COUNT_DONE = text(
    "UPDATE document SET status = 'done' WHERE warehouse = :w AND kind = 'count_task'"
    " AND number = ANY(CAST(:n AS text[])) AND status <> 'done' RETURNING number"
)
_RETURNS_BIN = text(
    "SELECT code FROM location WHERE warehouse = :w AND type = :t AND NOT blocked"
    " ORDER BY pick_sequence, code LIMIT 1"
)


def _task_line(op: WireOp) -> tuple[str, int] | None:
    p = op.payload if isinstance(op.payload, dict) else {}
    try:
        return (str(p["task"]), int(p["line"])) if p.get("task") and "line" in p else None
    except (TypeError, ValueError):
        return None


class _Picks:
    """The pick lines a push works on, changed in memory, then written in a few statements."""

    def __init__(self, conn: Connection, warehouse: str, pairs: set[tuple[str, int]]) -> None:
        self.conn, self.warehouse = conn, warehouse
        args = {"w": warehouse, "tasks": [t for t, _ in pairs], "seqs": [s for _, s in pairs]}
        # The lines first, in one order: a cancel or another push working on them waits.
        conn.execute(_LOCK_LINES, args)
        held: dict[tuple[str, int], list[tuple[int, int, str, str]]] = defaultdict(list)
        for r in conn.execute(_HELD, args):
            held[(r.task, r.task_seq)].append((r.id, r.qty, r.location, r.lot))
        self.lines = {
            (r.task, r.seq): _Line(
                r.order_number,
                r.line_no,
                r.sku,
                r.location,
                r.lot,
                r.qty,
                r.picked,
                r.state,
                held[(r.task, r.seq)],
            )
            for r in conn.execute(_PICK_LINES, args)
        }
        self.keep: dict[int, int] = {}
        self.held_on: list[Held] = []
        self.order_lines: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
        self.put_backs: list[MoveTask] = []

    def _units_of(self, order: str, line_no: int) -> tuple[int, int]:
        """The order line's backordered and cancelled units, as this push has them now."""
        r = self.conn.execute(_LINE_UNITS, {"w": self.warehouse, "o": order, "n": line_no}).one()
        delta = self.order_lines[(order, line_no)]
        return r.backordered + delta[1], r.cancelled + delta[2]

    def pick(self, op: WireOp, key: tuple[str, int], raised: list[Raised]) -> None:
        line = self.lines[key]
        p = op.payload
        units = int(p.get("units") or 0)
        counts = self.order_lines[(line.order, line.line_no)]
        line.picked += units
        counts[0] += units
        cart = str(p.get("to_location") or "") if p.get("tote") else ""
        if line.state == "withdrawn":
            _, cancelled = self._units_of(line.order, line.line_no)
            counts[2] -= min(units, cancelled)  # picked after all: no longer cancelled
            lot = str(p.get("lot") or "")
            where = str(p.get("location") or line.location)
            self.put_backs.append(
                MoveTask(MoveKind.PUT_BACK, line.sku, lot, cart, where, units, line.order)
            )
            message = (
                f"{units} {line.sku} picked at {where} for cancelled order {line.order}"
                f" (task {key[0]} line {key[1]}): a put-back task brings them back"
            )
            raised.append(Raised(op, "pick_of_withdrawn_line", message, {"order": line.order}))
            return
        # The bin and lot picked from first, then whatever else the line reserved.
        at = (str(p.get("location") or ""), str(p.get("lot") or ""))
        ordered = sorted(line.held, key=lambda h: (h[2], h[3]) != at)
        taken = take_units([(h[0], h[1]) for h in ordered], units, self.keep)
        extra = units - taken  # beyond what was reserved: it fills a backorder if there is one
        filled = 0
        if extra:
            backordered, _ = self._units_of(line.order, line.line_no)
            filled = min(extra, backordered)
            counts[1] -= filled
        if cart:  # the order's units in the tote stay promised to it (a surplus does not)
            self.held_on += _into_tote(op, key, line, taken + filled)
        if line.picked >= line.qty:
            line.state = "done"

    def short(self, key: tuple[str, int]) -> None:
        line = self.lines[key]
        if line.state != "open":
            return
        left = {h[0]: self.keep.get(h[0], h[1]) for h in line.held}
        self.order_lines[(line.order, line.line_no)][1] += sum(left.values())
        self.keep.update(dict.fromkeys(left, 0))
        line.state = "short"

    def save(self) -> set[str]:
        """Write what changed; returns the orders touched."""
        shrink(self.conn, self.keep)
        hold(self.conn, self.warehouse, self.held_on)
        rows = [
            {"task": t, "seq": s, "picked": ln.picked, "state": ln.state}
            for (t, s), ln in self.lines.items()
        ]
        if rows:
            self.conn.execute(_SAVE_LINES, {"w": self.warehouse, "rows": to_json(rows).decode()})
        changes = [
            {
                "order_number": o,
                "line_no": n,
                "picked": c[0],
                "backordered": c[1],
                "cancelled": c[2],
            }
            for (o, n), c in self.order_lines.items()
        ]
        if changes:
            self.conn.execute(
                _ORDER_LINES, {"w": self.warehouse, "rows": to_json(changes).decode()}
            )
        if self.put_backs:
            back = self.conn.execute(
                _RETURNS_BIN, {"w": self.warehouse, "t": LocationType.RETURNS}
            ).scalar()
            create_moves(
                self.conn,
                self.warehouse,
                [
                    MoveTask(m.kind, m.sku, m.lot, m.source or back or m.to, m.to, m.qty, m.order)
                    for m in self.put_backs
                ],
            )
        return {ln.order for ln in self.lines.values()}


def _into_tote(op: WireOp, key: tuple[str, int], line: _Line, units: int) -> list[Held]:
    """The reservation ``units`` of a pick carry into the tote: on the rows the pick's own
    deltas put the units on (lot and status as picked)."""
    cart, tote = str(op.payload["to_location"]), str(op.payload["tote"])
    out: list[Held] = []
    for d in op.deltas:
        n = min(d.delta, units)
        if n <= 0 or d.location != cart or d.container != tote:
            continue
        units -= n
        out.append(
            Held(d.sku, cart, d.lot, tote, d.status, n, line.order, line.line_no, "picked", key)
        )
    return out


def _moved(ops: Iterable[WireOp]) -> list[Moved]:
    out = []
    for op in ops:
        if op.type not in (OpType.MOVE, OpType.MOVE_CONTAINER, OpType.PUTAWAY):
            continue
        source, to = str(op.payload.get("from")), str(op.payload.get("to"))
        out += [
            Moved(d.sku, d.lot, source, to, d.delta)
            for d in op.deltas
            if d.delta > 0 and d.location == to
        ]
    return out


def settle_floor(conn: Connection, warehouse: str, ops: Sequence[WireOp]) -> list[Raised]:
    """Apply accepted ops to the plan; returns exceptions for the caller to raise."""
    raised: list[Raised] = []
    picking = [
        (op, key)
        for op in ops
        if op.type in (OpType.PICK, OpType.SHORT_PICK) and (key := _task_line(op))
    ]
    if picking:
        picks = _Picks(conn, warehouse, {key for _, key in picking})
        for op, key in picking:
            if key not in picks.lines:
                continue  # a task this planning never issued (the demo's, an import's)
            if op.type == OpType.PICK:
                picks.pick(op, key, raised)
            else:
                picks.short(key)
        moved = settle_orders(conn, warehouse, sorted(picks.save()))
        republish_orders(conn, warehouse, sorted(moved))
    settle_moves(conn, warehouse, _moved(ops))
    counted = [
        str(op.payload["task"])
        for op in ops
        if op.type == OpType.COUNT
        and op.payload.get("task")
        and op.payload.get("outcome") == "accepted"  # a recount keeps the task open
    ]
    for number in (
        conn.scalars(_COUNT_DONE, {"w": warehouse, "n": counted}).all() if counted else []
    ):
        publish(conn, warehouse, "count_task", number)
    return raised


def after_stock_moved(
    conn: Connection, warehouse: str, skus: Iterable[str], bins: Iterable[str]
) -> None:
    """Once stock has moved: trim reservations it no longer covers, top up faces it emptied."""
    reconcile(conn, warehouse, skus)
    top_up(conn, warehouse, sorted(set(bins)))
