"""Counts as observations: what the hub's own ledger said a counted bin held when the count
began, and where the difference is booked.

A terminal's count names what it counted, per product and lot; its own deltas were computed
against its own books, which may be behind the hub's. The hub therefore recomputes each
difference against its ledger as of the count's start (moves synced by other terminals before
then are in it; later ones are kept), and books it on the keys the hub holds in that bin, the
way the terminal books its own: a gain goes loose, a loss comes off loose stock first. Like
the terminal, it then heals a counted lot whose statuses were split below zero by a pick that
crossed a recall or a hold (`status_repairs`, wms.domain.counting.heal_split).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, text

from wms.domain.counting import heal_split
from wms.domain.kinds import LocationType, StockStatus
from wms.sync.ops import Delta, WireOp

_AS_OF = text(
    "SELECT x.sku, x.lot, (SELECT COALESCE(SUM(l.delta), 0) FROM ledger l"
    " WHERE l.warehouse = :w AND l.sku = x.sku AND l.location = :loc AND l.lot = x.lot"
    " AND l.occurred_at <= :at) AS qty"
    " FROM unnest(CAST(:skus AS text[]), CAST(:lots AS text[])) AS x(sku, lot)"
)
_HELD = text(
    "SELECT sku, lot, container, status, qty FROM on_hand WHERE warehouse = :w"
    " AND location = :loc AND sku = ANY(CAST(:skus AS text[])) AND qty <> 0"
)
_BIN_TYPE = text("SELECT type FROM location WHERE code = :loc AND warehouse = :w")

# The status stock takes when it appears in a bin with no other status to go by (as on the
# terminal): held areas hold, everything else is available.
_DEFAULT_STATUS = {
    LocationType.QUARANTINE.value: StockStatus.QUARANTINE.value,
    LocationType.BONDED.value: StockStatus.CUSTOMS_HOLD.value,
}


@dataclass(frozen=True)
class Variance:
    """One counted product (and lot) whose count differs from the hub's books as of the start:
    by ``diff``, booked as ``deltas``."""

    sku: str
    lot: str
    diff: int
    deltas: list[Delta]


Holding = tuple[str, str, int]  # container, status, qty


def split_difference(diff: int, held: list[Holding], gain_status: str) -> list[Holding]:
    """Where a count's difference for one product and lot in a bin lands, as (container,
    status, delta): a gain goes loose in ``gain_status``; a loss comes off loose stock first,
    largest first, then off pallets; what the stock there cannot cover comes off loose stock
    all the same (the hub records facts: the negative figure raises an exception)."""
    if diff > 0:
        return [("", gain_status, diff)]
    out: list[Holding] = []
    left = -diff
    for container, status, qty in sorted(held, key=lambda h: (h[0] != "", -h[2])):
        take = min(left, qty)
        if take > 0:
            out.append((container, status, -take))
            left -= take
    if left:
        out.append(("", gain_status, -left))
    return out


def counted(op: WireOp) -> dict[tuple[str, str], int]:
    """Units counted per (sku, lot) in the op's bin ('' = no lot)."""
    found: dict[tuple[str, str], int] = defaultdict(int)
    for line in op.payload["counted"]:
        found[(str(line["sku"]), str(line.get("lot") or ""))] += int(line["qty"])
    return found


def variances(conn: Connection, warehouse: str, op: WireOp, started: datetime) -> list[Variance]:
    """The count's differences from the hub's ledger as of ``started``, each with the deltas
    that book it on the keys the hub holds in the bin."""
    found = counted(op)
    if not found:
        return []
    loc = str(op.payload["location"])
    keys = sorted(found)
    skus = [k[0] for k in keys]
    books = {
        (r.sku, r.lot): int(r.qty)
        for r in conn.execute(
            _AS_OF,
            {"w": warehouse, "loc": loc, "at": started, "skus": skus, "lots": [k[1] for k in keys]},
        )
    }
    held = _holdings(conn, warehouse, loc, skus, positive=True)
    default: str | None = None
    out: list[Variance] = []
    for key in keys:
        diff = found[key] - books.get(key, 0)
        if diff == 0:
            continue
        here = held[key]
        status = _gain_status(op, key, here)
        if status is None:
            if default is None:
                kind = conn.execute(_BIN_TYPE, {"loc": loc, "w": warehouse}).scalar()
                default = _DEFAULT_STATUS.get(str(kind), StockStatus.AVAILABLE.value)
            status = default
        deltas = [
            # Built, not validated: the hub's own figure may exceed what a client may send.
            Delta.model_construct(
                sku=key[0], location=loc, lot=key[1], container=c, status=StockStatus(s), delta=d
            )
            for c, s, d in split_difference(diff, here, status)
        ]
        out.append(Variance(key[0], key[1], diff, deltas))
    return out


def _holdings(
    conn: Connection, warehouse: str, loc: str, skus: list[str], *, positive: bool
) -> dict[tuple[str, str], list[Holding]]:
    """What the hub holds in the bin of these products, per (sku, lot); ``positive``: only
    holdings above zero (what a loss may come off)."""
    held: dict[tuple[str, str], list[Holding]] = defaultdict(list)
    for r in conn.execute(_HELD, {"w": warehouse, "loc": loc, "skus": sorted(set(skus))}):
        if int(r.qty) > 0 or not positive:
            held[(r.sku, r.lot)].append((r.container, r.status, int(r.qty)))
    return held


def status_repairs(
    conn: Connection, warehouse: str, op: WireOp, booked: list[Delta]
) -> list[Delta]:
    """Deltas that bring each counted lot's holdings in the bin that stand below zero, once
    the count's own deltas (``booked``) are applied, back to zero from its other holdings."""
    found = counted(op)
    if not found:
        return []
    loc = str(op.payload["location"])
    held = _holdings(conn, warehouse, loc, [k[0] for k in found], positive=False)
    out: list[Delta] = []
    for sku, lot in sorted(found):
        figures: dict[tuple[str, str], int] = defaultdict(int)
        for container, status, qty in held[(sku, lot)]:
            figures[(container, status)] += qty
        for d in booked:
            if (d.sku, d.lot) == (sku, lot):
                figures[(d.container, str(d.status))] += d.delta
        split = [(key, key[1], qty) for key, qty in figures.items()]
        out += [
            Delta.model_construct(
                sku=sku, location=loc, lot=lot, container=c, status=StockStatus(s), delta=d
            )
            for (c, s), d in heal_split(split)
        ]
    return out


def _gain_status(op: WireOp, key: tuple[str, str], held: list[Holding]) -> str | None:
    """The bin's usual status for this product and lot: its loose stock's (else any of its
    stock's), else the status the terminal booked the count in; None when nothing says."""
    loose = sorted((h for h in held if h[0] == ""), key=lambda h: -h[2]) or held
    if loose:
        return loose[0][1]
    like = [d.status for d in op.deltas if (d.sku, d.lot) == key]
    return like[0] if like else None
