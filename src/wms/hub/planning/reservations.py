"""Reservations as the floor moves them: shrunk as they are consumed or released, and held on
the rows the promised units move to on their way out (tote, parcel, dock), set-based.

A reservation's ``stage`` says where its units are: ``pick`` (in a bin, to be picked),
``picked`` (in a tote on a cart), ``packed`` (in a parcel at a pack station), ``loaded`` (a
parcel at the dock). Only ``pick`` reservations are a line's units still to pick; every stage
counts against available to sell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic_core import to_json
from sqlalchemy import Connection, text

_DROP = text("DELETE FROM reservation WHERE id = ANY(CAST(:ids AS bigint[]))")
_SET = text(
    "UPDATE reservation r SET qty = x.qty FROM unnest(CAST(:ids AS bigint[]),"
    " CAST(:qty AS int[])) AS x(id, qty) WHERE r.id = x.id"
)


def shrink(conn: Connection, new_qty: Mapping[int, int]) -> None:
    """Set reservations (id -> units left) in two statements; none left removes the row."""
    gone = [i for i, q in new_qty.items() if q <= 0]
    kept = {i: q for i, q in new_qty.items() if q > 0}
    if gone:
        conn.execute(_DROP, {"ids": gone})
    if kept:
        conn.execute(_SET, {"ids": list(kept), "qty": list(kept.values())})


def take_units(held: list[tuple[int, int]], units: int, into: dict[int, int]) -> int:
    """Take up to ``units`` from reservations ``held`` ((id, qty), in the order to use them),
    recording what each keeps in ``into``; returns the units taken."""
    taken = 0
    for rid, qty in held:
        left = into.get(rid, qty)
        n = min(left, units - taken)
        if n > 0:
            into[rid] = left - n
            taken += n
    return taken


@dataclass(frozen=True)
class Held:
    """Units of an order line held on one stock row past the pick (``task``: the pick line)."""

    sku: str
    location: str
    lot: str
    container: str
    status: str
    qty: int
    order: str
    line_no: int | None
    stage: str
    task: tuple[str, int] | None = None


_HOLD = text(
    "INSERT INTO reservation (warehouse, sku, location, lot, container, status, qty,"
    " order_number, line_no, task, task_seq, stage) SELECT :w, sku, location, lot, container,"
    " status, qty, order_number, line_no, task, task_seq, stage FROM jsonb_to_recordset("
    "CAST(:rows AS jsonb)) AS x(sku text, location text, lot text, container text, status text,"
    " qty int, order_number text, line_no int, task text, task_seq int, stage text)"
)


def hold(conn: Connection, warehouse: str, rows: Sequence[Held]) -> None:
    """Write reservations for units held past the pick, in one statement."""
    if not rows:
        return
    data = [
        {
            "sku": r.sku,
            "location": r.location,
            "lot": r.lot,
            "container": r.container,
            "status": r.status,
            "qty": r.qty,
            "order_number": r.order,
            "line_no": r.line_no,
            "task": r.task[0] if r.task else None,
            "task_seq": r.task[1] if r.task else None,
            "stage": r.stage,
        }
        for r in rows
        if r.qty > 0
    ]
    if data:
        conn.execute(_HOLD, {"w": warehouse, "rows": to_json(data).decode()})
