"""Receiving rules: over-receipt tolerance."""

from __future__ import annotations

from wms.domain.errors import OverReceipt


def check_over_receipt(
    sku: str,
    expected: int,
    already: int,
    qty: int,
    tolerance_pct: float,
    *,
    approved: bool,
) -> None:
    """Refuse receiving beyond expected + tolerance unless a supervisor approved it."""
    limit = expected + int(expected * tolerance_pct / 100)
    if already + qty > limit and not approved:
        raise OverReceipt(
            f"{sku}: {already + qty} > {expected} expected (max {limit}). Supervisor needed"
        )
