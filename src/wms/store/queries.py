"""Read helpers the services share. Each takes the unit of work's session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from sqlalchemy import func, update
from sqlmodel import Session, SQLModel, col, select

from wms.domain.errors import UnknownCode
from wms.domain.gtin import GTIN_LENGTHS, is_valid_gtin, normalize_gtin
from wms.store.catalog import Location, Lot, Product
from wms.store.journal import cursor
from wms.store.people import Counter
from wms.store.stock import Container, OnHand

_Row = TypeVar("_Row", bound=SQLModel)

# Rows read on every scan: fixed SQL on the unit of work's DB-API cursor, values converted by
# the columns' own SQLAlchemy result processors (dates, booleans...), returned as detached
# snapshots (model_construct). ~10 us a row instead of ~200 us for an ORM load (bench/ops).
Converter = Callable[[Any], Any] | None
_FINDERS: dict[tuple[type[SQLModel], tuple[str, ...]], tuple[str, list[str], list[Converter]]] = {}


def _finder(
    s: Session, model: type[SQLModel], names: tuple[str, ...]
) -> tuple[str, list[str], list[Converter]]:
    found = _FINDERS.get((model, names))
    if found is None:
        table = model.__table__  # type: ignore[attr-defined]
        dialect = s.get_bind().dialect
        columns = [c.name for c in table.columns]
        converters = [
            c.type.dialect_impl(dialect).result_processor(dialect, None) for c in table.columns
        ]
        where = " AND ".join(f"{k} = ?" for k in names) or "1"
        order = " ORDER BY id" if "id" in columns else ""
        sql = f"SELECT {', '.join(columns)} FROM {table.name} WHERE {where}{order}"
        found = _FINDERS[(model, names)] = (sql, columns, converters)
    return found


def snapshots(s: Session, model: type[_Row], **keys: Any) -> list[_Row]:
    """Every row of ``model`` whose columns equal ``keys`` (in id order), as read-only objects
    not attached to the session: read them, never modify or add them (write through the
    journal or explicit UPDATEs)."""
    names = tuple(sorted(keys))
    sql, columns, converters = _finder(s, model, names)
    found = []
    for row in cursor(s).execute(sql, [keys[k] for k in names]):
        values = {c: (f(v) if f else v) for c, f, v in zip(columns, converters, row, strict=True)}
        # SQLModel types model_construct as returning SQLModel, not the subclass it builds.
        found.append(cast(_Row, model.model_construct(**values)))
    return found


def snapshot(s: Session, model: type[_Row], **keys: Any) -> _Row | None:
    """The first row of ``model`` whose columns equal ``keys`` (see `snapshots`), or None."""
    found = snapshots(s, model, **keys)
    return found[0] if found else None


def location_by_code(s: Session, code: str) -> Location:
    """The location with ``code``, or UnknownCode."""
    loc = snapshot(s, Location, code=code)
    if loc is None:
        raise UnknownCode(f"No bin {code}")
    return loc


_BARCODE_SQL = "SELECT product_id, pack_qty FROM productbarcode WHERE code = ?"


def _lookup(s: Session, key: str) -> tuple[int, int] | None:
    # Every scan runs this: on the DB-API cursor it is ~6 us, through the ORM ~200 us.
    row = cursor(s).execute(_BARCODE_SQL, (key,)).fetchone()
    return None if row is None else (row[0], row[1])


def barcode_lookup(s: Session, code: str) -> tuple[int, int] | None:
    """The product id a scanned code names and how many eaches one scan is, or None.

    GTINs are looked up as GTIN-14, so an EAN-13 on the each and its zero-padded form match.
    A code shaped like a GTIN with a wrong check digit is refused (InvalidBarcode) unless it
    is registered as a supplier code: a misread must never become another product.
    """
    if code.isascii() and code.isdigit() and len(code) in GTIN_LENGTHS:
        if is_valid_gtin(code):  # the common case: one lookup by the stored GTIN-14 form
            return _lookup(s, normalize_gtin(code)) or _lookup(s, code)
        return _lookup(s, code) or _lookup(s, normalize_gtin(code))
    return _lookup(s, code)


def product_by_code(s: Session, code: str) -> tuple[Product, int]:
    """Resolve a scanned barcode or a typed SKU to (product, eaches per scan)."""
    found = barcode_lookup(s, code)
    if found is not None:
        product = snapshot(s, Product, id=found[0])
        assert product is not None, "barcode without product: foreign keys are on"
        return product, found[1]
    product = snapshot(s, Product, sku=code)
    if product is None:
        raise UnknownCode(f"Unknown product code {code}")
    return product, 1


def find_lot(s: Session, product_id: int, code: str) -> Lot | None:
    """The lot ``code`` of a product, if known."""
    return snapshot(s, Lot, product_id=product_id, code=code)


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
    """On-hand rows matching every filter given, as read-only snapshots (post changes through
    the journal, never by editing these)."""
    filters = {
        "location_id": location_id,
        "product_id": product_id,
        "lot_id": lot_id,
        "container_id": container_id,
    }
    return snapshots(s, OnHand, **{k: v for k, v in filters.items() if v is not None})


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
