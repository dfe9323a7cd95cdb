"""Wave endpoints (supervisors): release a wave by rule, list waves, schedule a rule.

No ``from __future__ import annotations``: FastAPI reads these closures' annotations at runtime.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine, text

from wms.hub.api.callers import Caller
from wms.hub.api.guards import Refusal
from wms.hub.api.openapi import refusals
from wms.hub.db import in_transaction
from wms.hub.planning.waves import NothingToRelease, Released, WaveRule, add_schedule, release


class WaveRequest(WaveRule):
    """A wave rule for one warehouse."""

    warehouse: str | None = Field(default=None, max_length=20)


class ReleasedOut(BaseModel):
    """The released wave."""

    wave: int
    orders: list[str]
    lines: int
    tasks: list[str]
    held_back: list[str] = Field(description="orders that matched but are short of stock")
    replenishments: list[str]


class WaveOut(BaseModel):
    """A wave released earlier."""

    id: int
    warehouse: str
    rule: dict[str, Any]
    released_by: str
    schedule: str | None
    orders: int
    lines: int
    tasks: int
    released_at: datetime


class ScheduleRequest(BaseModel):
    """Release ``rule`` every ``every_minutes``, whichever hub process gets there first."""

    warehouse: str | None = Field(default=None, max_length=20)
    name: str = Field(min_length=1, max_length=40)
    every_minutes: int = Field(ge=1, le=7 * 24 * 60)
    rule: WaveRule


class ScheduleOut(BaseModel):
    """A scheduled rule and its next run."""

    name: str
    warehouse: str
    next_run: datetime


def add_wave_routes(app: FastAPI, engine: Engine, supervisor: Callable[..., Caller]) -> None:
    """Register the wave endpoints; ``supervisor`` authenticates supervisors only."""
    Who = Annotated[Caller, Depends(supervisor)]

    @app.post("/v1/waves", status_code=201, tags=["waves"], responses=refusals(401, 403, 404, 409))
    def release_wave(body: WaveRequest, who: Who) -> ReleasedOut:
        """Release matching open orders to the floor as pick tasks; 409 when nothing can go."""
        rule = WaveRule(**body.model_dump(exclude={"warehouse"}))

        def work(conn: Connection) -> Released:
            return release(conn, who.warehouse(conn, body.warehouse), who.name, rule)

        try:
            done = in_transaction(engine, work)
        except NothingToRelease as e:
            raise Refusal(409, "nothing_to_release", str(e)) from None
        return ReleasedOut(**done.__dict__)

    @app.get("/v1/waves", tags=["waves"], responses=refusals(401, 403, 404))
    def list_waves(
        who: Who,
        warehouse: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> list[WaveOut]:
        """The latest waves, newest first."""
        with engine.begin() as conn:
            rows = conn.execute(
                text("SELECT * FROM wave WHERE warehouse = :w ORDER BY id DESC LIMIT :n"),
                {"w": who.warehouse(conn, warehouse), "n": limit},
            )
            return [WaveOut(**r._mapping) for r in rows]

    @app.post(
        "/v1/waves/schedules", status_code=201, tags=["waves"], responses=refusals(401, 403, 404)
    )
    def schedule_wave(body: ScheduleRequest, who: Who) -> ScheduleOut:
        """Create or change a scheduled wave rule."""
        with engine.begin() as conn:
            warehouse = who.warehouse(conn, body.warehouse)
            first = add_schedule(
                conn,
                warehouse,
                body.name,
                body.rule,
                every_minutes=body.every_minutes,
                who=who.name,
            )
        return ScheduleOut(name=body.name, warehouse=warehouse, next_run=first)
