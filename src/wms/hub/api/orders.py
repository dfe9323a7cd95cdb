"""Order endpoints for sales channels and supervisors: post an order (idempotent), read it,
cancel it, and read what is available to sell.

An order is taken whole or not at all: an unknown product, a zero quantity, a warehouse the
caller does not serve or a trade mode the stock cannot satisfy is refused (4xx, nothing
written). Stock that is merely short is backordered, and the answer says so per line. The
consignee is stored for the waybill only: it is never echoed back, published or logged.

No ``from __future__ import annotations``: FastAPI reads these closures' annotations at runtime.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine

from wms.domain.kinds import OrderStatus
from wms.hub.api.callers import Caller
from wms.hub.api.guards import Refusal
from wms.hub.api.openapi import refusals
from wms.hub.customs.cancel import cancel_order as cancel_with_customs
from wms.hub.db import in_transaction
from wms.hub.integration.sources import SOURCES
from wms.hub.integration.timeline import order_of, timeline
from wms.hub.planning.available import UnknownProducts, available
from wms.hub.planning.cancel import Cancelled, CannotCancel, NoSuchOrder
from wms.hub.planning.intake import KeyReused, OrderConflict, OrderRefused, Taken, take_orders
from wms.hub.planning.order_state import LineState, OrderView, order_view, orders
from wms.hub.planning.orders import OrderIn
from wms.hub.shipping.parcels import order_parcels


class LineOut(BaseModel):
    """An order line's units: ordered, reserved, picked, backordered, cancelled."""

    line_no: int
    sku: str
    qty: int
    reserved: int
    picked: int
    backordered: int
    cancelled: int


class OrderParcelOut(BaseModel):
    """One of the order's parcels and its waybill."""

    sscc: str
    carrier: str
    waybill: str | None
    status: str


class OrderOut(BaseModel):
    """An order as the hub holds it (never its consignee)."""

    number: str
    warehouse: str
    status: str
    created: bool | None = Field(default=None, description="false: posted before, unchanged")
    channel: str | None = None
    trade_mode: str | None = None
    priority: int | None = None
    carrier: str | None = None
    ship_by: datetime | None = None
    wave: int | None = None
    lines: list[LineOut]
    backordered: int = Field(description="units not reserved for lack of stock")
    tasks: list[str] = Field(default_factory=list)
    parcels: list[OrderParcelOut] = Field(default_factory=list)


class EventOut(BaseModel):
    """One event of an order's timeline: when, what, where, and its facts."""

    at: datetime
    event: str = Field(description="received, allocated, backordered, released, picked, …")
    warehouse: str
    location: str | None = Field(description="the bin, dock or office, when known")
    facts: dict[str, Any] = Field(description="units, lots, tasks, waybill numbers…")


class OrderDetailOut(OrderOut):
    """An order with its timeline, derived from what the hub records (oldest first)."""

    timeline: list[EventOut]


class CancelRequest(BaseModel):
    """Why the order is cancelled (kept with it)."""

    why: str = Field(default="cancelled by the channel", min_length=1, max_length=500)


class CancelOut(BaseModel):
    """What cancelling did."""

    number: str
    already_cancelled: bool
    released_units: int
    withdrawn_lines: list[str]
    put_back_tasks: list[str]


class AvailableOut(BaseModel):
    """Available to sell = on hand − reserved − held, for one product in one warehouse."""

    sku: str
    warehouse: str
    on_hand: int
    reserved: int
    held: int
    available_to_sell: int


def _lines(lines: list[LineState]) -> list[LineOut]:
    return [LineOut(**{k: getattr(ln, k) for k in LineOut.model_fields}) for ln in lines]


def _taken(warehouse: str, t: Taken) -> OrderOut:
    lines = _lines(t.lines)
    backordered = sum(ln.backordered for ln in lines)
    return OrderOut(
        number=t.number,
        warehouse=warehouse,
        status=t.status,
        created=t.created,
        lines=lines,
        backordered=backordered,
    )


def _view(v: OrderView) -> OrderOut:
    lines = _lines(v.lines)
    fields = ("number", "warehouse", "status", "channel", "trade_mode", "priority", "carrier")
    return OrderOut(
        **{k: getattr(v, k) for k in fields},
        ship_by=v.ship_by,
        wave=v.wave,
        lines=lines,
        backordered=sum(ln.backordered for ln in lines),
        tasks=v.tasks,
    )


def _detail(conn: Connection, view: OrderView) -> OrderDetailOut:
    """The order with its timeline, read in the caller's transaction."""
    order = order_of(conn, view.warehouse, view.number)
    events = timeline(conn, order, SOURCES) if order is not None else []
    parcels = [
        OrderParcelOut(sscc=p.sscc, carrier=p.carrier, waybill=p.waybill, status=p.status)
        for p in order_parcels(conn, view.warehouse, view.number)
    ]
    return OrderDetailOut(
        **_view(view).model_dump(exclude={"parcels"}),
        parcels=parcels,
        timeline=[
            EventOut(
                at=e.at, event=e.kind, warehouse=e.warehouse, location=e.location, facts=e.facts
            )
            for e in events
        ],
    )


def add_order_routes(app: FastAPI, engine: Engine, anyone: Callable[..., Caller]) -> None:
    """Register the order endpoints; ``anyone`` authenticates a channel or a supervisor."""
    Who = Annotated[Caller, Depends(anyone)]
    Key = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=100)]

    @app.post(
        "/v1/orders", status_code=201, tags=["orders"], responses=refusals(401, 403, 404, 409)
    )
    def post_order(body: OrderIn, who: Who, response: Response, key: Key = None) -> OrderOut:
        """Take an order: stored, its stock reserved, published to the warehouse's terminals.
        201 when new; 200 with the same answer when this order was posted before."""

        def work(conn: Connection) -> Taken:
            warehouse = who.warehouse(conn, body.warehouse)
            return take_orders(conn, warehouse, who.channel or "back-office", [body], key=key)[0]

        try:
            taken = in_transaction(engine, work)
        except OrderRefused as e:
            raise Refusal(422, e.code, "; ".join(e.errors), errors=e.errors) from None
        except OrderConflict as e:
            differences = e.conflicts[body.number]
            raise Refusal(
                409,
                "order_conflict",
                f"order {body.number} was received before with other content:"
                f" {'; '.join(differences)}",
                differences=differences,
            ) from None
        except KeyReused as e:
            raise Refusal(409, "idempotency_key_reused", str(e)) from None
        if not taken.created:
            response.status_code = 200
        return _taken(body.warehouse, taken)

    def _own(conn: Connection, who: Caller, warehouse: str | None, number: str) -> OrderView:
        found = order_view(conn, who.warehouse(conn, warehouse), number)
        if found is None or (who.channel is not None and found.channel != who.channel):
            raise Refusal(404, "unknown_order", f"no order {number} of yours here")
        return found

    @app.get("/v1/orders/{number}", tags=["orders"], responses=refusals(401, 403, 404, 422))
    def get_order(number: str, who: Who, warehouse: str | None = None) -> OrderDetailOut:
        """An order: status, units per line (reserved, picked, backordered), pick tasks, its
        parcels with their waybills, and its timeline (received, allocated, released, picked…
        cancelled), oldest first."""
        with engine.begin() as conn:
            return _detail(conn, _own(conn, who, warehouse, number))

    @app.get("/v1/orders", tags=["orders"], responses=refusals(401, 403, 404))
    def list_orders(
        who: Who,
        warehouse: str | None = None,
        status: OrderStatus | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    ) -> list[OrderOut]:
        """Orders, most urgent first (a channel sees its own only); without their lines."""
        with engine.begin() as conn:
            found = orders(conn, who.warehouse(conn, warehouse), status, limit, who.channel)
        return [_view(v) for v in found]

    @app.post("/v1/orders/{number}/cancel", tags=["orders"], responses=refusals(401, 403, 404, 409))
    def cancel_order(
        number: str, who: Who, body: CancelRequest | None = None, warehouse: str | None = None
    ) -> CancelOut:
        """Cancel an order until it is packed: reservations released, open pick lines withdrawn
        from the floor, picked goods sent back by put-back tasks. A bonded-retail order until it
        ships: its parcels' import lists are taken back from customs (cancel requests) and the
        parcels held back until customs answers. Cancelling twice is harmless."""
        why = (body or CancelRequest()).why

        def work(conn: Connection) -> Cancelled:
            wh = who.warehouse(conn, warehouse)
            return cancel_with_customs(conn, wh, number, why, channel=who.channel)

        try:
            done = in_transaction(engine, work)
        except NoSuchOrder as e:
            raise Refusal(404, "unknown_order", str(e)) from None
        except CannotCancel as e:
            raise Refusal(409, "too_late", str(e)) from None
        return CancelOut(
            number=number,
            already_cancelled=done.already,
            released_units=done.released,
            withdrawn_lines=done.withdrawn,
            put_back_tasks=done.put_backs,
        )

    @app.get("/v1/available-to-sell", tags=["orders"], responses=refusals(401, 403, 404))
    def available_to_sell(
        who: Who,
        warehouse: str | None = None,
        sku: Annotated[list[str] | None, Query(max_length=500)] = None,
    ) -> list[AvailableOut]:
        """On hand − reserved − held per product, exact now (every product held or promised,
        or those asked with ``?sku=``)."""
        try:
            with engine.begin() as conn:
                found = available(conn, who.warehouse(conn, warehouse), sku)
        except UnknownProducts as e:
            raise Refusal(404, "unknown_product", str(e)) from None
        return [AvailableOut(**a.__dict__, available_to_sell=a.available_to_sell) for a in found]
