"""Recalls: a lot (or every lot of a product from a supplier) becomes recalled everywhere.

The stock turns 'recalled' (unpickable on every terminal after its next pull), open pick tasks
that counted on it are re-planned onto bins that still hold pickable stock, and one
pick-to-quarantine task (document kind ``recall_move``) is published per bin holding it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from wms.domain.kinds import OrderKind, StockStatus
from wms.domain.rules import may_take
from wms.hub.documents import save
from wms.hub.supervision.decisions import Moved, Selection, move_status
from wms.hub.supervision.supervisors import DecisionRefused, record

_OPEN_TASKS = text(
    "SELECT t.body AS task, o.body AS order FROM document t LEFT JOIN document o"
    " ON o.warehouse = t.warehouse AND o.kind = 'order' AND o.number = t.body->>'order_number'"
    " WHERE t.kind = 'pick_task' AND t.warehouse = :w AND t.status = 'open'"
    # A wave's tasks walk reservations: planning re-plans those (it trims and backorders).
    " AND t.body->'wave' IS NULL"
    " AND t.body->'lines' @> CAST(:probe AS jsonb) ORDER BY t.number"
)
_BINS = text(
    "SELECT o.location, o.status, o.qty FROM on_hand o"
    " JOIN location l ON l.warehouse = o.warehouse AND l.code = o.location"
    " WHERE o.warehouse = :w AND o.sku = :sku AND o.qty > 0 AND NOT l.blocked"
    " ORDER BY l.pick_sequence, o.location"
)
_QUARANTINE_BIN = text(
    "SELECT code FROM location WHERE warehouse = :w AND type = 'quarantine' AND NOT blocked"
    " ORDER BY pick_sequence, code LIMIT 1"
)


class BadRecall(DecisionRefused):
    """The recall names no lot, or a supplier that does not supply the product."""


@dataclass(frozen=True)
class Recalled:
    """The decision's audit id, the rows recalled, tasks re-planned and quarantine tasks."""

    decision: int
    moved: list[Moved] = field(default_factory=list)
    replanned: list[str] = field(default_factory=list)
    quarantine_tasks: list[str] = field(default_factory=list)


def _pickable_per_bin(conn: Connection, warehouse: str, sku: str, kind: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in conn.execute(_BINS, {"w": warehouse, "sku": sku}):
        if may_take(kind, r.status):
            out[r.location] = out.get(r.location, 0) + int(r.qty)
    return out


def _replan(conn: Connection, warehouse: str, sku: str) -> list[str]:
    """Point open task lines of ``sku`` at bins that can still fill them; returns task numbers.

    A line whose bin no longer holds enough pickable stock moves to the first bin in walking
    order that does; when no bin does it stays, and the picker's short pick raises it.
    """
    changed: list[str] = []
    probe = json.dumps([{"sku": sku}])  # a sku may hold a quote
    for row in conn.execute(_OPEN_TASKS, {"w": warehouse, "probe": probe}).all():
        task: dict[str, Any] = row.task
        kind = (row.order or {}).get("kind") or OrderKind.DOMESTIC
        left = _pickable_per_bin(conn, warehouse, sku, kind)
        lines = []
        for line in task["lines"]:
            planned = line
            if line["sku"] == sku:
                if left.get(line["location"], 0) < line["qty"]:
                    better = next((b for b, q in left.items() if q >= line["qty"]), None)
                    if better is not None:
                        planned = {**line, "location": better}
                where = planned["location"]
                left[where] = left.get(where, 0) - line["qty"]
            lines.append(planned)
        if lines != task["lines"]:
            body = {k: v for k, v in task.items() if k not in ("status", "leased_to")}
            body.pop("lease_until", None)
            save(conn, warehouse, "pick_task", {**body, "lines": lines})
            changed.append(str(task["number"]))
    return changed


def _quarantine_tasks(
    conn: Connection, warehouse: str, decision: int, selection: Selection
) -> list[str]:
    to = conn.execute(_QUARANTINE_BIN, {"w": warehouse}).scalar()
    held = Selection(selection.skus, [StockStatus.RECALLED], selection.lots)
    rows = conn.execute(
        text(
            "SELECT location, sku, lot, container, qty FROM on_hand WHERE warehouse = :w"
            " AND status = 'recalled' AND sku = ANY(CAST(:skus AS text[]))"
            " AND (CAST(:lots AS text[]) IS NULL OR lot = ANY(CAST(:lots AS text[])))"
            " AND location <> COALESCE(CAST(:to AS text), '') ORDER BY location, sku, lot"
        ),
        {
            "w": warehouse,
            "skus": sorted(held.skus),
            "lots": None if held.lots is None else sorted(held.lots),
            "to": to,
        },
    ).all()
    numbers = []
    for n, r in enumerate(rows, start=1):
        number = f"RM-{decision}-{n}"
        body = {"number": number, "recall": decision, "to": to, **dict(r._mapping)}
        save(conn, warehouse, "recall_move", body)
        numbers.append(number)
    return numbers


def recall(
    conn: Connection,
    warehouse: str,
    who: str,
    why: str,
    sku: str,
    *,
    lot: str = "",
    supplier: str = "",
) -> Recalled:
    """Recall one lot of ``sku``, or (no lot) every lot of ``sku`` from ``supplier``."""
    if not lot:
        if not supplier:
            raise BadRecall("recall a lot (--lot) or every lot from a supplier (--supplier)")
        known = conn.execute(text("SELECT supplier FROM product WHERE sku = :s"), {"s": sku})
        if known.scalar() != supplier:
            raise BadRecall(f"{sku} is not supplied by {supplier}")
    selection = Selection([sku], list(StockStatus), [lot] if lot else None)
    decision = record(conn, warehouse, "recall", who, why, sku=sku, lot=lot, supplier=supplier)
    moved = move_status(
        conn,
        warehouse,
        selection,
        StockStatus.RECALLED,
        decision=decision,
        reference=f"RECALL-{decision}",
    )
    return Recalled(
        decision,
        moved,
        _replan(conn, warehouse, sku),
        _quarantine_tasks(conn, warehouse, decision, selection),
    )
