"""The outbound floor's records on the terminal (hardware/SHIPPING.md): carriers, cartons, the
number blocks the hub handed this terminal, parcels (packed here, or heard of from the hub),
loads at the dock, and the totes the hub says hold an order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

__all__ = [
    "Carrier",
    "Carton",
    "CustomsItem",
    "Load",
    "NumberBlock",
    "Parcel",
    "ParcelLine",
    "ToteRecord",
]


class Carrier(SQLModel, table=True):
    """Who takes parcels: ``pool`` carriers' waybill numbers come from blocks handed to this
    terminal; ``api`` carriers are booked online, through the hub."""

    code: str = Field(primary_key=True, max_length=20)
    name: str = Field(max_length=100)
    kind: str = Field(max_length=5)
    services: str = Field(default="[]", max_length=1000)  # a JSON list


class Carton(SQLModel, table=True):
    """A shipping carton the pack stations use: inner size, the weight it carries, its own."""

    code: str = Field(primary_key=True, max_length=20)
    name: str = Field(max_length=100)
    length_mm: int
    width_mm: int
    height_mm: int
    max_weight_g: int
    tare_g: int = 0


class NumberBlock(SQLModel, table=True):
    """Serials ``first``..``last`` the hub handed this device's stream ``stream``, of SSCCs or of
    one carrier's waybill numbers; ``used`` of them are taken, in order. ``spec`` (JSON) says
    how a serial becomes a number (wms.domain.numbers)."""

    id: int = Field(primary_key=True)  # the hub's block id
    kind: str = Field(max_length=8)
    carrier: str | None = Field(default=None, max_length=20)
    stream: str = Field(max_length=40, index=True)
    first: int = Field(sa_column=Column(BigInteger, nullable=False))
    last: int = Field(sa_column=Column(BigInteger, nullable=False))
    used: int = 0
    spec: str = Field(max_length=4000)


class Parcel(SQLModel, table=True):
    """A parcel by its SSCC: packed at this terminal (with its lines), or heard of from the hub
    (a parcel packed elsewhere, to be loaded here). The hub's later word on a parcel (its load,
    customs, its order's status) is kept beside what this terminal did to it."""

    sscc: str = Field(primary_key=True, max_length=18)
    order_number: str = Field(max_length=40, index=True)
    carrier: str = Field(max_length=20)
    service: str | None = Field(default=None, max_length=40)
    waybill: str | None = Field(default=None, max_length=30)
    status: str = Field(default="packed", max_length=8)
    customs_status: str | None = Field(default=None, max_length=12)
    customs_text: str | None = Field(default=None, max_length=500)  # customs' own words
    order_status: str | None = Field(default=None, max_length=10)
    load: str | None = Field(default=None, max_length=40)
    weight_g: int = 0
    expected_g: int | None = None
    carton: str | None = Field(default=None, max_length=20)
    station: str | None = Field(default=None, max_length=30)
    booking: str | None = Field(default=None, max_length=10)
    packed_here: bool = False
    packed_at: datetime | None = None
    unpacked_to: str | None = Field(default=None, max_length=30)  # where an unpack put its goods


class ParcelLine(SQLModel, table=True):
    """Units of one product (lot, status) a parcel packed here holds, and where they came from."""

    id: int | None = Field(default=None, primary_key=True)
    sscc: str = Field(foreign_key="parcel.sscc", index=True, max_length=18)
    product_id: int = Field(foreign_key="product.id")
    lot_id: int | None = Field(default=None, foreign_key="lot.id")
    status: str = Field(max_length=20)
    units: int
    from_location_id: int = Field(foreign_key="location.id")
    from_container_id: int | None = Field(default=None, foreign_key="container.id")


class Load(SQLModel, table=True):
    """A load at the outbound dock: one carrier's parcels going out on one truck or pickup."""

    number: str = Field(primary_key=True, max_length=40)
    carrier: str = Field(max_length=20)
    dock_id: int = Field(foreign_key="location.id")
    status: str = Field(default="open", max_length=8)
    opened_at: datetime
    closed_at: datetime | None = None


class ToteRecord(SQLModel, table=True):
    """The hub's word that a tote holds an order (from pushed picks, any terminal's): a pack
    station finds the order from a tote picked elsewhere."""

    code: str = Field(primary_key=True, max_length=20)
    order_number: str = Field(max_length=40)
    task: str | None = Field(default=None, max_length=40)
    cart: str | None = Field(default=None, max_length=30)


class CustomsItem(SQLModel, table=True):
    """A product's customs data as this warehouse declares it (the hub's ``customs_item``
    changes): the pack station refuses a product lacking any of it in a bonded-retail parcel,
    before the hub's declaration would stop the parcel at the customs desk."""

    sku: str = Field(primary_key=True, max_length=40)
    hs_code: str | None = Field(default=None, max_length=10)
    unit: str | None = Field(default=None, max_length=3)
    legal_unit: str | None = Field(default=None, max_length=3)
    origin: str | None = Field(default=None, max_length=3)
    item_record_no: str | None = Field(default=None, max_length=30)
