"""Replenishment endpoints (supervisors): pick-face min/max, the faces' figures, a top-up run.

No ``from __future__ import annotations``: FastAPI reads these closures' annotations at runtime.
"""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, FastAPI
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine

from wms.hub.api.callers import Caller
from wms.hub.api.guards import Refusal
from wms.hub.api.openapi import refusals
from wms.hub.db import in_transaction
from wms.hub.planning.replenishment import BadLimits, LimitIn, faces, set_limits, top_up


class LimitsRequest(BaseModel):
    """Min/max for face bins of one warehouse."""

    warehouse: str | None = Field(default=None, max_length=20)
    limits: list[LimitIn] = Field(min_length=1, max_length=10_000)


class FaceOut(BaseModel):
    """A face: its limits, on hand, replenishments coming, owed to released waves."""

    location: str
    sku: str
    min_qty: int
    max_qty: int
    on_hand: int
    coming: int
    released: int
    projected: int


class RunRequest(BaseModel):
    """Top up the warehouse's low faces now."""

    warehouse: str | None = Field(default=None, max_length=20)


class TasksOut(BaseModel):
    """Tasks published."""

    tasks: list[str]


def add_replenishment_routes(
    app: FastAPI, engine: Engine, supervisor: Callable[..., Caller]
) -> None:
    """Register the replenishment endpoints (supervisors only)."""
    Who = Annotated[Caller, Depends(supervisor)]

    @app.put("/v1/replenishment/limits", tags=["replenishment"], responses=refusals(401, 403, 404))
    def put_limits(body: LimitsRequest, who: Who) -> dict[str, int]:
        """Set min/max per pick-face bin; 422 (nothing set) for a bin that is not a face."""
        try:
            with engine.begin() as conn:
                count = set_limits(conn, who.warehouse(conn, body.warehouse), body.limits)
        except BadLimits as e:
            raise Refusal(422, "bad_limits", str(e), errors=e.errors) from None
        return {"set": count}

    @app.get("/v1/replenishment/faces", tags=["replenishment"], responses=refusals(401, 403, 404))
    def list_faces(who: Who, warehouse: str | None = None) -> list[FaceOut]:
        """Every face with limits and its figures."""
        with engine.begin() as conn:
            found = faces(conn, who.warehouse(conn, warehouse))
        return [FaceOut(**f.__dict__, projected=f.projected) for f in found]

    @app.post("/v1/replenishment/run", tags=["replenishment"], responses=refusals(401, 403, 404))
    def run(body: RunRequest, who: Who) -> TasksOut:
        """Raise replenishments for every face below its min."""

        def work(conn: Connection) -> list[str]:
            return top_up(conn, who.warehouse(conn, body.warehouse))

        return TasksOut(tasks=in_transaction(engine, work))
