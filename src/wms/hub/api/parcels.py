"""Parcel endpoints: a pack station books a parcel online and prints its label again
(device token); supervisors list parcels, read one, print its label and void it.

No ``from __future__ import annotations``: FastAPI reads these closures' annotations at runtime.
"""

import base64
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Path, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine

from wms.hub.api.callers import Caller
from wms.hub.api.guards import Refusal
from wms.hub.api.openapi import file_answer, refusals
from wms.hub.db import in_transaction
from wms.hub.planning.order_documents import ship_to
from wms.hub.shipping.booking import (
    Booked,
    BookingInProgress,
    ParcelVoid,
    UnknownCarrier,
    book,
)
from wms.hub.shipping.carriers import CarrierRefused, CarrierUnreachable, ParcelFacts
from wms.hub.shipping.numbers import PoolExhausted
from wms.hub.shipping.parcels import (
    CannotVoid,
    NoLabel,
    NoSuchParcel,
    ParcelView,
    label_document,
    parcel_view,
    parcels,
    void_parcel,
)
from wms.hub.sync.devices import DeviceRow
from wms.sync.bounds import ContainerCode, Number, Why, code

Sscc = Annotated[str, Path(pattern=r"^[0-9]{18}$", description="the parcel's SSCC")]


class BookRequest(BaseModel):
    """A parcel a pack station is closing, to book with its carrier."""

    order: Number
    carrier: Annotated[str, code(20, min_length=1)]
    service: Annotated[str, code(40)] | None = None
    weight_g: int = Field(ge=1, le=1_000_000)
    carton: ContainerCode | None = None


class BookedOut(BaseModel):
    """The parcel's waybill, and the carrier's label when it sent one (base64)."""

    sscc: str
    carrier: str
    waybill: str
    label_zpl: str | None = None
    label_pdf: str | None = None
    booked: bool = True


class LineOut(BaseModel):
    """Units of one product (lot) in the parcel."""

    sku: str
    lot: str
    units: int
    from_container: str


class ParcelOut(BaseModel):
    """A parcel as the hub holds it."""

    sscc: str
    order_number: str
    carrier: str
    service: str | None
    waybill: str | None
    status: str
    booking: str
    weight_g: int | None
    expected_g: int | None
    carton: str | None
    station: str | None
    location: str | None
    load: str | None
    customs_status: str | None
    packed_at: datetime
    shipped_at: datetime | None
    lines: list[LineOut] = Field(default_factory=list)


class VoidRequest(BaseModel):
    """Why the parcel will not ship."""

    why: Why


def parcel_out(p: ParcelView) -> ParcelOut:
    """The API's view of a parcel."""
    fields: dict[str, Any] = {k: v for k, v in p.__dict__.items() if k != "lines"}
    return ParcelOut(**fields, lines=[LineOut(**ln.__dict__) for ln in p.lines])


def _booked(b: Booked) -> BookedOut:
    kind = (b.label_type or "").lower()
    return BookedOut(
        sscc=b.sscc,
        carrier=b.carrier,
        waybill=b.waybill,
        label_zpl=b.label if kind == "zpl" else None,
        label_pdf=b.label if kind == "pdf" else None,
    )


def _facts(conn: Connection, warehouse: str, sscc: str, body: BookRequest) -> ParcelFacts:
    from sqlalchemy import text

    person = conn.execute(
        text(
            "SELECT c.name, c.phone, c.address, c.city, c.province, c.postcode, c.country"
            " FROM sales_order o JOIN order_consignee c ON c.warehouse = o.warehouse"
            " AND c.order_number = o.number WHERE o.warehouse = :w AND o.number = :n"
        ),
        {"w": warehouse, "n": body.order},
    ).first()
    if person is None:
        raise Refusal(404, "unknown_order", f"no order {body.order} here")
    return ParcelFacts(sscc, body.order, body.carrier, body.service, body.weight_g, ship_to(person))


def add_parcel_routes(
    app: FastAPI,
    engine: Engine,
    checked: list[Any],
    device: Callable[..., DeviceRow],
    supervisor: Callable[..., Caller],
) -> None:
    """Register the parcel endpoints: ``device`` authenticates a terminal, ``supervisor`` a
    supervisor; ``checked`` is the terminals' version check."""
    _device_routes(app, engine, checked, device)
    _supervisor_routes(app, engine, supervisor)


_MEDIA = {"zpl": "application/zpl", "pdf": "application/pdf"}
Fmt = Annotated[Literal["zpl", "pdf"], Query(alias="format")]


def _label(engine: Engine, warehouse: str, sscc: str, fmt: str) -> bytes:
    try:
        with engine.begin() as conn:
            return label_document(conn, warehouse, sscc, "pdf" if fmt == "pdf" else "zpl")
    except NoSuchParcel as e:
        raise Refusal(404, "unknown_parcel", str(e)) from None
    except NoLabel as e:
        raise Refusal(409, "no_label", str(e)) from None


def _device_routes(
    app: FastAPI, engine: Engine, checked: list[Any], device: Callable[..., DeviceRow]
) -> None:
    Device = Annotated[DeviceRow, Depends(device)]

    @app.post(
        "/v1/parcels/{sscc}/book",
        dependencies=checked,
        tags=["parcels"],
        responses=refusals(401, 403, 404, 409, 422, 426, 502, 504),
    )
    def book_parcel(sscc: Sscc, body: BookRequest, who: Device) -> BookedOut:
        """Book a parcel with its carrier; asking again for the same SSCC answers the same
        waybill. 409 pool_exhausted / parcel_void / booking_in_progress; 502 carrier_refused
        (the carrier's words); 504 carrier_timeout (nothing was booked twice: ask again)."""
        with engine.begin() as conn:
            facts = _facts(conn, who.warehouse, sscc, body)
        try:
            return _booked(book(engine, who.warehouse, facts))
        except UnknownCarrier as e:
            raise Refusal(404, "unknown_carrier", str(e)) from None
        except PoolExhausted as e:
            raise Refusal(409, "pool_exhausted", str(e)) from None
        except ParcelVoid as e:
            raise Refusal(409, "parcel_void", str(e)) from None
        except BookingInProgress as e:
            raise Refusal(409, "booking_in_progress", str(e)) from None
        except CarrierRefused as e:
            raise Refusal(502, "carrier_refused", str(e)) from None
        except CarrierUnreachable as e:
            raise Refusal(504, "carrier_timeout", str(e)) from None

    @app.get(
        "/v1/parcels/{sscc}/reprint",
        dependencies=checked,
        tags=["parcels"],
        response_class=Response,
        responses={**refusals(401, 403, 404, 409, 422, 426), **file_answer(*_MEDIA.values())},
    )
    def reprint_for_device(sscc: Sscc, who: Device, fmt: Fmt = "zpl") -> Response:
        """The parcel's label again, for a pack station's printer."""
        return Response(_label(engine, who.warehouse, sscc, fmt), media_type=_MEDIA[fmt])


def _supervisor_routes(app: FastAPI, engine: Engine, supervisor: Callable[..., Caller]) -> None:
    Who = Annotated[Caller, Depends(supervisor)]

    @app.get("/v1/parcels", tags=["parcels"], responses=refusals(401, 403, 422))
    def list_parcels(
        *,
        who: Who,
        warehouse: str | None = None,
        status: Literal["packed", "loaded", "shipped", "void"] | None = None,
        carrier: Annotated[str | None, Query(max_length=20)] = None,
        order: Annotated[str | None, Query(max_length=40)] = None,
        day: date | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    ) -> list[ParcelOut]:
        """Parcels, newest first (without their lines)."""
        with engine.begin() as conn:
            found = parcels(
                conn,
                who.warehouse(conn, warehouse),
                status=status,
                carrier=carrier,
                order=order,
                day=day,
                limit=limit,
            )
        return [parcel_out(p) for p in found]

    @app.get("/v1/parcels/{sscc}", tags=["parcels"], responses=refusals(401, 403, 404, 422))
    def get_parcel(sscc: Sscc, who: Who, warehouse: str | None = None) -> ParcelOut:
        """One parcel with its lines."""
        try:
            with engine.begin() as conn:
                return parcel_out(parcel_view(conn, who.warehouse(conn, warehouse), sscc))
        except NoSuchParcel as e:
            raise Refusal(404, "unknown_parcel", str(e)) from None

    @app.get(
        "/v1/parcels/{sscc}/label",
        tags=["parcels"],
        response_class=Response,
        responses={**refusals(401, 403, 404, 409, 422), **file_answer(*_MEDIA.values())},
    )
    def parcel_label(
        sscc: Sscc, who: Who, warehouse: str | None = None, fmt: Fmt = "pdf"
    ) -> Response:
        """The parcel's shipping label (the carrier's own when it sent one)."""
        with engine.begin() as conn:
            wh = who.warehouse(conn, warehouse)
        return Response(_label(engine, wh, sscc, fmt), media_type=_MEDIA[fmt])

    @app.post(
        "/v1/parcels/{sscc}/void", tags=["parcels"], responses=refusals(401, 403, 404, 409, 422)
    )
    def void(sscc: Sscc, body: VoidRequest, who: Who, warehouse: str | None = None) -> ParcelOut:
        """Void a parcel not yet loaded: its waybill is voided with the carrier, never used
        again; the floor opens it. 409 too_late when it is loaded or shipped."""

        def work(conn: Connection) -> ParcelView:
            return void_parcel(conn, who.warehouse(conn, warehouse), sscc, who.name, body.why)

        try:
            return parcel_out(in_transaction(engine, work))
        except NoSuchParcel as e:
            raise Refusal(404, "unknown_parcel", str(e)) from None
        except CannotVoid as e:
            raise Refusal(409, "too_late", str(e)) from None


def label_base64(document: bytes) -> str:
    """A label document as JSON carries it."""
    return base64.b64encode(document).decode()
