"""Blind counts: tolerance and recount decisions, and how a count heals a split lot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from wms.domain.kinds import StockStatus

_K = TypeVar("_K")


class CountOutcome(StrEnum):
    """What the terminal says after a bin is counted. Never the expected quantity."""

    ACCEPTED = "accepted"
    RECOUNT = "recount"


@dataclass(frozen=True)
class Tolerance:
    """A variance is within tolerance if within ``units`` or within ``percent`` of expected."""

    units: int = 0
    percent: float = 0.0

    def allows(self, expected: int, counted: int) -> bool:
        """True when the difference between counted and expected is acceptable."""
        diff = abs(counted - expected)
        return diff <= self.units or (expected > 0 and diff * 100 <= self.percent * expected)


def judge_count(expected: int, counted: int, pass_no: int, tol: Tolerance) -> CountOutcome:
    """First pass beyond tolerance asks for a recount; a recount is always recorded.

    The second pass is an independent observation; the hub turns it into an adjustment and a
    supervisor sees the variance, so the terminal does not loop the operator forever.
    """
    if pass_no == 1 and not tol.allows(expected, counted):
        return CountOutcome.RECOUNT
    return CountOutcome.ACCEPTED


# Which status gives up units first when another of the same lot in the bin stands below zero:
# the most restrictive, whose decision (a recall, a hold) is what raced the floor's booking.
_GIVES_FIRST = {
    StockStatus.RECALLED: 0,
    StockStatus.QUARANTINE: 1,
    StockStatus.CUSTOMS_HOLD: 2,
    StockStatus.AVAILABLE: 3,
}


def heal_split(held: Sequence[tuple[_K, str, int]]) -> list[tuple[_K, int]]:
    """The moves that bring every holding of one counted lot in a bin that stands below zero
    back to zero, taken off the lot's other holdings there, most restrictive status first.

    ``held`` is (key, status, qty) per holding; the result is (key, delta) pairs summing to
    zero. A count says the units are all there, so "recalled 30 / customs hold -6" counted as
    24 becomes "recalled 24": a pick booked against stock a recall had just moved to another
    status took units of the recalled figure.
    """
    spare = {i: qty for i, (_, _, qty) in enumerate(held) if qty > 0}
    givers = sorted(spare, key=lambda i: _GIVES_FIRST.get(StockStatus(held[i][1]), 9))
    moves: list[tuple[_K, int]] = []
    for key, _status, qty in held:
        need = -qty
        for i in givers:
            take = min(need, spare[i])
            if take <= 0:
                continue
            moves += [(held[i][0], -take), (key, take)]
            spare[i] -= take
            need -= take
    return moves
