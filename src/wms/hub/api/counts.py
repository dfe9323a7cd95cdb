"""Count plan endpoints (supervisors): define a plan, see its coverage, run today's counts.

No ``from __future__ import annotations``: FastAPI reads these closures' annotations at runtime.
"""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, FastAPI
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from wms.hub.api.callers import Caller
from wms.hub.api.guards import Refusal
from wms.hub.api.openapi import refusals
from wms.hub.api.replenishment import TasksOut
from wms.hub.planning.counts import PlanIn, UnknownPlan, coverage, plan_names, run_plan, save_plan


class PlanRequest(PlanIn):
    """A count plan for one warehouse."""

    warehouse: str | None = Field(default=None, max_length=20)


class CoverageOut(BaseModel):
    """A plan's pace and how far it has got."""

    plan: str
    rule: str
    bins_per_day: int
    scope: int = Field(description="bins the plan covers")
    counted: int = Field(description="of those, counted within their cycle")
    planned: int = Field(description="due, with a count task out")
    due: int = Field(description="due, not planned yet")
    percent: float
    days_to_cover: int


def add_count_routes(app: FastAPI, engine: Engine, supervisor: Callable[..., Caller]) -> None:
    """Register the count plan endpoints (supervisors only)."""
    Who = Annotated[Caller, Depends(supervisor)]

    @app.put("/v1/count-plans", tags=["counts"], responses=refusals(401, 403, 404))
    def put_plan(body: PlanRequest, who: Who) -> CoverageOut:
        """Create or change a count plan; answers its coverage."""
        plan = PlanIn(**body.model_dump(exclude={"warehouse"}))
        with engine.begin() as conn:
            warehouse = who.warehouse(conn, body.warehouse)
            save_plan(conn, warehouse, plan, who.name)
            c = coverage(conn, warehouse, plan.name)
        return CoverageOut(**c.__dict__, percent=c.percent, days_to_cover=c.days_to_cover)

    @app.get("/v1/count-plans", tags=["counts"], responses=refusals(401, 403, 404))
    def list_plans(who: Who, warehouse: str | None = None) -> list[CoverageOut]:
        """Every plan of the warehouse with its coverage."""
        with engine.begin() as conn:
            wh = who.warehouse(conn, warehouse)
            found = [coverage(conn, wh, name) for name in plan_names(conn, wh)]
        return [
            CoverageOut(**c.__dict__, percent=c.percent, days_to_cover=c.days_to_cover)
            for c in found
        ]

    @app.post("/v1/count-plans/{name}/run", tags=["counts"], responses=refusals(401, 403, 404))
    def run(name: str, who: Who, warehouse: str | None = None) -> TasksOut:
        """Publish today's count tasks of the plan (at most its bins per day)."""
        try:
            with engine.begin() as conn:
                return TasksOut(tasks=run_plan(conn, who.warehouse(conn, warehouse), name))
        except UnknownPlan as e:
            raise Refusal(404, "unknown_plan", str(e)) from None
