"""Read helpers the services share. Each takes the unit of work's session."""

from __future__ import annotations

from sqlalchemy import func, text, update
from sqlmodel import Session, col, select

from wms.domain.errors import UnknownCode
from wms.domain.gtin import GTIN_LENGTHS, normalize_gtin
from wms.store.catalog import Location, Lot, Product
from wms.store.people import Counter
from wms.store.stock import Container, OnHand


def location_by_code(s: Session, code: str) -> Location:
    """The location with ``code``, or UnknownCode."""
    loc = s.exec(select(Location).where(col(Location.code) == code)).first()
    if loc is None:
        raise UnknownCode(f"No bin {code}")
    return loc


_BARCODE_SQL = text("SELECT product_id, pack_qty FROM productbarcode WHERE code = :code")


def _lookup(s: Session, key: str) -> tuple[int, int] | None:
    # Core text on the session's connection: the ORM round trip costs ~5x more per scan.
    row = s.connection().execute(_BARCODE_SQL, {"code": key}).first()
    return None if row is None else (row[0], row[1])


def barcode_lookup(s: Session, code: str) -> tuple[int, int] | None:
    """The product id a scanned code names and how many eaches one scan is, or None.

    GTINs are looked up as GTIN-14, so an EAN-13 on the each and its zero-padded form match.
    A code shaped like a GTIN with a wrong check digit is refused (InvalidBarcode) unless it
    is registered as a supplier code: a misread must never become another product.
    """
    if code.isascii() and code.isdigit() and len(code) in GTIN_LENGTHS:
        return _lookup(s, code) or _lookup(s, normalize_gtin(code))
    return _lookup(s, code)


def product_by_code(s: Session, code: str) -> tuple[Product, int]:
    """Resolve a scanned barcode or a typed SKU to (product, eaches per scan)."""
    found = barcode_lookup(s, code)
    if found is not None:
        return s.get_one(Product, found[0]), found[1]
    product = s.exec(select(Product).where(col(Product.sku) == code)).first()
    if product is None:
        raise UnknownCode(f"Unknown product code {code}")
    return product, 1


def find_lot(s: Session, product_id: int, code: str) -> Lot | None:
    """The lot ``code`` of a product, if known."""
    return s.exec(
        select(Lot).where(col(Lot.product_id) == product_id, col(Lot.code) == code)
    ).first()


def container_by_code(s: Session, code: str) -> Container | None:
    """The container (pallet, carton) with this SSCC or LPN, if known."""
    return s.exec(select(Container).where(col(Container.code) == code)).first()


def stock_rows(
    s: Session,
    *,
    location_id: int | None = None,
    product_id: int | None = None,
    lot_id: int | None = None,
    container_id: int | None = None,
) -> list[OnHand]:
    """On-hand rows matching every filter given."""
    q = select(OnHand)
    if location_id is not None:
        q = q.where(col(OnHand.location_id) == location_id)
    if product_id is not None:
        q = q.where(col(OnHand.product_id) == product_id)
    if lot_id is not None:
        q = q.where(col(OnHand.lot_id) == lot_id)
    if container_id is not None:
        q = q.where(col(OnHand.container_id) == container_id)
    return list(s.exec(q.order_by(col(OnHand.id))))


def bin_total(s: Session, location_id: int) -> int:
    """Units in a bin, all products and statuses."""
    total = s.execute(
        select(func.coalesce(func.sum(col(OnHand.qty)), 0)).where(
            col(OnHand.location_id) == location_id
        )
    ).scalar_one()
    return int(total)


def next_number(s: Session, name: str) -> int:
    """Take the next value of a named counter; numbers are never handed out twice."""
    current = s.exec(select(Counter).where(col(Counter.name) == name)).first()
    if current is None:
        s.add(Counter(name=name, value=1))
        s.flush()
        return 1
    s.execute(update(Counter).where(col(Counter.name) == name).values(value=current.value + 1))
    return int(current.value) + 1
