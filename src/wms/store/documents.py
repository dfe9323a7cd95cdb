"""Documents: inbound (PO/ASN), outbound orders, pick tasks and count tasks."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel, UniqueConstraint

__all__ = [
    "CountEntry",
    "CountTask",
    "InboundDocument",
    "InboundLine",
    "MoveTask",
    "OrderConsignee",
    "OutboundLine",
    "OutboundOrder",
    "PickTask",
    "PickTaskLine",
    "PickTaskSlot",
    "ReceiptDiscrepancy",
]


class InboundDocument(SQLModel, table=True):
    """A purchase order or advance shipping notice, received at one dock."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=40, unique=True)
    kind: str = Field(default="po", max_length=5)
    supplier: str = Field(max_length=100)
    expected_date: date | None = None
    dock_id: int | None = Field(default=None, foreign_key="location.id")
    customs_declaration: str | None = Field(default=None, max_length=40)
    status: str = Field(default="open", max_length=10)
    closed_at: datetime | None = None


class InboundLine(SQLModel, table=True):
    """What a document says should arrive, and what receiving counted against it."""

    __table_args__ = (UniqueConstraint("document_id", "line_no"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="inbounddocument.id")
    line_no: int
    product_id: int = Field(foreign_key="product.id")
    expected_qty: int
    received_qty: int = 0
    damaged_qty: int = 0


class ReceiptDiscrepancy(SQLModel, table=True):
    """A per-line difference recorded when a receipt is closed (short, over, damaged)."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="inbounddocument.id", index=True)
    line_no: int
    product_id: int = Field(foreign_key="product.id")
    kind: str = Field(max_length=10)
    qty: int


class OutboundOrder(SQLModel, table=True):
    """A customer order: its trade mode (``kind``: the stock it may take), the carrier and
    service its parcels go by, and its status as the hub last said (or this terminal saw)."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=40, unique=True)
    kind: str = Field(default="domestic", max_length=10)
    customer: str = Field(max_length=100)
    status: str = Field(default="open", max_length=10)
    carrier: str | None = Field(default=None, max_length=20)
    service: str | None = Field(default=None, max_length=40)


class OrderConsignee(SQLModel, table=True):
    """Who an order's parcels go to: personal data, here only while the order is on the floor
    (hardware/SHIPPING.md). Printed on the shipping label and nowhere else; never logged;
    erased once the order is shipped or cancelled."""

    order_id: int = Field(primary_key=True, foreign_key="outboundorder.id")
    name: str = Field(max_length=100)
    phone: str | None = Field(default=None, max_length=40)
    address: str = Field(max_length=600)  # the label's address lines, as a JSON list
    city: str | None = Field(default=None, max_length=100)
    province: str | None = Field(default=None, max_length=100)
    postcode: str | None = Field(default=None, max_length=20)
    country: str = Field(max_length=2)


class OutboundLine(SQLModel, table=True):
    """A product and quantity an order asks for."""

    __table_args__ = (UniqueConstraint("order_id", "line_no"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="outboundorder.id")
    line_no: int
    product_id: int = Field(foreign_key="product.id")
    qty: int
    picked_qty: int = 0
    returned_qty: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class PickTask(SQLModel, table=True):
    """A walk through the warehouse with a cart: one order's lines into one tote (``single``),
    or several orders' lines, each order into its own tote (``cluster``, no ``order_id``)."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=40, unique=True)
    order_id: int | None = Field(default=None, foreign_key="outboundorder.id")
    operator_id: int | None = Field(default=None, foreign_key="operator.id")
    status: str = Field(default="open", max_length=12)
    format: str = Field(
        default="single", max_length=8, sa_column_kwargs={"server_default": "single"}
    )
    cart_id: int | None = Field(default=None, foreign_key="location.id")


class PickTaskSlot(SQLModel, table=True):
    """A tote slot of a pick task: the order whose units go into it, and the tote the picker
    put there (None until it is scanned onto the cart)."""

    __table_args__ = (UniqueConstraint("task_id", "slot"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="picktask.id")
    slot: int
    order_id: int = Field(foreign_key="outboundorder.id")
    container_id: int | None = Field(default=None, foreign_key="container.id", index=True)


class PickTaskLine(SQLModel, table=True):
    """One stop of a pick task, in walking sequence: take ``qty`` of a product from a bin."""

    __table_args__ = (UniqueConstraint("task_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="picktask.id")
    seq: int
    order_line_id: int = Field(foreign_key="outboundline.id")
    product_id: int = Field(foreign_key="product.id")
    location_id: int = Field(foreign_key="location.id")
    qty: int
    picked_qty: int = 0
    status: str = Field(default="open", max_length=10)
    slot: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class CountTask(SQLModel, table=True):
    """Count one bin (optionally one product in it). Blind: the expected quantity stays here."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=40, unique=True)
    location_id: int = Field(foreign_key="location.id")
    product_id: int | None = Field(default=None, foreign_key="product.id")
    operator_id: int | None = Field(default=None, foreign_key="operator.id")
    status: str = Field(default="open", max_length=10)
    pass_no: int = 0
    started_at: datetime | None = None


class CountEntry(SQLModel, table=True):
    """One pass's observation of a product (and lot) in a bin, with the count's start time."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="counttask.id", index=True)
    pass_no: int
    product_id: int | None = Field(default=None, foreign_key="product.id")
    lot_id: int | None = Field(default=None, foreign_key="lot.id")
    counted_qty: int
    expected_qty: int
    started_at: datetime
    counted_at: datetime


class MoveTask(SQLModel, table=True):
    """Move all of a product (and lot) out of a bin, e.g. recalled goods to quarantine; the hub
    raises these and the terminal closes one when the bin no longer holds that stock."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=60, unique=True)
    location_id: int = Field(foreign_key="location.id")
    product_id: int = Field(foreign_key="product.id")
    lot_id: int | None = Field(default=None, foreign_key="lot.id")
    qty: int
    to_location_id: int | None = Field(default=None, foreign_key="location.id")
    reference: str | None = Field(default=None, max_length=60)
    status: str = Field(default="open", max_length=10)
