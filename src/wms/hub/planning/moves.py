"""Move tasks the hub asks of the floor: replenishments (reserve to pick face) and put-backs
(goods picked for an order that was then cancelled, back to stock).

Terminals receive them as documents (kinds ``replenish`` and ``put_back``) and keep them as
move tasks, like the recalls' ``recall_move``; the floor does them with an ordinary move, and
the hub closes one when moves from its bin to its destination have carried its units. Units a
replenishment takes from reserve are reserved for it, so no order is promised them meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, text

from wms.hub.documents import publish, save_many
from wms.hub.planning.reservations import shrink, take_units


class MoveKind(StrEnum):
    """Why the hub asks for a move (also the document kind terminals receive)."""

    REPLENISH = "replenish"
    PUT_BACK = "put_back"


_PREFIX = {MoveKind.REPLENISH: "RP", MoveKind.PUT_BACK: "PB"}

_NEW = text(
    "WITH n AS (SELECT nextval(pg_get_serial_sequence('move_task', 'id')) AS id)"
    " INSERT INTO move_task (id, warehouse, kind, number, sku, lot, from_location, to_location,"
    " qty, order_number) SELECT n.id, :w, :kind, :prefix || '-' || n.id, :sku, :lot, :src,"
    " :dst, :qty, :order FROM n RETURNING id, number"
)
_OPEN = text(
    "SELECT id, number, kind, qty, moved FROM move_task WHERE warehouse = :w AND state = 'open'"
    " AND sku = :sku AND from_location = :src AND to_location = :dst"
    " AND (lot = :lot OR lot = '' OR :lot = '') ORDER BY id FOR UPDATE"
)
_HELD = text(
    "SELECT id, qty FROM reservation WHERE move_task = ANY(CAST(:ids AS bigint[])) ORDER BY id"
)
_PROGRESS = text(
    "UPDATE move_task SET moved = moved + :units, state = CASE WHEN moved + :units >= qty"
    " THEN 'done' ELSE state END, done_at = CASE WHEN moved + :units >= qty THEN now() END"
    " WHERE id = :id RETURNING state"
)

_DOC_DONE = text(
    "UPDATE document SET status = 'done' WHERE warehouse = :w AND kind = :k AND number = :n"
)


@dataclass(frozen=True)
class MoveTask:
    """A move to ask of the floor: ``qty`` of ``sku`` (lot) from one bin to another."""

    kind: MoveKind
    sku: str
    lot: str
    source: str
    to: str
    qty: int
    order: str | None = None


@dataclass(frozen=True)
class Moved:
    """A floor move as an op reports it: units of a product (lot) from a bin to a bin."""

    sku: str
    lot: str
    source: str
    to: str
    units: int


def _body(number: str, m: MoveTask) -> dict[str, Any]:
    why = (
        f"put back: order {m.order} cancelled"
        if m.kind is MoveKind.PUT_BACK
        else f"replenish pick face {m.to}"
    )
    return {
        "number": number,
        "kind": str(m.kind),
        "sku": m.sku,
        "lot": m.lot,
        "qty": m.qty,
        "location": m.source,
        "to": m.to,
        "order_number": m.order,
        "reference": why,
    }


def create_moves(
    conn: Connection, warehouse: str, moves: Sequence[MoveTask]
) -> list[tuple[int, str]]:
    """Record move tasks and publish them to the warehouse's terminals; (id, number) each."""
    made: list[tuple[int, str]] = []
    bodies: dict[MoveKind, list[dict[str, Any]]] = {}
    for m in moves:
        row = conn.execute(
            _NEW,
            {
                "w": warehouse,
                "kind": m.kind,
                "prefix": _PREFIX[m.kind],
                "sku": m.sku,
                "lot": m.lot,
                "src": m.source,
                "dst": m.to,
                "qty": m.qty,
                "order": m.order,
            },
        ).one()
        made.append((int(row.id), str(row.number)))
        bodies.setdefault(m.kind, []).append(_body(row.number, m))
    for kind, docs in bodies.items():
        save_many(conn, warehouse, kind, docs)
    return made


def settle_moves(conn: Connection, warehouse: str, moved: Sequence[Moved]) -> list[str]:
    """Count floor moves against the open move tasks they fulfil; returns the tasks now done.

    The units a replenishment had reserved in reserve are released as they leave it.
    """
    done: list[str] = []
    for m in moved:
        args = {"w": warehouse, "sku": m.sku, "src": m.source, "dst": m.to, "lot": m.lot}
        tasks = conn.execute(_OPEN, args).all()
        if not tasks:
            continue
        left_after: dict[int, int] = {}
        held = [(r.id, r.qty) for r in conn.execute(_HELD, {"ids": [t.id for t in tasks]})]
        take_units(held, m.units, left_after)
        shrink(conn, left_after)
        units = m.units
        for t in tasks:
            n = min(units, t.qty - t.moved)
            if n <= 0:
                continue
            units -= n
            if conn.execute(_PROGRESS, {"units": n, "id": t.id}).scalar_one() == "done":
                conn.execute(_DOC_DONE, {"w": warehouse, "k": t.kind, "n": t.number})
                publish(conn, warehouse, t.kind, t.number)
                done.append(str(t.number))
    return done
