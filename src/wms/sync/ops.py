"""The ops a terminal pushes, one model per op type, every field bounded (:mod:`wms.sync.bounds`).

A payload names what the hub reads from it (typed) and may carry more, as bounded JSON: the
hub stores payloads verbatim. The models are what the OpenAPI shows for ``POST /v1/push``; an
op that does not fit is *rejected* at the hub with the reason (:class:`InvalidOp`), acked all
the same, so one bad op never blocks a terminal's queue.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

from pydantic import BaseModel, Discriminator, Field, StringConstraints
from typing_extensions import TypedDict

from wms.domain.kinds import StockStatus
from wms.sync.bounds import (
    INT32_MAX,
    Bin,
    BinOrNone,
    ContainerCode,
    Count,
    DateText,
    JsonValue,
    LotCode,
    Moment,
    Number,
    OperatorCode,
    Seq,
    Sku,
    Small,
    Status,
    StreamId,
    Text,
    TimestampText,
    Units,
    code,
)

# At most this many deltas in one op, or counted lines in one count (a bin's rows).
MAX_ROWS = 10_000


class Delta(BaseModel):
    """One ledger row of an op, by natural keys. '' = no lot / no container."""

    sku: Sku
    location: Bin
    lot: LotCode = ""
    container: ContainerCode = ""
    status: StockStatus
    delta: Units


class ReceivePayload(TypedDict, extra_items=JsonValue):
    """Units received at a dock (against a document, or unknown goods)."""

    sku: Sku
    units: Units
    location: Bin
    lot: NotRequired[LotCode | None]
    expiry: NotRequired[DateText | None]
    document: NotRequired[Number | None]
    container: NotRequired[ContainerCode | None]
    status: NotRequired[Status | None]
    damaged: NotRequired[bool | None]


class ClosePayload(TypedDict, extra_items=JsonValue):
    """A receipt closed on the floor."""

    document: Number


MovePayload = TypedDict(
    "MovePayload",
    {
        "sku": Sku,
        "units": Units,
        "from": Bin,
        "to": Bin,
        "lot": NotRequired[LotCode | None],
        "status": NotRequired[Status | None],
    },
    extra_items=JsonValue,
)
MovePayload.__doc__ = "Units moved (or put away) from one bin to another."
ContainerMovePayload = TypedDict(
    "ContainerMovePayload",
    {"container": Annotated[str, code(20, min_length=1)], "from": Bin, "to": Bin},
    extra_items=JsonValue,
)
ContainerMovePayload.__doc__ = "A whole pallet moved."


class PickPayload(TypedDict, extra_items=JsonValue):
    """Units picked from a bin for a task line; into a tote on a cart (``to_location``,
    ``tote``, ``slot``), or out of stock by a terminal that picks no other way."""

    sku: Sku
    units: Units
    location: Bin
    task: NotRequired[Number | None]
    line: NotRequired[Small | None]
    lot: NotRequired[LotCode | None]
    order: NotRequired[Number | None]
    to_location: NotRequired[Bin | None]
    tote: NotRequired[ContainerCode | None]
    slot: NotRequired[Count | None]


# --- the outbound floor (hardware/SHIPPING.md) -------------------------------------------------

Sscc = Annotated[str, StringConstraints(pattern=r"^[0-9]{18}$")]
CarrierCode = Annotated[str, code(20, min_length=1)]
ServiceCode = Annotated[str, code(40)]
Waybill = Annotated[str, code(30, min_length=1)]
Packed = Annotated[int, Field(ge=1, le=INT32_MAX)]


class PackLine(TypedDict, extra_items=JsonValue):
    """Units of one product (lot) put into the parcel, and the tote they came from."""

    sku: Sku
    units: Packed
    from_location: Bin
    lot: NotRequired[LotCode | None]
    from_container: NotRequired[ContainerCode | None]


class PackPayload(TypedDict, extra_items=JsonValue):
    """A parcel closed at a pack station; ``waybill`` None when the carrier books online and
    has not answered yet (the hub books it)."""

    parcel: Sscc
    order: Number
    carrier: CarrierCode
    station: Bin
    weight_g: Count
    lines: Annotated[list[PackLine], Field(min_length=1, max_length=1000)]
    service: NotRequired[ServiceCode | None]
    waybill: NotRequired[Waybill | None]
    carton: NotRequired[ContainerCode | None]
    expected_g: NotRequired[Count | None]
    weight_source: NotRequired[Literal["scale", "typed"] | None]


class UnpackPayload(TypedDict, extra_items=JsonValue):
    """A parcel opened again: its goods go back to ``to_location``; the parcel is void."""

    parcel: Sscc
    to_location: Bin
    reason: NotRequired[Text | None]


class LoadPayload(TypedDict, extra_items=JsonValue):
    """A parcel scanned onto a load at the dock."""

    load: Number
    parcel: Sscc
    dock: Bin
    carrier: NotRequired[CarrierCode | None]


class ShipPayload(TypedDict, extra_items=JsonValue):
    """A parcel leaving on a closed load: its stock leaves the building."""

    load: Number
    parcel: Sscc
    order: NotRequired[Number | None]
    carrier: NotRequired[CarrierCode | None]
    waybill: NotRequired[Waybill | None]


class CloseLoadPayload(TypedDict, extra_items=JsonValue):
    """A load closed at the dock (its parcels' ``ship`` ops come with it)."""

    load: Number
    carrier: NotRequired[CarrierCode | None]
    dock: NotRequired[Bin | None]
    parcels: NotRequired[Count | None]


class ShortPickPayload(TypedDict, extra_items=JsonValue):
    """A task line the bin could not fill: ``short`` units missing."""

    sku: Sku
    location: Bin
    short: Count
    task: NotRequired[Number | None]
    line: NotRequired[Small | None]
    lot: NotRequired[LotCode | None]
    reason: NotRequired[Text | None]
    count_task: NotRequired[Number | None]


class CountedLine(TypedDict, extra_items=JsonValue):
    """Units of one product (and lot) found in the bin."""

    sku: Sku
    qty: Count
    lot: NotRequired[LotCode | None]


class CountPayload(TypedDict, extra_items=JsonValue):
    """A bin counted: what was found, as of when the count began."""

    location: Bin
    started_at: TimestampText
    counted: Annotated[list[CountedLine], Field(max_length=MAX_ROWS)]
    outcome: NotRequired[Status | None]
    task: NotRequired[Number | None]


class AdjustPayload(TypedDict, extra_items=JsonValue):
    """Units found or lost in a bin (a supervisor's correction on the floor)."""

    sku: Sku
    units: Units
    location: Bin
    lot: NotRequired[LotCode | None]
    status: NotRequired[Status | None]


class HoldPayload(TypedDict, extra_items=JsonValue):
    """Stock put on hold or released: ``to`` is the new status."""

    sku: Sku
    to: Status
    location: NotRequired[BinOrNone | None]
    lot: NotRequired[LotCode | None]


class ReturnPayload(TypedDict, extra_items=JsonValue):
    """Units a customer returned, booked into a bin."""

    sku: Sku
    units: Units
    location: Bin
    lot: NotRequired[LotCode | None]
    status: NotRequired[Status | None]


class WireOp(BaseModel):
    """One op-log row and the ledger rows it wrote on the terminal."""

    stream: StreamId
    seq: Seq
    type: str
    payload: Any
    operator: OperatorCode
    occurred_at: Moment
    deltas: Annotated[list[Delta], Field(max_length=MAX_ROWS)] = Field(default_factory=list)


class ReceiveOp(WireOp):
    """A receipt at a dock."""

    type: Literal["receive"]
    payload: ReceivePayload


class CloseReceiptOp(WireOp):
    """A receipt closed."""

    type: Literal["close_receipt"]
    payload: ClosePayload


class PutawayOp(WireOp):
    """Stock put away from the dock."""

    type: Literal["putaway"]
    payload: MovePayload


class MoveOp(WireOp):
    """Stock moved between bins."""

    type: Literal["move"]
    payload: MovePayload


class MoveContainerOp(WireOp):
    """A pallet moved."""

    type: Literal["move_container"]
    payload: ContainerMovePayload


class PickOp(WireOp):
    """A pick."""

    type: Literal["pick"]
    payload: PickPayload


class ShortPickOp(WireOp):
    """A short pick."""

    type: Literal["short_pick"]
    payload: ShortPickPayload


class CountOp(WireOp):
    """A count."""

    type: Literal["count"]
    payload: CountPayload


class AdjustOp(WireOp):
    """An adjustment."""

    type: Literal["adjust"]
    payload: AdjustPayload


class HoldOp(WireOp):
    """A hold."""

    type: Literal["hold"]
    payload: HoldPayload


class ReleaseOp(WireOp):
    """A released hold."""

    type: Literal["release"]
    payload: HoldPayload


class ReturnOp(WireOp):
    """A customer return."""

    type: Literal["return"]
    payload: ReturnPayload


class PackOp(WireOp):
    """A parcel closed."""

    type: Literal["pack"]
    payload: PackPayload


class UnpackOp(WireOp):
    """A parcel opened again."""

    type: Literal["unpack"]
    payload: UnpackPayload


class LoadOp(WireOp):
    """A parcel loaded."""

    type: Literal["load"]
    payload: LoadPayload


class ShipOp(WireOp):
    """A parcel shipped."""

    type: Literal["ship"]
    payload: ShipPayload


class CloseLoadOp(WireOp):
    """A load closed."""

    type: Literal["close_load"]
    payload: CloseLoadPayload


class InvalidOp(WireOp):
    """An op that does not fit its model: the hub records it as rejected, with ``reason``.

    Never sent: the hub builds it (by ``model_construct``) from an op that failed validation
    but whose stream and seq are sound, so it can be acked."""

    reason: str


AnyOp = Annotated[
    ReceiveOp
    | CloseReceiptOp
    | PutawayOp
    | MoveOp
    | MoveContainerOp
    | PickOp
    | ShortPickOp
    | CountOp
    | AdjustOp
    | HoldOp
    | ReleaseOp
    | ReturnOp
    | PackOp
    | UnpackOp
    | LoadOp
    | ShipOp
    | CloseLoadOp,
    Discriminator("type"),
]


def invalid(
    stream: str, seq: int, reason: str, raw_type: object, raw_operator: object
) -> InvalidOp:
    """The stand-in recorded for an op that failed validation (type and operator kept when
    they are plain, short strings)."""

    def plain(value: object, width: int) -> str:
        return (
            value if isinstance(value, str) and value.isprintable() and len(value) <= width else "?"
        )

    return InvalidOp.model_construct(
        stream=stream,
        seq=seq,
        type=plain(raw_type, 20),
        payload=None,
        operator=plain(raw_operator, 20),
        occurred_at=None,  # type: ignore[arg-type]  # its time is not trusted either
        deltas=[],
        reason=reason,
    )
