"""Available to sell, per product and warehouse: on hand − reserved − held.

Derived in one statement from the on-hand rows and the reservations, never stored, so it is
exact at every moment. Held is stock no order can take (quarantine, recalled); reserved counts
orders' reservations only (a replenishment on its way moves stock, it does not sell it).
Bonded stock (customs hold) is on hand and sellable to re-export and bonded-retail orders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, text

from wms.domain.kinds import StockStatus

HELD = (StockStatus.QUARANTINE, StockStatus.RECALLED)


@dataclass(frozen=True)
class Availability:
    """One product's figures in one warehouse."""

    sku: str
    warehouse: str
    on_hand: int
    reserved: int
    held: int

    @property
    def available_to_sell(self) -> int:
        """On hand − reserved − held."""
        return self.on_hand - self.reserved - self.held


class UnknownProducts(Exception):
    """Some asked products do not exist at this hub."""


_ATS = text(
    "WITH s AS (SELECT sku, SUM(GREATEST(qty, 0)) AS on_hand, SUM(CASE WHEN status ="
    " ANY(CAST(:held AS text[])) THEN GREATEST(qty, 0) ELSE 0 END) AS held FROM on_hand"
    " WHERE warehouse = :w AND (CAST(:skus AS text[]) IS NULL OR sku = ANY(CAST(:skus AS"
    " text[]))) GROUP BY sku), r AS (SELECT sku, SUM(qty) AS reserved FROM reservation"
    " WHERE warehouse = :w AND order_number IS NOT NULL AND (CAST(:skus AS text[]) IS NULL"
    " OR sku = ANY(CAST(:skus AS text[]))) GROUP BY sku)"
    " SELECT COALESCE(s.sku, r.sku) AS sku, COALESCE(s.on_hand, 0) AS on_hand,"
    " COALESCE(r.reserved, 0) AS reserved, COALESCE(s.held, 0) AS held"
    " FROM s FULL JOIN r ON r.sku = s.sku ORDER BY 1 LIMIT :n"
)


def figures(
    conn: Connection, warehouse: str, skus: Sequence[str] | None, limit: int = 1000
) -> dict[str, Availability]:
    """Figures of the products held or promised here (of ``skus`` only, when given; unknown
    products too: a fact about one is still recorded), by sku."""
    args = {"w": warehouse, "skus": skus, "held": [str(h) for h in HELD], "n": limit}
    return {
        r.sku: Availability(r.sku, warehouse, int(r.on_hand), int(r.reserved), int(r.held))
        for r in conn.execute(_ATS, args)
    }


def available(
    conn: Connection, warehouse: str, skus: Sequence[str] | None = None, limit: int = 1000
) -> list[Availability]:
    """Figures for ``skus`` (every one asked, zero when none is here), or for every product
    the warehouse holds or has promised (up to ``limit``)."""
    wanted = sorted(set(skus)) if skus else None
    if wanted:
        known = set(
            conn.scalars(text("SELECT sku FROM product WHERE sku = ANY(:s)"), {"s": wanted})
        )
        if missing := [s for s in wanted if s not in known]:
            raise UnknownProducts(f"unknown product {', '.join(missing)}")
    found = figures(conn, warehouse, wanted, limit)
    if wanted is None:
        return list(found.values())
    return [found.get(s, Availability(s, warehouse, 0, 0, 0)) for s in wanted]
