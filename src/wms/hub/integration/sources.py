"""Where an order's timeline comes from: one source per part of the hub, each reading that
part's own records (see :mod:`.timeline` for how to add one).

- intake: the order as received (its lines);
- allocation: stock reserved for it and not picked yet (each reservation keeps when it was
  made); what is backordered now;
- waves: the wave that released it, and its pick tasks;
- the floor: each pick and short pick pushed by a terminal (the op's own time and bin), read
  from the ops the hub received;
- customs: each parcel's import list declared, customs' decisions on it (from the receipts),
  cancel and return requests;
- cancelling: when and why, and the put-back tasks bringing back what was picked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, text

from wms.hub.integration.timeline import Event, Order, Source

_LINES = text(
    "SELECT line_no, sku, qty, backordered FROM order_line WHERE warehouse = :w"
    " AND order_number = :n ORDER BY line_no"
)
_RESERVED = text(
    "SELECT created_at, line_no, sku, location, lot, SUM(qty) AS units FROM reservation"
    " WHERE order_number = :n AND warehouse = :w AND stage = 'pick'"
    " GROUP BY created_at, line_no, sku, location, lot"
    " ORDER BY created_at, line_no, location, lot"
)
_WAVE = text("SELECT id, released_at FROM wave WHERE id = :id AND warehouse = :w")
_PICK_LINES = text(
    "SELECT task, seq, line_no, tote FROM pick_line WHERE order_number = :n AND warehouse = :w"
    " ORDER BY task, seq"
)
_OPS = text(
    "SELECT type, occurred_at, payload FROM received_op WHERE type IN ('pick', 'short_pick')"
    " AND payload->>'task' = ANY(CAST(:tasks AS text[])) AND warehouse = :w"
    " AND rejected IS NULL ORDER BY occurred_at, stream_id, seq"
)
_PUT_BACKS = text(
    "SELECT number, created_at, sku, lot, from_location, to_location, qty, moved, state"
    " FROM move_task WHERE order_number = :n AND warehouse = :w AND kind = 'put_back'"
    " ORDER BY created_at, number"
)


def received(conn: Connection, order: Order) -> Iterable[Event]:
    """The order as taken, and what of it is backordered now."""
    lines = conn.execute(_LINES, {"w": order.warehouse, "n": order.number}).all()
    yield Event(
        order.received_at,
        "received",
        order.warehouse,
        facts={
            "channel": order.channel,
            "lines": [{"line_no": r.line_no, "sku": r.sku, "qty": r.qty} for r in lines],
        },
    )
    short = [
        {"line_no": r.line_no, "sku": r.sku, "units": r.backordered}
        for r in lines
        if r.backordered > 0
    ]
    if short and order.status not in ("cancelled", "shipped"):
        # Backorders are a standing state: dated by the order's last change.
        yield Event(order.updated_at, "backordered", order.warehouse, facts={"lines": short})


def allocated(conn: Connection, order: Order) -> Iterable[Event]:
    """Stock reserved for the order and not picked yet, per reservation time."""
    groups: dict[datetime, list[dict[str, object]]] = {}
    for r in conn.execute(_RESERVED, {"w": order.warehouse, "n": order.number}):
        groups.setdefault(r.created_at, []).append(
            {
                "line_no": r.line_no,
                "sku": r.sku,
                "location": r.location,
                "lot": r.lot,
                "units": int(r.units),
            }
        )
    for at, lines in groups.items():
        yield Event(at, "allocated", order.warehouse, facts={"lines": lines})


def released(conn: Connection, order: Order) -> Iterable[Event]:
    """The wave that released the order to the floor, with its pick tasks."""
    if order.wave is None:
        return
    wave = conn.execute(_WAVE, {"id": order.wave, "w": order.warehouse}).first()
    if wave is None:
        return
    tasks = sorted(
        {r.task for r in conn.execute(_PICK_LINES, {"w": order.warehouse, "n": order.number})}
    )
    yield Event(
        wave.released_at, "released", order.warehouse, facts={"wave": wave.id, "tasks": tasks}
    )


def floor_picks(conn: Connection, order: Order) -> Iterable[Event]:
    """Each pick and short pick of the order's pick lines, as the terminal recorded it."""
    lines = {
        (r.task, r.seq): r
        for r in conn.execute(_PICK_LINES, {"w": order.warehouse, "n": order.number})
    }
    if not lines:
        return
    tasks = sorted({t for t, _ in lines})
    for op in conn.execute(_OPS, {"w": order.warehouse, "tasks": tasks}):
        p = op.payload
        try:
            line = lines.get((str(p["task"]), int(p["line"])))
        except (KeyError, TypeError, ValueError):
            continue
        if line is None:  # another order's line of a cluster task
            continue
        facts: dict[str, object] = {
            "line_no": line.line_no,
            "sku": p.get("sku"),
            "task": line.task,
            "task_line": line.seq,
        }
        if op.type == "pick":
            facts |= {"units": p.get("units"), "lot": p.get("lot") or ""}
            if p.get("serial"):
                facts["serial"] = p["serial"]
            if line.tote is not None:
                facts["tote"] = line.tote
            kind = "picked"
        else:
            facts["units"] = p.get("short")
            kind = "short_picked"
        yield Event(op.occurred_at, kind, order.warehouse, p.get("location"), facts)


_PARCEL_OPS = text(
    "SELECT o.type, o.occurred_at, o.payload, p.waybill, p.carrier, p.location"
    " FROM received_op o"
    " JOIN parcel p ON p.warehouse = o.warehouse AND p.sscc = o.payload->>'parcel'"
    " WHERE p.warehouse = :w AND p.order_number = :n AND o.type IN ('pack', 'load', 'ship')"
    " AND o.rejected IS NULL ORDER BY o.occurred_at, o.stream_id, o.seq"
)
_SHIPPING_KIND = {"pack": "packed", "load": "loaded", "ship": "shipped"}


def shipped(conn: Connection, order: Order) -> Iterable[Event]:
    """Each parcel of the order as the floor packed, loaded and shipped it, with its waybill
    (the hub's, once booked) and, when packed, its weight and the lots in it."""
    for op in conn.execute(_PARCEL_OPS, {"w": order.warehouse, "n": order.number}):
        p = op.payload
        facts: dict[str, object] = {
            "parcel": p.get("parcel"),
            "carrier": op.carrier,
            "waybill": op.waybill or p.get("waybill"),
        }
        where = p.get("dock") or op.location
        if op.type == "pack":
            where = p.get("station")
            facts["weight_g"] = p.get("weight_g")
            facts["lines"] = [
                {"sku": ln.get("sku"), "lot": ln.get("lot") or "", "units": ln.get("units")}
                for ln in p.get("lines") or []
                if isinstance(ln, dict)
            ]
        elif p.get("load"):
            facts["load"] = p["load"]
        yield Event(op.occurred_at, _SHIPPING_KIND[op.type], order.warehouse, where, facts)


def cancelled(conn: Connection, order: Order) -> Iterable[Event]:
    """When and why the order was cancelled, and the put-backs of what was picked for it."""
    if order.status == "cancelled":
        facts = {"why": order.cancel_reason} if order.cancel_reason else {}
        yield Event(order.updated_at, "cancelled", order.warehouse, facts=facts)
    for r in conn.execute(_PUT_BACKS, {"w": order.warehouse, "n": order.number}):
        yield Event(
            r.created_at,
            "put_back",
            order.warehouse,
            r.to_location,
            {
                "task": r.number,
                "sku": r.sku,
                "lot": r.lot,
                "units": r.qty,
                "from": r.from_location,
                "moved": r.moved,
                "state": r.state,
            },
        )


_LISTS = text(
    "SELECT guid, kind, sscc, cop_no, state, created_at, sent_at FROM customs_message"
    " WHERE warehouse = :w AND order_number = :n ORDER BY created_at, guid"
)
# Each answer customs gave that changed a list's (or request's) standing, as kept with the
# receipts it came in.
_ANSWERS = text(
    "SELECT r.received_at, a.value AS answer FROM customs_receipt r,"
    " jsonb_array_elements(r.applied) a WHERE r.warehouse = :w"
    " AND a.value->>'message' = ANY(CAST(:g AS text[])) AND (a.value->>'changed')::boolean"
    " ORDER BY r.received_at, r.id"
)
_CUSTOMS_KIND = {
    "released": "customs_released",
    "held": "customs_held",
    "rejected": "customs_rejected",
    "cancelled": "customs_cancelled",
}


def customs(conn: Connection, order: Order) -> Iterable[Event]:
    """Each parcel's import list as declared to customs, cancel and return requests, and each
    decision customs answered (released, held, rejected, cancelled), with customs' words."""
    found = conn.execute(_LISTS, {"w": order.warehouse, "n": order.number}).all()
    if not found:
        return
    kinds = {m.guid: m for m in found}
    for m in found:
        if m.state == "withdrawn":
            continue
        facts: dict[str, object] = {"parcel": m.sscc, "message": m.kind, "guid": m.guid}
        kind = {"CEB621": "declared", "CEB623": "customs_cancel_requested"}.get(m.kind)
        yield Event(m.created_at, kind or "customs_return_declared", order.warehouse, facts=facts)
    for r in conn.execute(_ANSWERS, {"w": order.warehouse, "g": list(kinds)}):
        a = r.answer
        msg = kinds[a["message"]]
        status = str(a.get("status") or "")
        kind = _CUSTOMS_KIND.get(status) if msg.kind == "CEB621" else None
        if kind is None and msg.kind == "CEB623" and status == "cancelled":
            kind = "customs_cancelled"
        if kind is None:
            continue
        facts = {"parcel": msg.sscc, "return_status": a.get("returnStatus")}
        facts |= {"customs_text": a.get("returnInfo"), "guid": msg.guid}
        yield Event(r.received_at, kind, order.warehouse, facts=facts)


# Every part's source, in the order the parts come into an order's life.
SOURCES: tuple[Source, ...] = (
    received,
    allocated,
    released,
    floor_picks,
    shipped,
    customs,
    cancelled,
)
