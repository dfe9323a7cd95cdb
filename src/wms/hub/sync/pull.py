"""Reading the change feed: a device's pages after its cursor, never skipping a row.

Positions are ``(xid, pos)`` (see :mod:`wms.hub.feed`); a reader only reads below
``pg_snapshot_xmin`` of its own snapshot, so no transaction can later commit a row behind it.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, text

from wms.hub.documents import for_device
from wms.sync.bounds import INT64_MAX
from wms.sync.wire import Change, PullReply, StreamAck

_READ = text(
    "SELECT kind, key, xid, pos, body FROM change"
    " WHERE warehouse IN (:w, '*') AND (xid, pos) > (:xid, :pos)"
    " AND xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
    " ORDER BY xid, pos LIMIT :n"
)

_CAUGHT_UP = text("UPDATE device SET last_pull = now() WHERE id = :d")
_MARKS = text("SELECT stream_id, last_seq FROM op_stream WHERE device = :d ORDER BY stream_id")


def feed_id(conn: Connection) -> str:
    """This database's feed identity; a cursor minted by another database starts over."""
    return str(conn.execute(text("SELECT value FROM hub_meta WHERE key = 'feed'")).scalar_one())


def _view(kind: str, body: dict[str, Any] | None, device: int) -> dict[str, Any] | None:
    # Leases are told per device: "you", "other" or none.
    if kind == "pick_task" and body is not None:
        return for_device(body, device)
    return body


def _theirs(kind: str, body: dict[str, Any] | None, device: int) -> bool:
    """Whether a change is another device's own (a number block): never shown to this one."""
    return kind == "number_block" and body is not None and body.get("device") != device


# Two bigints in ASCII digits: str.isdigit() also takes '²', which int() refuses.
_POSITION = re.compile(r"[0-9]{1,19}")


def _parse(cursor: str | None, feed: str) -> tuple[int, int] | None:
    if not cursor:
        return (0, 0)
    parts = cursor.split(":")
    if len(parts) != 3 or parts[0] != feed:
        return None
    if not all(_POSITION.fullmatch(p) and int(p) <= INT64_MAX for p in parts[1:]):
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
    # Read after the page, so every op whose stock the page holds is within its stream's mark
    # (the terminal must not add such an op on top of the hub's figure).
    marks = conn.execute(_MARKS, {"d": device}).all() if device else []
    return PullReply(
        reset=reset,
        changes=[
            Change(kind=r.kind, key=r.key, body=_view(r.kind, r.body, device))
            for r in rows
            if not _theirs(r.kind, r.body, device)
        ],
        cursor=f"{feed}:{xid}:{pos}",
        more=more,
        acks=[StreamAck(stream=m.stream_id, last_seq=m.last_seq) for m in marks],
    )
