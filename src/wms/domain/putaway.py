"""Choosing a bin for stock waiting at the dock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wms.domain.kinds import ACCEPTS, LocationType, StockStatus

# Stock is never put away onto these: they are where it arrives or waits.
_NOT_DESTINATIONS = frozenset({LocationType.DOCK, LocationType.STAGING})


@dataclass(frozen=True)
class BinCandidate:
    """What the putaway rule needs to know about one bin."""

    code: str
    type: LocationType
    blocked: bool
    capacity: int | None
    occupied: int
    pick_sequence: int
    has_product: bool
    has_lot: bool

    def room(self) -> int | None:
        """Units that still fit, or None when capacity is unlimited."""
        return None if self.capacity is None else self.capacity - self.occupied


def _fits(b: BinCandidate, status: StockStatus, qty: int) -> bool:
    room = b.room()
    return (
        not b.blocked
        and b.type not in _NOT_DESTINATIONS
        and status in ACCEPTS[b.type]
        and (room is None or room >= qty)
    )


_TIERS: tuple[Callable[[BinCandidate], bool], ...] = (
    lambda b: b.has_lot,
    lambda b: b.has_product,
    lambda b: b.occupied == 0,
)


def suggest_bin(candidates: list[BinCandidate], status: StockStatus, qty: int) -> str | None:
    """Pick the bin to suggest: same product and lot, then same product, then an empty bin.

    Only bins that accept the stock's status, are not blocked, and have room are considered;
    ties go to the lowest pick sequence (closest to the walking path's start).
    """
    usable = [b for b in candidates if _fits(b, status, qty)]
    for tier in _TIERS:
        matches = [b for b in usable if tier(b)]
        if matches:
            return min(matches, key=lambda b: (b.pick_sequence, b.code)).code
    return None
