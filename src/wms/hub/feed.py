"""The change feed: every hub write that a terminal must see moves one ``change`` row forward.

Positions are ``(xid, pos)``: the writing transaction's id, then a sequence value. Sequences and
transaction ids are assigned before commit and commit out of order, so a reader only reads
below ``pg_snapshot_xmin`` of its own snapshot: every transaction with a smaller id has ended,
and none can later commit a row behind the cursor.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

EVERY_WAREHOUSE = "*"

# The rows travel as one JSON array: text arrays of JSON bodies cost more to encode than
# the whole batch as JSON does.
_EMIT = text(
    "INSERT INTO change (warehouse, kind, key, xid, pos, body)"
    " SELECT w, k, key, pg_current_xact_id()::text::bigint, nextval('change_pos'), b"
    " FROM ROWS FROM (jsonb_to_recordset(CAST(:rows AS jsonb)) AS (w text, k text, key text,"
    " b jsonb)) WITH ORDINALITY AS t(w, k, key, b, n) ORDER BY n"
    " ON CONFLICT (warehouse, kind, key) DO UPDATE"
    " SET xid = EXCLUDED.xid, pos = EXCLUDED.pos, body = EXCLUDED.body"
)


@dataclass(frozen=True)
class Emit:
    """A change to publish: ``body`` None tells terminals the row is gone."""

    warehouse: str
    kind: str
    key: str
    body: dict[str, Any] | None


def emit(conn: Connection, changes: Iterable[Emit]) -> None:
    """Publish changes in the caller's transaction (one statement, whatever their number).

    A key changed twice in one call keeps its last body.
    """
    last: dict[tuple[str, str, str], Emit] = {}
    for c in changes:
        last.pop((c.warehouse, c.kind, c.key), None)
        last[(c.warehouse, c.kind, c.key)] = c
    if not last:
        return
    rows = [{"w": c.warehouse, "k": c.kind, "key": c.key, "b": c.body} for c in last.values()]
    conn.execute(_EMIT, {"rows": json.dumps(rows, default=str)})


_EXCEPTION_FIELDS = ("id", "kind", "message", "stream_id", "seq", "resolution")


def exception_changes(warehouse: str, rows: Iterable[Mapping[str, Any]]) -> list[Emit]:
    """How an exception reaches the terminals: raised and resolved, it is one ``exception``
    change per row (hub_exception columns; ``who``/``why`` once resolved). The terminal whose op
    raised it (``stream``, ``seq``) matches it to its own record, or learns of it (negative
    stock, a rejected op); the resolution tells its operator what the supervisor decided."""
    out = []
    for r in rows:
        body = {k: r.get(k) for k in _EXCEPTION_FIELDS}
        body |= {"who": r.get("who"), "why": r.get("why"), "at": str(r.get("created_at") or "")}
        out.append(Emit(warehouse, "exception", str(r["id"]), body))
    return out
