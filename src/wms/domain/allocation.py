"""Which stock an order line takes: the hub's allocation rules, pure (no database).

Order of preference, for each removal date in FEFO order (expiry minus the product's removal
margin; lots without expiry last):

1. whole pallets from reserve, when the line needs at least a pallet's worth;
2. whole cases from reserve, when the line needs at least a case;
3. the pick face;
4. whatever reserve holds.

A lot is refused when it is past its removal date at dispatch, or when its remaining shelf life
at dispatch is below the line's (or the product's) minimum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from wms.domain.shelf_life import removal_date


@dataclass(frozen=True)
class Stock:
    """One on-hand row a line may draw on: where, which lot, its status, how many units it
    holds (``qty``) and how many of those nobody has reserved yet (``free``)."""

    location: str
    lot: str
    container: str
    status: str
    qty: int
    free: int
    face: bool  # a pick face: eaches come from here first
    walk: int  # the bin's place in the walking sequence
    expiry: date | None = None


@dataclass(frozen=True)
class Need:
    """What one order line asks of the stock.

    ``statuses``: those its trade mode may take, preferred first; ``lot``: '' for any lot;
    ``dispatch``: the day it is to leave; ``min_days``: remaining shelf life it needs then;
    ``margin_days``: the product's removal margin; ``case_qty``: units in a case, if any.
    """

    qty: int
    statuses: tuple[str, ...]
    dispatch: date
    lot: str = ""
    min_days: int = 0
    margin_days: int = 0
    case_qty: int | None = None


def lot_refusal(expiry: date | None, need: Need) -> str | None:
    """Why a lot expiring on ``expiry`` cannot leave for this line, or None when it can."""
    if expiry is None:
        return None
    if removal_date(expiry, need.margin_days) < need.dispatch:
        return f"past its removal date at dispatch ({need.dispatch.isoformat()})"
    left = (expiry - need.dispatch).days
    if left < need.min_days:
        return f"{left} days of shelf life left at dispatch, needs {need.min_days}"
    return None


def eligible(stock: Stock, need: Need) -> bool:
    """Whether ``stock`` may serve ``need`` at all (status, lot, shelf life, free units)."""
    return (
        stock.free > 0
        and stock.status in need.statuses
        and (not need.lot or stock.lot == need.lot)
        and lot_refusal(stock.expiry, need) is None
    )


def _fefo(stock: Stock, need: Need) -> tuple[bool, date]:
    if stock.expiry is None:
        return (True, date.max)
    return (False, removal_date(stock.expiry, need.margin_days))


def _place(stock: Stock, need: Need) -> tuple[int, int, str, str, str]:
    return (
        need.statuses.index(stock.status),
        stock.walk,
        stock.location,
        stock.lot,
        stock.container,
    )


def choose(need: Need, stocks: Sequence[Stock]) -> list[tuple[Stock, int]]:
    """The rows to reserve and how many units from each, for as much of ``need.qty`` as the
    stock allows (the rest is the caller's backorder). Never more than a row's ``free``."""
    pool = [s for s in stocks if eligible(s, need)]
    taken: dict[Stock, int] = {}
    left = need.qty

    def take(stock: Stock, units: int) -> None:
        nonlocal left
        if units > 0:
            taken[stock] = taken.get(stock, 0) + units
            left -= units

    def free(stock: Stock) -> int:
        return stock.free - taken.get(stock, 0)

    for removal in sorted({_fefo(s, need) for s in pool}):
        group = sorted(
            (s for s in pool if _fefo(s, need) == removal), key=lambda s: _place(s, need)
        )
        reserve = [s for s in group if not s.face]
        for s in reserve:  # 1. whole pallets, untouched by other reservations
            if s.container and s.free == s.qty and s.qty <= left:
                take(s, s.qty)
        if need.case_qty and need.case_qty > 1:  # 2. whole cases of loose reserve stock
            for s in reserve:
                if not s.container:
                    take(s, min(free(s), left) // need.case_qty * need.case_qty)
        for s in (s for s in group if s.face):  # 3. the pick face
            take(s, min(free(s), left))
        for s in reserve:  # 4. the rest of reserve, loose before pallets
            if not s.container:
                take(s, min(free(s), left))
        for s in reserve:
            take(s, min(free(s), left))
        if left == 0:
            break
    return [(s, n) for s, n in taken.items() if n > 0]
