"""What the label commands read from the terminal store: locations and products."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import col, select

from wms.domain.errors import UnknownCode
from wms.labels.model import LocationLabel, LotLabel, ProductLabel
from wms.store.catalog import Location, Product, ProductBarcode
from wms.store.uow import UnitOfWork


def location_labels(engine: Engine, zone: str, aisle: str | None = None) -> list[LocationLabel]:
    """Labels for every location in ``zone`` (and ``aisle``), in code order."""
    query = select(Location).where(col(Location.zone) == zone)
    if aisle is not None:
        query = query.where(col(Location.aisle) == aisle)
    with UnitOfWork(engine, write=False) as uow:
        codes = [loc.code for loc in uow.session.exec(query.order_by(col(Location.code)))]
    if not codes:
        where = f"zone {zone}" + (f" aisle {aisle}" if aisle else "")
        raise UnknownCode(f"No locations in {where}")
    return [LocationLabel(code) for code in codes]


def _product_gtin(engine: Engine, sku: str, gtin: str | None) -> tuple[Product, str]:
    """The product and the GTIN to print: ``gtin`` if it is one of the product's, else the
    GTIN of its smallest pack (the each)."""
    with UnitOfWork(engine, write=False) as uow:
        s = uow.session
        product = s.exec(select(Product).where(col(Product.sku) == sku)).first()
        if product is None:
            raise UnknownCode(f"Unknown SKU {sku}")
        barcodes = s.exec(
            select(ProductBarcode)
            .where(col(ProductBarcode.product_id) == product.id)
            .where(col(ProductBarcode.kind) == "gtin")
            .order_by(col(ProductBarcode.pack_qty), col(ProductBarcode.code))
        ).all()
    codes = [b.code for b in barcodes]
    if gtin is not None:
        wanted = ProductLabel(gtin, sku, product.name).gtin  # normalised, check digit checked
        if wanted not in codes:
            raise UnknownCode(f"{gtin} is not a GTIN of {sku}")
        return product, wanted
    if not codes:
        raise UnknownCode(f"{sku} has no GTIN to print")
    return product, codes[0]


def product_label(engine: Engine, sku: str, gtin: str | None = None) -> ProductLabel:
    """The product label for ``sku`` (see ``_product_gtin`` for which GTIN)."""
    product, code = _product_gtin(engine, sku, gtin)
    return ProductLabel(code, product.sku, product.name)


def lot_label(engine: Engine, sku: str, lot: str, expiry: date, gtin: str | None) -> LotLabel:
    """A lot label for ``sku`` (see ``_product_gtin`` for which GTIN)."""
    product, code = _product_gtin(engine, sku, gtin)
    return LotLabel(code, lot, expiry, product.name)
