"""Load endpoints (supervisors): loads at the dock and their parcels.

No ``from __future__ import annotations``: FastAPI reads these closures' annotations at runtime.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Query
from pydantic import BaseModel
from sqlalchemy import Engine

from wms.hub.api.callers import Caller
from wms.hub.api.openapi import refusals
from wms.hub.shipping.parcels import loads


class LoadOut(BaseModel):
    """A load at the dock and its parcels."""

    number: str
    carrier: str | None
    dock: str | None
    status: str
    parcels: int
    opened_at: datetime
    closed_at: datetime | None
    members: list[str]


def add_load_routes(app: FastAPI, engine: Engine, supervisor: Callable[..., Caller]) -> None:
    """Register the load endpoints (supervisors only)."""
    Who = Annotated[Caller, Depends(supervisor)]

    @app.get("/v1/loads", tags=["loads"], responses=refusals(401, 403, 422))
    def list_loads(
        who: Who,
        warehouse: str | None = None,
        status: Literal["open", "closed"] | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> list[LoadOut]:
        """Loads, newest first, each with its parcels."""
        with engine.begin() as conn:
            found = loads(conn, who.warehouse(conn, warehouse), status=status, limit=limit)
        return [LoadOut(**v.__dict__) for v in found]
