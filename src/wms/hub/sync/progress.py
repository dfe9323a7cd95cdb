"""Documents follow the floor: pushed picks and closed receipts move the hub's document status.

Progress is not kept in counters: the received ops are the facts, and a document's figures are
read from them (``task_progress``, ``receipt_progress``), so a duplicate or replayed push can
never count twice. What changes is the status: a pick task is ``in_progress`` once a pick of it
arrives, and leased to the device that picked (when nobody else holds a live lease), so other
terminals set it aside at their next pull even when the picker was offline when it started;
it is ``done``, and its lease released, once every line is picked or reported short. A receipt
is ``closed`` when a terminal's close arrives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text

from wms.domain.kinds import OpType
from wms.hub.documents import publish
from wms.sync.ops import WireOp

# How long a lease taken by a pushed pick lasts; the next pick or push of that task renews it.
AUTO_LEASE = timedelta(minutes=60)

_DOC = text(
    "SELECT status, body, leased_to, lease_until FROM document"
    " WHERE warehouse = :w AND kind = :k AND number = :n FOR UPDATE"
)
_PICKED = text(
    "SELECT payload->>'line' AS line, type, SUM(COALESCE((payload->>'units')::int, 0)) AS units"
    " FROM received_op WHERE warehouse = :w AND type IN ('pick', 'short_pick')"
    " AND rejected IS NULL AND payload->>'task' = :n GROUP BY 1, 2"
)
_RECEIVED = text(
    "SELECT payload->>'sku' AS sku, SUM(COALESCE((payload->>'units')::int, 0)) AS units"
    " FROM received_op WHERE warehouse = :w AND type = 'receive' AND rejected IS NULL"
    " AND payload->>'document' = :n GROUP BY 1"
)
_SET = text(
    "UPDATE document SET status = :status, leased_to = :device, lease_until = :until"
    " WHERE warehouse = :w AND kind = :k AND number = :n"
)


@dataclass(frozen=True)
class Progress:
    """How far a document is: units done of units due, lines finished of lines."""

    warehouse: str
    number: str
    status: str
    done: int
    due: int
    lines_done: int
    lines: int


def _body_lines(body: dict[str, Any]) -> list[dict[str, Any]]:
    return list(body.get("lines") or [])


def task_progress(
    conn: Connection, warehouse: str, number: str, body: dict[str, Any], status: str
) -> Progress:
    """A pick task's units picked and lines finished (picked in full, or reported short)."""
    picked: dict[str, int] = {}
    short: set[str] = set()
    for r in conn.execute(_PICKED, {"w": warehouse, "n": number}):
        if r.type == OpType.SHORT_PICK:
            short.add(str(r.line))
        else:
            picked[str(r.line)] = int(r.units)
    lines = _body_lines(body)
    finished = [
        ln for ln in lines if str(ln["seq"]) in short or picked.get(str(ln["seq"]), 0) >= ln["qty"]
    ]
    due = sum(int(ln["qty"]) for ln in lines)
    return Progress(warehouse, number, status, sum(picked.values()), due, len(finished), len(lines))


def receipt_progress(
    conn: Connection, warehouse: str, number: str, body: dict[str, Any], status: str
) -> Progress:
    """A receipt's units received against expected, and lines received in full."""
    got = {r.sku: int(r.units) for r in conn.execute(_RECEIVED, {"w": warehouse, "n": number})}
    lines = _body_lines(body)
    full = [ln for ln in lines if got.get(ln["sku"], 0) >= int(ln.get("expected_qty") or 0)]
    due = sum(int(ln.get("expected_qty") or 0) for ln in lines)
    return Progress(warehouse, number, status, sum(got.values()), due, len(full), len(lines))


def _settle_task(conn: Connection, warehouse: str, number: str, device: int) -> None:
    row = conn.execute(_DOC, {"k": "pick_task", "n": number, "w": warehouse}).first()
    if row is None or row.status == "done":
        return  # a task this hub never issued, or finished already: the facts are kept anyway
    progress = task_progress(conn, warehouse, number, row.body, row.status)
    now = datetime.now(UTC)
    held_by_other = (
        row.leased_to not in (None, device)
        and row.lease_until is not None
        and row.lease_until > now
    )
    if progress.lines_done == progress.lines:
        status, holder, until = "done", None, None
    elif held_by_other:
        status, holder, until = "in_progress", row.leased_to, row.lease_until
    else:
        status, holder, until = "in_progress", device, now + AUTO_LEASE
    conn.execute(
        _SET,
        {"status": status, "device": holder, "until": until}
        | {"w": warehouse, "k": "pick_task", "n": number},
    )
    publish(conn, warehouse, "pick_task", number)


def _close_receipt(conn: Connection, warehouse: str, number: str) -> None:
    row = conn.execute(_DOC, {"k": "receipt", "n": number, "w": warehouse}).first()
    if row is None or row.status == "closed":
        return
    conn.execute(
        _SET,
        {"status": "closed", "device": None, "until": None}
        | {"w": warehouse, "k": "receipt", "n": number},
    )
    publish(conn, warehouse, "receipt", number)


def settle_documents(conn: Connection, warehouse: str, device: int, ops: Iterable[WireOp]) -> None:
    """Move the status of the documents that ``ops`` (accepted, not rejected) worked on."""
    tasks: set[str] = set()
    closed: set[str] = set()
    for op in ops:
        payload = op.payload if isinstance(op.payload, dict) else {}
        if op.type in (OpType.PICK, OpType.SHORT_PICK) and payload.get("task"):
            tasks.add(str(payload["task"]))
        elif op.type == OpType.CLOSE_RECEIPT and payload.get("document"):
            closed.add(str(payload["document"]))
    for number in sorted(tasks):  # sorted: concurrent pushes lock documents in one order
        _settle_task(conn, warehouse, number, device)
    for number in sorted(closed):
        _close_receipt(conn, warehouse, number)


def documents(conn: Connection, warehouse: str | None, kind: str) -> list[Progress]:
    """Every receipt or pick task (``kind``) with its progress, by number."""
    rows = conn.execute(
        text(
            "SELECT warehouse, number, status, body FROM document WHERE kind = :k"
            " AND (CAST(:w AS text) IS NULL OR warehouse = :w) ORDER BY number, warehouse"
        ),
        {"k": kind, "w": warehouse},
    )
    measure = task_progress if kind == "pick_task" else receipt_progress
    return [measure(conn, r.warehouse, r.number, r.body, r.status) for r in rows]
