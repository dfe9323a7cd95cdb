"""The outbound floor's ops as the hub reads them (hardware/SHIPPING.md): a pick into a tote,
a parcel packed or opened again, loaded, shipped, and a load closed.

Every field is bounded to what the hub's columns hold; a payload that does not fit is rejected
at the hub with the first reason (recorded and acked, never applied). Payloads may carry more
fields: the hub stores them as sent.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

INT32_MAX = 2**31 - 1
_PLAIN = r"^[^\x00-\x1f\x7f]*$"  # printable: no control character


def _code(max_length: int, min_length: int = 1) -> StringConstraints:
    return StringConstraints(min_length=min_length, max_length=max_length, pattern=_PLAIN)


Sku = Annotated[str, _code(40)]
Bin = Annotated[str, _code(30)]
Lot = Annotated[str, _code(40, 0)]
Container = Annotated[str, _code(20, 0)]
Number = Annotated[str, _code(40)]
CarrierCode = Annotated[str, _code(20)]
Service = Annotated[str, _code(40, 0)]
Waybill = Annotated[str, _code(30)]
Sscc = Annotated[str, StringConstraints(pattern=r"^[0-9]{18}$")]
Grams = Annotated[int, Field(ge=0, le=INT32_MAX)]
Units = Annotated[int, Field(ge=1, le=INT32_MAX)]
Reason = Annotated[str, StringConstraints(max_length=500, pattern=r"^[^\x00]*$")]


class _Payload(BaseModel):
    model_config = ConfigDict(extra="allow")


class PickToTote(_Payload):
    """A pick's fields for picking into a tote (all optional: an older terminal's pick has
    none of them and takes its units out of stock)."""

    order: Number | None = None
    to_location: Bin | None = None
    tote: Container | None = None
    slot: Annotated[int, Field(ge=0, le=INT32_MAX)] | None = None


class PackLine(_Payload):
    """Units of one product (lot) put into the parcel, and the tote they came from."""

    sku: Sku
    units: Units
    lot: Lot = ""
    from_location: Bin
    from_container: Container = ""


class Pack(_Payload):
    """A parcel closed at a pack station."""

    parcel: Sscc
    order: Number
    carrier: CarrierCode
    service: Service | None = None
    waybill: Waybill | None = None
    carton: Container | None = None
    weight_g: Grams
    expected_g: Grams | None = None
    weight_source: Literal["scale", "typed"] | None = None
    station: Bin
    lines: Annotated[list[PackLine], Field(min_length=1, max_length=1000)]


class Unpack(_Payload):
    """A parcel opened again: its goods go back to ``to_location``; the parcel is void."""

    parcel: Sscc
    to_location: Bin
    reason: Reason | None = None


class Load(_Payload):
    """A parcel scanned onto a load at the dock."""

    load: Number
    parcel: Sscc
    dock: Bin
    carrier: CarrierCode | None = None


class Ship(_Payload):
    """A parcel leaving on a closed load: its stock leaves the building."""

    load: Number
    parcel: Sscc
    order: Number | None = None
    carrier: CarrierCode | None = None
    waybill: Waybill | None = None


class CloseLoad(_Payload):
    """A load closed at the dock (its parcels' ``ship`` ops come with it)."""

    load: Number
    carrier: CarrierCode | None = None
    dock: Bin | None = None
    parcels: Annotated[int, Field(ge=0, le=INT32_MAX)] | None = None


MODELS: dict[str, type[_Payload]] = {
    "pick": PickToTote,
    "pack": Pack,
    "unpack": Unpack,
    "load": Load,
    "ship": Ship,
    "close_load": CloseLoad,
}


def misfit(op_type: str, payload: dict[str, Any]) -> str | None:
    """Why ``payload`` does not fit its op type's model (the first reason), or None."""
    model = MODELS.get(op_type)
    if model is None:
        return None
    try:
        model.model_validate(payload)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}"
    return None
