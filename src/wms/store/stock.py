"""Stock: containers, the ledger of signed deltas and the on-hand projection of it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, Index, SQLModel

__all__ = ["Container", "OnHand", "StockLedger"]


class Container(SQLModel, table=True):
    """A pallet or carton, identified by an SSCC or an internal LPN."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    kind: str = Field(max_length=5)
    location_id: int | None = Field(default=None, foreign_key="location.id")


class StockLedger(SQLModel, table=True):
    """One signed quantity change, written by the operation with op-log sequence ``op_seq``."""

    id: int | None = Field(default=None, primary_key=True)
    op_seq: int = Field(index=True)
    product_id: int = Field(foreign_key="product.id")
    location_id: int = Field(foreign_key="location.id")
    lot_id: int | None = Field(default=None, foreign_key="lot.id")
    container_id: int | None = Field(default=None, foreign_key="container.id")
    status: str = Field(max_length=20)
    delta: int
    at: datetime


class OnHand(SQLModel, table=True):
    """The ledger summed per (product, location, lot, container, status); rows at zero go."""

    __table_args__ = (
        Index("ix_on_hand_key", "product_id", "location_id", "lot_id", "container_id", "status"),
        Index("ix_on_hand_location", "location_id"),
        Index("ix_on_hand_container", "container_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id")
    location_id: int = Field(foreign_key="location.id")
    lot_id: int | None = Field(default=None, foreign_key="lot.id")
    container_id: int | None = Field(default=None, foreign_key="container.id")
    status: str = Field(max_length=20)
    qty: int
