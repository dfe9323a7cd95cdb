"""Documents at the hub (receipts, orders, pick tasks, count tasks) and pick task leases.

A document travels whole, header and lines by natural keys. A pick task is leased to one
device at a time, so two terminals never walk the same task; a lease lapses by itself.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.dialects.postgresql import insert

from wms.hub import schema as t
from wms.hub.feed import Emit, emit

_GET = text(
    "SELECT status, body, leased_to, lease_until FROM document"
    " WHERE warehouse = :w AND kind = :k AND number = :n FOR UPDATE"
)


def _as_published(body: dict[str, Any], row: Any) -> dict[str, Any]:
    """What terminals receive: the body with the document's status and lease."""
    until = row.lease_until.isoformat() if row.lease_until else None
    return {**body, "status": row.status, "leased_to": row.leased_to, "lease_until": until}


def publish(conn: Connection, warehouse: str, kind: str, number: str) -> None:
    """Publish a document as it now stands: body, status and lease."""
    row = conn.execute(_GET, {"w": warehouse, "k": kind, "n": number}).one()
    emit(conn, [Emit(warehouse, kind, number, _as_published(row.body, row))])


def save(conn: Connection, warehouse: str, kind: str, body: dict[str, Any]) -> None:
    """Create or replace a document of ``warehouse`` (from an import or the demo), publish it."""
    stmt = insert(t.document).values(
        kind=kind, number=body["number"], warehouse=warehouse, body=body, status="open"
    )
    keys = ["warehouse", "kind", "number"]
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_={"body": body}))
    publish(conn, warehouse, kind, body["number"])


_SAVE_MANY = text(
    "INSERT INTO document (kind, number, warehouse, body, status)"
    " SELECT :k, b->>'number', :w, b, 'open'"
    " FROM jsonb_array_elements(CAST(:bodies AS jsonb)) AS x(b)"
    " ON CONFLICT (warehouse, kind, number) DO UPDATE SET body = EXCLUDED.body"
    " RETURNING number, status, leased_to, lease_until"
)


def save_many(conn: Connection, warehouse: str, kind: str, bodies: list[dict[str, Any]]) -> None:
    """Create or replace many documents of one kind and publish them, in two statements
    whatever their number (a wave's tasks, an import's orders)."""
    if not bodies:
        return
    rows = conn.execute(
        _SAVE_MANY, {"k": kind, "w": warehouse, "bodies": json.dumps(bodies, default=str)}
    ).all()
    held = {r.number: r for r in rows}
    emit(
        conn,
        (Emit(warehouse, kind, b["number"], _as_published(b, held[b["number"]])) for b in bodies),
    )


_REPLACE = text(
    "UPDATE document d SET body = x.body, status = x.status FROM jsonb_to_recordset("
    "CAST(:docs AS jsonb)) AS x(number text, status text, body jsonb)"
    " WHERE d.warehouse = :w AND d.kind = :k AND d.number = x.number"
    " RETURNING d.number, d.body, d.status, d.leased_to, d.lease_until"
)


def replace_many(
    conn: Connection, warehouse: str, kind: str, docs: list[tuple[dict[str, Any], str]]
) -> None:
    """Rewrite documents that exist (body, status) and publish them, in two statements
    whatever their number; ``docs`` holds (body, status) pairs."""
    if not docs:
        return
    rows = [{"number": b["number"], "status": st, "body": b} for b, st in docs]
    done = conn.execute(
        _REPLACE, {"w": warehouse, "k": kind, "docs": json.dumps(rows, default=str)}
    ).all()
    emit(conn, (Emit(warehouse, kind, r.number, _as_published(r.body, r)) for r in done))


class LeaseTaken(Exception):
    """Another device holds the task's lease until ``until``."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"task leased to another terminal until {until:%H:%M} UTC")
        self.until = until


class TaskDone(Exception):
    """The task was finished (on some terminal): there is nothing left to lease."""


def lease(conn: Connection, device: int, warehouse: str, number: str, minutes: int) -> datetime:
    """Lease pick task ``number`` to ``device`` (or extend its lease); returns the lease end."""
    row = conn.execute(_GET, {"w": warehouse, "k": "pick_task", "n": number}).first()
    if row is None:
        raise KeyError(number)
    if row.status == "done":
        raise TaskDone(f"task {number} is done: every line was picked or reported short")
    now = datetime.now(UTC)
    if row.leased_to not in (None, device) and row.lease_until and row.lease_until > now:
        raise LeaseTaken(row.lease_until)
    until = now + timedelta(minutes=minutes)
    conn.execute(
        text(
            "UPDATE document SET leased_to = :d, lease_until = :u WHERE warehouse = :w"
            " AND kind = 'pick_task' AND number = :n"
        ),
        {"d": device, "u": until, "w": warehouse, "n": number},
    )
    publish(conn, warehouse, "pick_task", number)
    return until


def for_device(body: dict[str, Any], device: int) -> dict[str, Any]:
    """A pick task as one device sees it: ``leased`` is 'you', 'other' or None."""
    until = body.get("lease_until")
    live = until is not None and datetime.fromisoformat(until) > datetime.now(UTC)
    holder = body.get("leased_to") if live else None
    leased = None if holder is None else ("you" if holder == device else "other")
    return {**body, "leased": leased}
