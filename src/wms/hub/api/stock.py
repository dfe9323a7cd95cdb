"""Available to sell for marketplaces (channels and supervisors): a change feed with a cursor,
and a full export as JSON or CSV.

No ``from __future__ import annotations``: FastAPI reads these closures' annotations at runtime.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, FastAPI, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from wms.hub.api.callers import Caller
from wms.hub.api.guards import Refusal
from wms.hub.api.openapi import refusals
from wms.hub.api.orders import AvailableOut
from wms.hub.integration.ats import BadCursor, changes, export, to_csv
from wms.hub.planning.available import Availability

CURSOR_HEADER = "X-Cursor"
WAREHOUSE = r"^[A-Za-z0-9_-]+$"


class AvailablePage(BaseModel):
    """Products whose available to sell changed after ``since``, with their figures now."""

    warehouse: str
    changes: list[AvailableOut]
    cursor: str = Field(description="send as ?since= to read on; it never skips a change")
    more: bool = Field(description="true: more changes are waiting, read on at once")


class AvailableExport(BaseModel):
    """Every product the warehouse has held or promised, and the cursor to follow from."""

    warehouse: str
    cursor: str = Field(description="follow the feed from here: nothing is missed in between")
    products: list[AvailableOut]


class Format(StrEnum):
    """Export formats."""

    JSON = "json"
    CSV = "csv"


def _out(a: Availability) -> AvailableOut:
    return AvailableOut(**a.__dict__, available_to_sell=a.available_to_sell)


def add_stock_routes(app: FastAPI, engine: Engine, anyone: Callable[..., Caller]) -> None:
    """Register the available-to-sell feed and export; ``anyone``: a channel or supervisor."""
    Who = Annotated[Caller, Depends(anyone)]

    @app.get(
        "/v1/stock/available", tags=["stock"], responses=refusals(400, 401, 403, 404, 410, 422)
    )
    def available_feed(
        who: Who,
        warehouse: Annotated[str | None, Query(max_length=20, pattern=WAREHOUSE)] = None,
        since: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    ) -> AvailablePage:
        """Available to sell per product, as a feed: without ``since``, every product (a full
        snapshot); with the ``cursor`` of the last page, the products changed since (on hand,
        reservations, holds), never skipping one. A cursor is for one warehouse."""
        try:
            with engine.begin() as conn:
                w = who.warehouse(conn, warehouse)
                page = changes(conn, w, since, limit)
        except BadCursor as e:
            raise Refusal(e.status, e.code, e.detail) from None
        return AvailablePage(
            warehouse=w, changes=[_out(a) for a in page.changes], cursor=page.cursor, more=page.more
        )

    @app.get(
        "/v1/stock/available/export",
        tags=["stock"],
        response_model=AvailableExport,
        responses={
            **refusals(401, 403, 404, 422),
            200: {
                "description": "JSON, or CSV (its cursor in the X-Cursor header)",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            },
        },
    )
    def available_export(
        who: Who,
        warehouse: Annotated[str | None, Query(max_length=20, pattern=WAREHOUSE)] = None,
        format: Format = Format.JSON,
    ) -> AvailableExport | Response:
        """Every product's available to sell in one file, for marketplaces that take files; the
        cursor follows on with the feed. CSV cells that a spreadsheet would run as a formula
        are escaped."""
        with engine.begin() as conn:
            w = who.warehouse(conn, warehouse)
            rows, cursor = export(conn, w)
        if format is Format.CSV:
            return Response(
                to_csv(rows),
                media_type="text/csv; charset=utf-8",
                headers={
                    CURSOR_HEADER: cursor,
                    "Content-Disposition": f'attachment; filename="available-{w}.csv"',
                },
            )
        return AvailableExport(warehouse=w, cursor=cursor, products=[_out(a) for a in rows])
