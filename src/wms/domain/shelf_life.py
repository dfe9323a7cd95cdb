"""Receiving's shelf-life gate and FEFO's removal dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from wms.domain.errors import LotRefused, ShortShelfLife
from wms.domain.kinds import ShortShelfLifeAction


@dataclass(frozen=True)
class ShelfLifePolicy:
    """A product's shelf-life rules (all in days)."""

    min_remaining_days: int = 0
    removal_margin_days: int = 0
    on_short: ShortShelfLifeAction = ShortShelfLifeAction.REFUSE


def check_receipt(lot: str, expiry: date, today: date, policy: ShelfLifePolicy) -> None:
    """Refuse an expired lot; raise ShortShelfLife when below the product's minimum.

    ShortShelfLife carries whether the product allows the receipt to go to quarantine instead.
    """
    left = (expiry - today).days
    if left < 0:
        raise LotRefused(f"Lot {lot} expired {expiry.isoformat()}")
    if left < policy.min_remaining_days:
        allowed = policy.on_short is ShortShelfLifeAction.QUARANTINE
        ask = " Quarantine?" if allowed else ""
        raise ShortShelfLife(
            f"Lot {lot} expires {expiry.isoformat()}: {left} d left, "
            f"needs {policy.min_remaining_days}.{ask}",
            quarantine_allowed=allowed,
        )


def removal_date(expiry: date, margin_days: int) -> date:
    """The last day a lot may leave for a customer: expiry minus the product's margin."""
    return expiry - timedelta(days=margin_days)


@dataclass(frozen=True)
class LotOption:
    """A lot with stock in the bin being picked from."""

    code: str
    expiry: date | None


def fefo_order(options: list[LotOption], margin_days: int) -> list[LotOption]:
    """Lots in first-expired-first-out order; lots without expiry go last, by code."""
    return sorted(
        options,
        key=lambda o: (
            o.expiry is None,
            removal_date(o.expiry, margin_days) if o.expiry else date.max,
            o.code,
        ),
    )


def fefo_first(options: list[LotOption], margin_days: int, today: date) -> LotOption | None:
    """The lot FEFO takes first: the earliest removal date among lots not past it."""
    sellable = [o for o in options if not o.expiry or removal_date(o.expiry, margin_days) >= today]
    ordered = fefo_order(sellable, margin_days)
    return ordered[0] if ordered else None


def check_fefo(
    scanned: str,
    options: list[LotOption],
    margin_days: int,
    today: date,
    reason: str | None,
) -> None:
    """Refuse a lot past its removal date; refuse a non-FEFO lot unless a reason is given."""
    by_code = {o.code: o for o in options}
    chosen = by_code.get(scanned)
    if chosen is None:
        raise LotRefused(f"Lot {scanned} is not in this bin")
    if chosen.expiry and removal_date(chosen.expiry, margin_days) < today:
        raise LotRefused(f"Lot {scanned} is past its removal date")
    first = fefo_first(options, margin_days, today)
    if first is not None and first.code != scanned and not reason:
        raise LotRefused(f"FEFO: pick lot {first.code} first (expires {first.expiry})")
