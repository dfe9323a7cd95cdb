"""The exceptions queue: a supervisor resolves each exception raised by sync.

Resolutions: ``accept`` (the books stand), ``adjust`` (post a signed delta to the stock the
exception is about), ``recount`` (a count task for its bin, pulled by the terminals) and
``write_off`` (bring that stock to zero); and for a customs exception its next steps
(``redeclare``, ``hold``, ``unpack``: :func:`wms.hub.customs.steps.take_step`). Adjusting or
writing off bonded stock is a correction in the bonded ledger. Each is one decision in the
audit trail; the exception row is marked, never deleted, and published to the feed so
terminals learn it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, text

from wms.hub.customs.ledger import record_decision
from wms.hub.customs.steps import CUSTOMS_STEPS, StepRefused, take_step
from wms.hub.documents import save
from wms.hub.feed import Emit, emit, exception_changes
from wms.hub.master import stock_key
from wms.hub.supervision.choices import Resolution
from wms.hub.supervision.supervisors import DecisionRefused, record
from wms.sync.bounds import INT32_MAX, INT64_MAX

_KEY = ("sku", "location", "lot", "container", "status")
_ADD = text(
    "INSERT INTO on_hand (warehouse, sku, location, lot, container, status, qty)"
    " VALUES (:w, :sku, :location, :lot, :container, :status, :qty)"
    " ON CONFLICT (warehouse, sku, location, lot, container, status)"
    " DO UPDATE SET qty = on_hand.qty + EXCLUDED.qty RETURNING qty"
)
_LEDGER = text(
    "INSERT INTO ledger (warehouse, sku, location, lot, container, status, delta, occurred_at,"
    " decision, reference) VALUES (:w, :sku, :location, :lot, :container, :status, :qty,"
    " :at, :decision, :ref)"
)


class CannotResolve(DecisionRefused):
    """Unknown or already resolved exception, or a resolution its facts do not support."""


def open_exceptions(conn: Connection, warehouse: str | None = None) -> list[dict[str, Any]]:
    """Unresolved exceptions with their facts, oldest first."""
    rows = conn.execute(
        text(
            "SELECT id, warehouse, kind, message, details, stream_id, seq, created_at"
            " FROM hub_exception WHERE NOT resolved"
            " AND (CAST(:w AS text) IS NULL OR warehouse = :w) ORDER BY id"
        ),
        {"w": warehouse},
    )
    return [dict(r._mapping) for r in rows]


def _post(conn: Connection, wh: str, key: dict[str, str], delta: int, decision: int) -> None:
    row = {**key, "w": wh, "qty": delta, "at": datetime.now(UTC), "decision": decision}
    conn.execute(_LEDGER, {**row, "ref": f"EXC-{decision}"})
    left = conn.execute(_ADD, row).scalar_one()
    if left == 0:
        conn.execute(
            text(
                "DELETE FROM on_hand WHERE warehouse = :w AND sku = :sku AND location = :location"
                " AND lot = :lot AND container = :container AND status = :status"
            ),
            {**key, "w": wh},
        )
    body = {**key, "qty": left} if left else None
    emit(conn, [Emit(wh, "stock", stock_key(*key.values()), body)])


def resolve(
    conn: Connection,
    exception: int,
    who: str,
    why: str,
    action: Resolution,
    *,
    delta: int = 0,
) -> int:
    """Resolve one exception; returns the decision's audit id."""
    if not 0 < exception <= INT64_MAX:
        raise CannotResolve(f"no open exception {exception}")
    exc = conn.execute(
        text(
            "SELECT id, warehouse, kind, message, stream_id, seq, created_at, details, resolved"
            " FROM hub_exception WHERE id = :i FOR UPDATE"
        ),
        {"i": exception},
    ).first()
    if exc is None or exc.resolved:
        raise CannotResolve(f"no open exception {exception}")
    facts: dict[str, Any] = exc.details or {}
    if action in CUSTOMS_STEPS:
        return _customs_step(conn, exc, who, why, action)
    key = {k: str(facts.get(k) or "") for k in _KEY}
    if action is not Resolution.ACCEPT and not (key["sku"] and key["location"]):
        raise CannotResolve(f"a {exc.kind} exception names no stock: only accept it")
    if action is Resolution.ADJUST and delta == 0:
        raise CannotResolve("an adjustment needs a non-zero delta")
    if abs(delta) > INT32_MAX:
        raise CannotResolve(f"an adjustment is at most {INT32_MAX} units either way")
    key["status"] = key["status"] or "available"
    wh = str(exc.warehouse)
    decision = record(conn, wh, f"resolve_{action}", who, why, exception=exception, delta=delta)
    if action is Resolution.ADJUST:
        _post(conn, wh, key, delta, decision)
    elif action is Resolution.WRITE_OFF:
        qty = conn.execute(
            text(
                "SELECT COALESCE(SUM(qty), 0) FROM on_hand WHERE warehouse = :w AND sku = :sku"
                " AND location = :location AND lot = :lot AND container = :container"
                " AND status = :status"
            ),
            {**key, "w": wh},
        ).scalar_one()
        if qty:
            _post(conn, wh, key, -int(qty), decision)
    if action in (Resolution.ADJUST, Resolution.WRITE_OFF):
        record_decision(conn, wh, decision, "correction")
    if action is Resolution.RECOUNT:
        task = {"number": f"CT-X{exception}", "location": key["location"], "sku": key["sku"]}
        save(conn, wh, "count_task", task)
    _close(conn, exc, decision, action, who=who, why=why)
    return decision


def _close(
    conn: Connection, exc: Any, decision: int, action: Resolution, *, who: str, why: str
) -> None:
    """Mark the exception resolved and tell the terminals."""
    conn.execute(
        text(
            "UPDATE hub_exception SET resolved = true, resolution = :a, decision = :d WHERE id = :i"
        ),
        {"a": str(action), "d": decision, "i": exc.id},
    )
    resolved = {**exc._mapping, "resolution": str(action), "who": who, "why": why}
    emit(conn, exception_changes(str(exc.warehouse), [resolved]))


def _customs_step(conn: Connection, exc: Any, who: str, why: str, action: Resolution) -> int:
    """A customs exception's next step, decided and done; CannotResolve when it is not one of
    the exception's steps or cannot be taken (what still stops a declaration, say)."""
    wh = str(exc.warehouse)
    facts: dict[str, Any] = exc.details or {}
    if str(action) not in facts.get("steps", []):
        offered = ", ".join(["accept", *facts.get("steps", [])])
        raise CannotResolve(f"a {exc.kind} exception is resolved by {offered}, not {action}")
    decision = record(conn, wh, f"resolve_{action}", who, why, exception=exc.id)
    try:
        take_step(conn, wh, str(facts.get("sscc") or ""), str(action), who=who, why=why)
    except StepRefused as e:
        raise CannotResolve(str(e)) from None
    _close(conn, exc, decision, action, who=who, why=why)
    return decision
