"""Shrinking reservations as the floor consumes or the hub releases them, set-based."""

from __future__ import annotations

from collections.abc import Mapping

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
