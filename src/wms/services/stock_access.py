"""Helpers the stock-moving services share: resolving what was scanned into store rows."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from sqlmodel import Session

from wms.domain.errors import DomainError, LotRefused, UnknownCode
from wms.domain.kinds import LocationType, StockStatus, Tracking
from wms.store.catalog import Lot, Product
from wms.store.journal import StockKey
from wms.store.queries import find_lot
from wms.store.stock import OnHand

# The status stock takes when it appears in a location with no other status to go by.
DEFAULT_STATUS = {
    LocationType.QUARANTINE: StockStatus.QUARANTINE,
    LocationType.BONDED: StockStatus.CUSTOMS_HOLD,
}


class HasId(Protocol):
    """Any stored row."""

    id: int | None


def pid(row: HasId) -> int:
    """The primary key of a stored row (always set once flushed)."""
    if row.id is None:
        raise DomainError("row not saved yet")
    return row.id


def lot_for(s: Session, product: Product, lot_code: str | None) -> Lot | None:
    """The existing lot a scan names; lot-tracked products need one."""
    if product.tracking != Tracking.LOT:
        return None
    if not lot_code:
        raise LotRefused(f"{product.sku} needs a lot: scan or type it")
    lot = find_lot(s, pid(product), lot_code)
    if lot is None:
        raise UnknownCode(f"Lot {lot_code} of {product.sku} is not known")
    return lot


def get_or_create_lot(s: Session, product: Product, code: str, expiry: date | None) -> Lot:
    """The lot ``code`` of a product, created on first receipt."""
    lot = find_lot(s, pid(product), code)
    if lot is None:
        lot = Lot(product_id=pid(product), code=code, expiry=expiry)
        s.add(lot)
        s.flush()
    elif expiry is not None and lot.expiry is not None and lot.expiry != expiry:
        raise LotRefused(f"Lot {code} was received with expiry {lot.expiry}, not {expiry}")
    return lot


def key_of(row: OnHand) -> StockKey:
    """The stock key of an on-hand row."""
    return StockKey(row.product_id, row.location_id, row.lot_id, row.container_id, row.status)
