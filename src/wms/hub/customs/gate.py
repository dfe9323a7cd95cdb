"""The release gate: a bonded-retail parcel's customs status, what a change of it tells the floor
(the ``parcel`` feed: a dispatch terminal refuses a 1210 parcel not ``released``), the sales
channel (webhooks) and the supervisor (exceptions with customs' text and the next steps they
may decide: ``redeclare``, ``hold`` or ``unpack``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Connection, text

from wms.domain.customs import CustomsStatus
from wms.hub.feed import emit, exception_changes
from wms.hub.outbox import Event, enqueue
from wms.hub.planning.order_documents import publish_parcels

# Exceptions about customs, and the next steps a supervisor may decide for each (besides
# ``accept``: the books stand, nothing to do).
STEPS: dict[str, tuple[str, ...]] = {
    "customs_rejected": ("redeclare", "unpack"),
    "customs_returned": ("redeclare", "unpack"),
    "customs_inspection": ("hold", "unpack"),
    "customs_held": ("hold", "unpack"),
    "customs_data_missing": ("redeclare", "unpack"),
    "customs_list_invalid": ("redeclare", "unpack"),
    "customs_cancelled": ("unpack",),
    "customs_cancel_refused": ("hold", "unpack"),
    "bonded_order_split": ("unpack",),
}

# The webhook each customs status sends the order's channel (INTEGRATION.md).
EVENTS = {
    CustomsStatus.DECLARED: "order.declared",
    CustomsStatus.RELEASED: "order.customs_released",
    CustomsStatus.REJECTED: "order.customs_rejected",
    CustomsStatus.HELD: "order.customs_held",
    CustomsStatus.CANCELLED: "order.customs_cancelled",
}


@dataclass(frozen=True)
class Raise:
    """An exception for a supervisor about a parcel's customs; ``op`` ties it to the op that
    raised it (stream, seq) when there is one."""

    kind: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    op: tuple[str, int] | None = None


_INSERT = text(
    "INSERT INTO hub_exception (warehouse, kind, stream_id, seq, message, details)"
    " SELECT :w, kind, stream_id, seq, message, details FROM jsonb_to_recordset(CAST(:rows AS"
    " jsonb)) AS x(kind text, stream_id text, seq bigint, message text, details jsonb)"
    " RETURNING *"
)


def raise_exceptions(conn: Connection, warehouse: str, raised: Sequence[Raise]) -> None:
    """Queue exceptions for a supervisor (and the terminals' feed) in the caller's
    transaction; each names its next steps in ``details.steps``."""
    if not raised:
        return
    rows = [
        {
            "kind": r.kind,
            "stream_id": r.op[0] if r.op else None,
            "seq": r.op[1] if r.op else None,
            "message": r.message,
            "details": {**r.details, "steps": list(STEPS.get(r.kind, ()))},
        }
        for r in raised
    ]
    done = conn.execute(_INSERT, {"w": warehouse, "rows": to_json(rows).decode()}).all()
    emit(conn, exception_changes(warehouse, [dict(r._mapping) for r in done]))


_PARCEL = text(
    "SELECT sscc, order_number, customs_status, customs_text FROM parcel WHERE warehouse = :w"
    " AND sscc = :s FOR UPDATE"
)
_SET = text(
    "UPDATE parcel SET customs_status = :status, customs_text = :text"
    " WHERE warehouse = :w AND sscc = :s"
)


def set_status(
    conn: Connection,
    warehouse: str,
    sscc: str,
    status: CustomsStatus,
    words: str | None,
    *,
    list_guid: str | None = None,
) -> bool:
    """Set a parcel's customs status and text, publish it to the floor and tell the order's
    channel; False (nothing done) when the parcel already stood so."""
    row = conn.execute(_PARCEL, {"w": warehouse, "s": sscc}).first()
    if row is None or (row.customs_status, row.customs_text) == (status, words):
        return False
    conn.execute(_SET, {"w": warehouse, "s": sscc, "status": str(status), "text": words})
    publish_parcels(conn, warehouse, [sscc])
    event = EVENTS.get(status)
    if event is not None and row.customs_status != status:
        data = {"parcel": sscc, "customs_status": str(status), "customs_text": words}
        enqueue(conn, [Event(warehouse, row.order_number, event, data | {"list": list_guid})])
    return True


def exceptions_about(conn: Connection, warehouse: str, sscc: str) -> list[int]:
    """Open customs exceptions about parcel ``sscc``."""
    return list(
        conn.scalars(
            text(
                "SELECT id FROM hub_exception WHERE warehouse = :w AND NOT resolved"
                " AND details->>'sscc' = :s AND kind = ANY(CAST(:k AS text[])) ORDER BY id"
            ),
            {"w": warehouse, "s": sscc, "k": list(STEPS)},
        )
    )
