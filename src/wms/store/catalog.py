"""Master data: the warehouse, its locations, products, their barcodes, lots and serials."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel, UniqueConstraint

from wms.store.metadata import metadata

__all__ = ["Location", "Lot", "Product", "ProductBarcode", "SerialNumber", "Warehouse", "metadata"]


class Warehouse(SQLModel, table=True):
    """A site. A terminal's store holds one; the hub holds many."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=100)


class Location(SQLModel, table=True):
    """A bin or area, with a fixed-width hierarchical code such as ``A-01-03-B-2``."""

    id: int | None = Field(default=None, primary_key=True)
    warehouse_id: int = Field(foreign_key="warehouse.id", index=True)
    code: str = Field(max_length=30, unique=True)
    zone: str = Field(max_length=5, index=True)
    aisle: str = Field(max_length=2)
    bay: str | None = Field(default=None, max_length=2)
    level: str | None = Field(default=None, max_length=1)
    position: str | None = Field(default=None, max_length=1)
    type: str = Field(max_length=20, index=True)
    capacity: int | None = None
    pick_sequence: int = 0
    blocked: bool = False


class Product(SQLModel, table=True):
    """A stock-keeping unit and its tracking and shelf-life rules."""

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=200)
    tracking: str = Field(default="none", max_length=10)
    shelf_life_days: int | None = None
    min_remaining_days: int = 0
    short_shelf_life_action: str = Field(default="refuse", max_length=12)
    removal_margin_days: int = 0
    customs_controlled: bool = False
    supplier: str | None = Field(default=None, max_length=100)
    # Grams per unit and a unit's size, where the hub knows them: the pack station suggests a
    # carton and checks a parcel's weight with them.
    weight_g: int | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None


class ProductBarcode(SQLModel, table=True):
    """A code that identifies a product: a GTIN (stored as GTIN-14) or a supplier code.

    A case GTIN carries the number of eaches it holds in ``pack_qty``.
    """

    code: str = Field(primary_key=True, max_length=40)
    product_id: int = Field(foreign_key="product.id", index=True)
    kind: str = Field(default="gtin", max_length=10)
    pack_qty: int = 1


class Lot(SQLModel, table=True):
    """A production lot of a product, with its expiry date."""

    __table_args__ = (UniqueConstraint("product_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id")
    code: str = Field(max_length=40)
    expiry: date | None = None


class SerialNumber(SQLModel, table=True):
    """One serial-tracked unit and where it is now (no location once it has left)."""

    __table_args__ = (UniqueConstraint("product_id", "serial"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id")
    serial: str = Field(max_length=60)
    location_id: int | None = Field(default=None, foreign_key="location.id")
    status: str = Field(default="available", max_length=20)
