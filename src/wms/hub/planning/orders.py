"""A customer order as posted (API, CSV or JSON import): its fields, its canonical content and
what differs between two postings of one order number.

The consignee is personal data: it is validated here, stored apart (``order_consignee``), never
published to terminals, and a difference in it is named without its values.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from decimal import Decimal
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from wms.domain.kinds import OrderKind

_PRICE = Decimal("0.0001")


class ConsigneeIn(BaseModel):
    """Who receives the parcel: needed for the waybill (and customs, for bonded retail)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=3, max_length=30, pattern=r"^\+?[0-9][0-9 ()-]*$")
    address: str = Field(min_length=1, max_length=300)
    city: str | None = Field(default=None, max_length=60)
    province: str | None = Field(default=None, max_length=60)
    postcode: str | None = Field(default=None, max_length=20)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 alpha-2")
    id_number: str | None = Field(
        default=None,
        min_length=1,
        max_length=60,
        pattern=r"^[0-9A-Za-z]+$",
        description="the buyer's identity card number: customs needs it for bonded retail",
    )


class OrderLineIn(BaseModel):
    """A product, how many, its declared unit price; optionally one lot, or a minimum
    remaining shelf life (days) at dispatch."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sku: str = Field(min_length=1, max_length=40)
    qty: int = Field(ge=1, le=100_000)
    unit_price: Decimal = Field(ge=0, max_digits=14, decimal_places=4)
    lot: str = Field(default="", max_length=40)
    min_shelf_days: int | None = Field(default=None, ge=0, le=3650)


class OrderIn(BaseModel):
    """A customer order for one warehouse; ``number`` is unique per warehouse."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    number: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
    warehouse: str = Field(min_length=1, max_length=20)
    shop: str | None = Field(default=None, max_length=100)
    trade_mode: OrderKind = OrderKind.DOMESTIC
    priority: int = Field(default=0, ge=0, le=9, description="9 is released first")
    carrier: str | None = Field(default=None, max_length=40)
    service: str | None = Field(default=None, max_length=40)
    ship_by: AwareDatetime | None = Field(default=None, description="the cut-off to leave by")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217, of the unit prices")
    consignee: ConsigneeIn
    lines: list[OrderLineIn] = Field(min_length=1, max_length=200)


_HEADER = ("channel", "shop", "trade_mode", "priority", "carrier", "service", "ship_by", "currency")
_LINE = ("sku", "qty", "unit_price", "lot", "min_shelf_days")
CONSIGNEE_FIELDS = tuple(ConsigneeIn.model_fields)


def price(value: Decimal) -> str:
    """A unit price in its canonical form (four decimals), as compared and hashed."""
    return str(Decimal(value).quantize(_PRICE))


def content(order: OrderIn, channel: str) -> dict[str, Any]:
    """What makes two postings the same order: every field but the number and warehouse."""
    ship_by = order.ship_by.astimezone(UTC).isoformat() if order.ship_by else None
    return {
        "channel": channel,
        "shop": order.shop,
        "trade_mode": str(order.trade_mode),
        "priority": order.priority,
        "carrier": order.carrier,
        "service": order.service,
        "ship_by": ship_by,
        "currency": order.currency,
        "consignee": consignee_content(order.consignee.model_dump()),
        "lines": [
            {
                "sku": ln.sku,
                "qty": ln.qty,
                "unit_price": price(ln.unit_price),
                "lot": ln.lot,
                "min_shelf_days": ln.min_shelf_days,
            }
            for ln in order.lines
        ],
    }


def consignee_content(consignee: dict[str, Any]) -> dict[str, Any]:
    """The consignee as fingerprinted: without an ID number, as orders were before customs
    asked for one (so an order posted again still matches)."""
    return {k: v for k, v in consignee.items() if k != "id_number" or v is not None}


def content_hash(posted: dict[str, Any]) -> str:
    """The stored fingerprint of an order's content."""
    return hashlib.sha256(json.dumps(posted, sort_keys=True).encode()).hexdigest()


def differences(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """What differs between two contents, field by field; consignee values are not shown."""
    out = [f"{f}: {before[f]!r} before, now {now[f]!r}" for f in _HEADER if before[f] != now[f]]
    out += [
        f"consignee.{f} differs"
        for f in CONSIGNEE_FIELDS
        if before["consignee"].get(f) != now["consignee"].get(f)
    ]
    old, new = before["lines"], now["lines"]
    if len(old) != len(new):
        out.append(f"lines: {len(old)} before, now {len(new)}")
    for n, (a, b) in enumerate(zip(old, new, strict=False), start=1):
        out += [f"line {n} {f}: {a[f]!r} before, now {b[f]!r}" for f in _LINE if a[f] != b[f]]
    return out
