"""Applying pulled exceptions: those about this terminal's own ops, raised or resolved at the hub.

A short pick or an unknown product is recorded here when it happens; the hub raises its own
copy when the op arrives. The two are matched by the op (``seq``) and the kind, so the operator
sees one message that later says how a supervisor resolved it. Exceptions the hub raised alone
(negative stock, a rejected op) are added. Other terminals' exceptions are not for this one.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text

_OURS = text(
    "SELECT 1 FROM deviceidentity WHERE device_id = :stream"
    " UNION ALL SELECT 1 FROM oplog WHERE device_id = :stream AND seq = :seq LIMIT 1"
)
_SEEN = text("SELECT id FROM exceptionrecord WHERE hub_id = :id")
_LOCAL = text(
    "SELECT id FROM exceptionrecord WHERE hub_id IS NULL AND op_seq = :seq AND kind = :kind"
    " ORDER BY id LIMIT 1"
)
_UPDATE = text(
    "UPDATE exceptionrecord SET hub_id = :id, resolution = :resolution, resolved_by = :who,"
    " resolved_why = :why WHERE id = :row"
)
_ADD = text(
    "INSERT INTO exceptionrecord (kind, op_seq, message, details, created_at, hub_id,"
    " resolution, resolved_by, resolved_why) VALUES (:kind, :seq, :message, :details, :at,"
    " :id, :resolution, :who, :why)"
)


def _when(raw: object) -> str:
    """The hub's time as the store writes datetimes (naive UTC)."""
    try:
        at = datetime.fromisoformat(str(raw)).astimezone(UTC)
    except ValueError:
        at = datetime.now(UTC)
    return at.strftime("%Y-%m-%d %H:%M:%S.%f")


def apply_exception(conn: Connection, body: dict[str, Any] | None) -> None:
    """Record or update one hub exception, if it is about an op of this store."""
    if body is None or body.get("stream_id") is None:
        return
    stream, seq = str(body["stream_id"]), int(body.get("seq") or 0)
    if conn.execute(_OURS, {"stream": stream, "seq": seq}).first() is None:
        return
    params = {
        "id": int(body["id"]),
        "seq": seq,
        "kind": str(body.get("kind") or "")[:20],
        "message": str(body.get("message") or "")[:200],
        "resolution": body.get("resolution"),
        "who": (str(body["who"])[:40] if body.get("who") else None),
        "why": (str(body["why"])[:500] if body.get("why") else None),
    }
    row = conn.execute(_SEEN, params).scalar() or conn.execute(_LOCAL, params).scalar()
    if row is not None:
        conn.execute(_UPDATE, {**params, "row": row})
        return
    details = json.dumps({"from": "hub", "stream": stream})
    conn.execute(_ADD, {**params, "details": details, "at": _when(body.get("at"))})
