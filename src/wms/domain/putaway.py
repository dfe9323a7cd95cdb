"""Choosing a bin for stock waiting at the dock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wms.domain.kinds import PUTAWAY_HOME, LocationType, StockStatus


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
    return not b.blocked and b.type in PUTAWAY_HOME[status] and (room is None or room >= qty)


_TIERS: tuple[Callable[[BinCandidate], bool], ...] = (
    lambda b: b.has_lot,
    lambda b: b.has_product,
    lambda b: b.occupied == 0,
)


def suggest_bin(
    candidates: list[BinCandidate], status: StockStatus, qty: int, source: str | None = None
) -> str | None:
    """Pick the bin to suggest: same product and lot, then same product, then an empty bin.

    Only the status's home types (storage or pick face for available stock, quarantine for
    held stock, bonded for customs hold), unblocked, with room, and not the bin the stock is
    in now are considered; ties go to the lowest pick sequence.
    """
    usable = [b for b in candidates if b.code != source and _fits(b, status, qty)]
    for tier in _TIERS:
        matches = [b for b in usable if tier(b)]
        if matches:
            return min(matches, key=lambda b: (b.pick_sequence, b.code)).code
    return None
