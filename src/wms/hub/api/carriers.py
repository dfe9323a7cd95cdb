"""Carrier endpoints (supervisors): the warehouse's carriers, and the number pools of those
whose waybill numbers come in ranges.

No ``from __future__ import annotations``: FastAPI reads these closures' annotations at runtime.
"""

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Path
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine

from wms.domain.waybills import WaybillFormat
from wms.hub.api.callers import Caller
from wms.hub.api.guards import Refusal
from wms.hub.api.openapi import refusals
from wms.hub.db import in_transaction
from wms.hub.shipping.carriers import CarrierRow, add_carrier, carrier_row, carriers, pool_left
from wms.hub.shipping.numbers import PoolError, add_waybill_range
from wms.sync.bounds import code

Code = Annotated[str, Path(pattern=r"^[A-Z0-9][A-Z0-9_-]{0,19}$")]


class CarrierIn(BaseModel):
    """A carrier: pool (numbers in ranges it assigned) or api (booked online)."""

    warehouse: Annotated[str, code(20, min_length=1)] | None = None
    name: Annotated[str, code(100, min_length=1)]
    kind: Literal["pool", "api"]
    services: list[Annotated[str, code(40, min_length=1)]] = Field(
        default_factory=list, max_length=20
    )
    api_url: str | None = Field(default=None, max_length=300, pattern=r"^https?://")
    api_key_env: str | None = Field(default=None, max_length=60, pattern=r"^[A-Z_][A-Z0-9_]*$")


class CarrierOut(BaseModel):
    """A carrier as terminals see it (never its API's settings)."""

    code: str
    name: str
    kind: str
    services: list[str]


class RangeIn(BaseModel):
    """A range of a pool carrier's numbers and how they are written."""

    warehouse: Annotated[str, code(20, min_length=1)] | None = None
    first: int = Field(ge=0, le=10**18 - 1)
    last: int = Field(ge=0, le=10**18 - 1)
    prefix: Annotated[str, code(10)] = ""
    digits: int = Field(default=10, ge=1, le=18)
    suffix: Annotated[str, code(10)] = ""
    check: Literal["none", "s10"] = "none"


class PoolOut(BaseModel):
    """Numbers left in a kind of pool (a carrier's waybills, or the parcels' SSCCs)."""

    kind: str
    carrier: str
    left: int
    handed_out: int


def _out(row: CarrierRow) -> CarrierOut:
    return CarrierOut(**row.published())


def add_carrier_routes(app: FastAPI, engine: Engine, supervisor: Callable[..., Caller]) -> None:
    """Register the carrier endpoints (supervisors only)."""
    Who = Annotated[Caller, Depends(supervisor)]

    @app.get("/v1/carriers", tags=["carriers"], responses=refusals(401, 403, 422))
    def list_carriers(who: Who, warehouse: str | None = None) -> list[CarrierOut]:
        """The warehouse's carriers."""
        with engine.begin() as conn:
            return [_out(c) for c in carriers(conn, who.warehouse(conn, warehouse))]

    @app.put("/v1/carriers/{code}", tags=["carriers"], responses=refusals(401, 403, 409, 422))
    def put_carrier(code: Code, body: CarrierIn, who: Who) -> CarrierOut:
        """Create or change a carrier (published to the warehouse's terminals)."""
        api: dict[str, Any] | None = None
        if body.kind == "api":
            api = {"connector": "easypost", "url": body.api_url, "key_env": body.api_key_env}

        def work(conn: Connection) -> CarrierRow:
            return add_carrier(
                conn,
                who.warehouse(conn, body.warehouse),
                code,
                name=body.name,
                kind=body.kind,
                services=body.services,
                api=api,
            )

        try:
            return _out(in_transaction(engine, work))
        except ValueError as e:
            raise Refusal(422, "bad_carrier", str(e)) from None

    @app.post(
        "/v1/carriers/{code}/ranges",
        status_code=201,
        tags=["carriers"],
        responses=refusals(401, 403, 404, 409, 422),
    )
    def add_range(code: Code, body: RangeIn, who: Who) -> list[PoolOut]:
        """Add a range of the carrier's waybill numbers; 409 overlapping_range when a number
        of it is held already (no number is ever handed out twice)."""

        def work(conn: Connection) -> list[PoolOut]:
            warehouse = who.warehouse(conn, body.warehouse)
            row = carrier_row(conn, warehouse, code)
            if row is None or row.kind != "pool":
                raise Refusal(404, "unknown_carrier", f"no pool carrier {code} in {warehouse}")
            fmt = WaybillFormat(body.prefix, body.digits, body.suffix, body.check)
            add_waybill_range(conn, warehouse, code, first=body.first, last=body.last, fmt=fmt)
            return [PoolOut(**p) for p in pool_left(conn, warehouse)]

        try:
            return in_transaction(engine, work)
        except PoolError as e:
            raise Refusal(409, "overlapping_range", str(e)) from None
        except ValueError as e:
            raise Refusal(422, "bad_range", str(e)) from None

    @app.get("/v1/carriers/pools", tags=["carriers"], responses=refusals(401, 403, 422))
    def pools(who: Who, warehouse: str | None = None) -> list[PoolOut]:
        """Numbers left per pool."""
        with engine.begin() as conn:
            return [PoolOut(**p) for p in pool_left(conn, who.warehouse(conn, warehouse))]
