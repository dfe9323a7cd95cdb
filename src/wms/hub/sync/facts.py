"""Ops as facts: check an op belongs here, then record its stock deltas and raise exceptions.

A physical op already happened on the floor, so the hub never refuses one for a business
reason (negative stock, unknown lot, pick of held stock): it records it and raises an exception
for a supervisor. Only a malformed op is rejected, and the rejection is recorded too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from wms.domain.kinds import OpType, StockStatus
from wms.sync.ops import Delta, InvalidOp, WireOp

HELD = frozenset({StockStatus.QUARANTINE, StockStatus.RECALLED})

# Payload keys naming a bin, per op type (a hold's "to" is a status, a move's is a bin).
_BIN_KEYS: dict[str, tuple[str, ...]] = {
    OpType.PUTAWAY: ("from", "to"),
    OpType.MOVE: ("from", "to"),
    OpType.MOVE_CONTAINER: ("from", "to"),
    OpType.PICK: ("to_location",),
    OpType.PACK: ("station",),
    OpType.UNPACK: ("to_location",),
    OpType.LOAD: ("dock",),
}


def locations_named(op: WireOp) -> set[str]:
    """Every bin code ``op`` names, in its deltas and in its payload alike: each must be a bin
    of the device's own warehouse (or one the hub does not know yet)."""
    named = {d.location for d in op.deltas}
    if isinstance(op.payload, dict):
        for key in ("location", *_BIN_KEYS.get(op.type, ())):
            value = op.payload.get(key)
            if isinstance(value, str) and value:
                named.add(value)
    return named


def malformed(op: WireOp, own_locations: set[str], foreign_locations: set[str]) -> str | None:
    """Why ``op`` cannot be recorded as a fact, or None when it can.

    Its shape was checked as it arrived (an op that did not fit its model is an
    :class:`InvalidOp`, its reason kept). ``foreign_locations``: codes of other warehouses'
    bins; a device writes only to its own, whether the op names the bin in a delta or in its
    payload (a count's or short pick's bin, a move's source).
    """
    if isinstance(op, InvalidOp):
        return op.reason
    for code in locations_named(op):
        if code in foreign_locations and code not in own_locations:
            return f"location {code} belongs to another warehouse"
    return None


def pick_of_held(op: WireOp, held_at_hub: set[tuple[str, str, str]]) -> list[Delta]:
    """Deltas of a pick that took held stock: held on the terminal, or held at the hub by now
    (a recall or quarantine decided at the hub while the terminal was offline)."""
    if op.type != OpType.PICK:
        return []
    return [
        d
        for d in op.deltas
        if d.delta < 0 and (d.status in HELD or (d.sku, d.location, d.lot) in held_at_hub)
    ]


def recalled_on_arrival(op: WireOp, recalled: set[tuple[str, str]]) -> list[Delta]:
    """Deltas of a receipt or return bringing in a lot the hub has recalled (``(sku, lot)``,
    or ``(sku, "")`` for every lot of a product): they are booked as recalled, not available."""
    if op.type not in (OpType.RECEIVE, OpType.RETURN):
        return []
    return [
        d
        for d in op.deltas
        if d.delta > 0
        and d.lot
        and d.status != StockStatus.RECALLED
        and ((d.sku, d.lot) in recalled or (d.sku, "") in recalled)
    ]


def bonded_return(op: WireOp, bonded_orders: set[str]) -> list[Delta]:
    """Deltas of a return of a bonded-retail (1210) order's goods booked as cleared stock: the
    goods re-enter the bonded zone, so the hub books them on customs hold (and declares them
    back to customs against the original list)."""
    if op.type != OpType.RETURN or str(op.payload.get("order") or "") not in bonded_orders:
        return []
    return [d for d in op.deltas if d.delta > 0 and d.status == StockStatus.AVAILABLE]


def count_started(op: WireOp) -> datetime:
    """When the count began: the ledger as of then is what the observation is compared with."""
    return datetime.fromisoformat(str(op.payload["started_at"]))


def count_skus(op: WireOp) -> set[str]:
    """The products a count names, whatever its deltas say (its adjustment at the hub may land
    where the terminal booked nothing); none for any other op, or a malformed one (it is
    rejected later)."""
    p = op.payload
    if op.type != OpType.COUNT or not isinstance(p, dict) or not isinstance(p.get("counted"), list):
        return set()
    return {c["sku"] for c in p["counted"] if isinstance(c, dict) and isinstance(c.get("sku"), str)}


# How far a device's clock may stray from the hub's before its times are not believed: a few
# minutes ahead of the moment the hub receives an op is drift, more is a wrong clock; a month
# behind is a reset clock (or a terminal offline so long that its arrival is as good a place).
CLOCK_AHEAD = timedelta(minutes=10)
CLOCK_BEHIND = timedelta(days=30)


Window = tuple[datetime, datetime]


def clock_window(received: datetime) -> Window:
    """The device times an op the hub receives at ``received`` can truly carry."""
    return received - CLOCK_BEHIND, received + CLOCK_AHEAD


def plausible(moment: datetime, window: Window) -> bool:
    """Whether a device's ``moment`` lies in ``window`` (a naive one is taken as UTC)."""
    when = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return window[0] <= when <= window[1]


def short_pick_facts(op: WireOp) -> dict[str, Any]:
    """What a supervisor needs about a short pick: the stock it is about (for an adjustment or
    a recount of that bin), how many were missing, and the terminal's reason and count task."""
    p = op.payload
    facts = {"sku": p["sku"], "location": p["location"], "lot": p.get("lot") or ""}
    facts |= {"container": "", "status": StockStatus.AVAILABLE.value, "short": p["short"]}
    return facts | {k: p.get(k) for k in ("reason", "task", "count_task")}
