"""The pull feed: every hub write that a terminal must see moves one ``change`` row forward.

Positions are ``(xid, pos)``: the writing transaction's id, then a sequence value. Sequences and
transaction ids are assigned before commit and commit out of order, so a reader only reads
below ``pg_snapshot_xmin`` of its own snapshot: every transaction with a smaller id has ended,
and none can later commit a row behind the cursor.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from wms.sync.wire import Change, PullReply

EVERY_WAREHOUSE = "*"

_EMIT = text(
    "INSERT INTO change (warehouse, kind, key, xid, pos, body)"
    " SELECT w, k, key, pg_current_xact_id()::text::bigint, nextval('change_pos'),"
    " CAST(b AS jsonb)"
    " FROM unnest(CAST(:w AS text[]), CAST(:k AS text[]), CAST(:key AS text[]),"
    " CAST(:b AS text[])) WITH ORDINALITY AS t(w, k, key, b, n) ORDER BY n"
    " ON CONFLICT (warehouse, kind, key) DO UPDATE"
    " SET xid = EXCLUDED.xid, pos = EXCLUDED.pos, body = EXCLUDED.body"
)

_READ = text(
    "SELECT kind, key, xid, pos, body FROM change"
    " WHERE warehouse IN (:w, '*') AND (xid, pos) > (:xid, :pos)"
    " AND xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
    " ORDER BY xid, pos LIMIT :n"
)

_CAUGHT_UP = text("UPDATE device SET last_pull = now() WHERE id = :d")


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
    rows = list(last.values())
    conn.execute(
        _EMIT,
        {
            "w": [c.warehouse for c in rows],
            "k": [c.kind for c in rows],
            "key": [c.key for c in rows],
            "b": [None if c.body is None else json.dumps(c.body, default=str) for c in rows],
        },
    )


def feed_id(conn: Connection) -> str:
    """This database's feed identity; a cursor minted by another database starts over."""
    return str(conn.execute(text("SELECT value FROM hub_meta WHERE key = 'feed'")).scalar_one())


def _view(kind: str, body: dict[str, Any] | None, device: int) -> dict[str, Any] | None:
    # Leases are told per device: "you", "other" or none.
    if kind == "pick_task" and body is not None:
        from wms.hub.documents import for_device

        return for_device(body, device)
    return body


def _parse(cursor: str | None, feed: str) -> tuple[int, int] | None:
    if not cursor:
        return (0, 0)
    parts = cursor.split(":")
    if len(parts) != 3 or parts[0] != feed or not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    return int(parts[1]), int(parts[2])


def pull(
    conn: Connection, warehouse: str, cursor: str | None, limit: int, device: int = 0
) -> PullReply:
    """The next page of changes for ``warehouse`` after ``cursor``.

    An unknown cursor (another hub database, a restored one, garbage) answers ``reset``: the
    terminal drops what it pulled and reads the feed from the start, which is a full snapshot.
    """
    feed = feed_id(conn)
    position = _parse(cursor, feed)
    reset = position is None
    xid, pos = position or (0, 0)
    rows = conn.execute(_READ, {"w": warehouse, "xid": xid, "pos": pos, "n": limit}).all()
    if rows:
        xid, pos = rows[-1].xid, rows[-1].pos
    more = len(rows) == limit
    if device and not more:  # read to the end: supervisors see how current each terminal is
        conn.execute(_CAUGHT_UP, {"d": device})
    return PullReply(
        reset=reset,
        changes=[Change(kind=r.kind, key=r.key, body=_view(r.kind, r.body, device)) for r in rows],
        cursor=f"{feed}:{xid}:{pos}",
        more=more,
    )
