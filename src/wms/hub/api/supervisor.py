"""Supervisor endpoints: customs clearance, recalls, the exceptions queue (each decision recorded
with who, when and why) and the supplier scorecard.

A supervisor authenticates with their own bearer token (``wms hub supervisor add NAME``), not a
device's: terminals may push facts, only supervisors take decisions. A supervisor added for one
warehouse sees and decides for that warehouse alone (403 ``not_your_warehouse`` otherwise).

No ``from __future__ import annotations``: FastAPI reads these closures' annotations at runtime.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from wms.hub.api.callers import Caller, caller_dependencies
from wms.hub.api.guards import Refusal
from wms.hub.api.openapi import refusals
from wms.hub.supervision.choices import Resolution
from wms.hub.supervision.clearance import Clearance, NothingToClear, clear
from wms.hub.supervision.decisions import Moved
from wms.hub.supervision.recalls import BadRecall, recall
from wms.hub.supervision.resolutions import CannotResolve, open_exceptions, resolve
from wms.hub.supervision.scorecard import load_weights, receipt_facts, scorecard
from wms.hub.supervision.supervisors import (
    DecisionRefused,
    NoReason,
    OutOfScope,
    check_scope,
    scope_of,
)
from wms.sync.bounds import (
    CODE_PATTERN,
    INT32_MAX,
    INT64_MAX,
    ContainerCode,
    LotCode,
    Sku,
    Units,
    Why,
    code,
)

Warehouse = Annotated[str, code(20, min_length=1)]


class ClearRequest(BaseModel):
    """Clear bonded stock under ``declaration``: by declaration alone, or narrowed to an ASN,
    a product, a lot or a container; ``qty`` clears part of it."""

    warehouse: Warehouse
    declaration: Annotated[str, code(40, min_length=1)]
    asn: Annotated[str, code(40)] = ""
    sku: Annotated[str, code(40)] = ""
    lot: LotCode = ""
    container: ContainerCode = ""
    qty: Annotated[int, Field(ge=1, le=INT32_MAX)] | None = None
    why: Why


class RecallRequest(BaseModel):
    """Recall one lot of ``sku``, or every lot of ``sku`` from ``supplier``."""

    warehouse: Warehouse
    sku: Sku
    lot: LotCode = ""
    supplier: Annotated[str, code(100)] = ""
    why: Why


class MovedRow(BaseModel):
    """Units of one bin/lot/pallet whose status changed."""

    sku: str
    location: str
    lot: str
    container: str
    qty: int


class Decided(BaseModel):
    """The audit id of the decision and the stock it moved."""

    decision: int
    who: str
    units: int
    moved: list[MovedRow]
    replanned: list[str] = Field(default_factory=list)
    quarantine_tasks: list[str] = Field(default_factory=list)


class ExceptionRow(BaseModel):
    """An open exception and the facts sync recorded with it."""

    id: int
    warehouse: str
    kind: str
    message: str
    details: dict[str, Any] | None
    stream_id: str | None
    seq: int | None
    created_at: datetime


class ResolveRequest(BaseModel):
    """How to resolve an exception; ``delta`` is the signed adjustment for ``adjust``."""

    action: Resolution
    why: Why
    delta: Units = 0


class Resolved(BaseModel):
    """The exception, its resolution and the decision's audit id."""

    exception: int
    action: Resolution
    decision: int
    who: str


class SupplierScoreRow(BaseModel):
    """A supplier's weighted score (0-100) for the period, its indicators and counts."""

    supplier: str
    period: str
    score: float | None
    indicators: dict[str, float | None]
    counts: dict[str, int]


def _rows(moved: list[Moved]) -> list[MovedRow]:
    return [MovedRow(**m.__dict__) for m in moved]


# How each refusal of a decision is answered; any other refusal is a 403.
_REFUSED: dict[type[DecisionRefused], tuple[int, str]] = {
    OutOfScope: (403, "not_your_warehouse"),
    NothingToClear: (409, "nothing_to_clear"),
    CannotResolve: (409, "cannot_resolve"),
    BadRecall: (422, "bad_recall"),
    NoReason: (422, "no_reason"),
}


def _scope_guard(app: FastAPI, engine: Engine) -> Callable[[str, str | None], str | None]:
    """Answer every refused decision with its status and code (403 to one outside the
    supervisor's warehouse); returns the function that picks the warehouse a listing shows:
    theirs by default, never another."""

    @app.exception_handler(DecisionRefused)
    async def _refused(_request: Request, exc: DecisionRefused) -> JSONResponse:
        status, code = _REFUSED.get(type(exc), (403, "refused"))
        return JSONResponse({"detail": str(exc), "code": code}, status_code=status)

    def scoped(who: str, warehouse: str | None) -> str | None:
        with engine.begin() as conn:
            warehouse = warehouse or scope_of(conn, who)
            check_scope(conn, who, warehouse)
        return warehouse

    return scoped


def add_supervisor_routes(app: FastAPI, engine: Engine) -> None:
    """Register the supervisor endpoints on ``app``."""

    _, supervisor_caller = caller_dependencies(engine)

    def supervisor(caller: Annotated[Caller, Depends(supervisor_caller)]) -> str:
        return caller.name

    Who = Annotated[str, Depends(supervisor)]
    WarehouseQuery = Annotated[str | None, Query(max_length=20, pattern=CODE_PATTERN)]
    scoped = _scope_guard(app, engine)

    @app.post(
        "/v1/supervisor/clearances", tags=["supervisor"], responses=refusals(401, 403, 404, 409)
    )
    def clear_goods(body: ClearRequest, who: Who) -> Decided:
        """Release bonded stock to available under a customs declaration."""
        wanted = Clearance(body.declaration, body.asn, body.sku, body.lot, body.container, body.qty)
        with engine.begin() as conn:
            done = clear(conn, body.warehouse, who, body.why, wanted)
        return Decided(decision=done.decision, who=who, units=done.units, moved=_rows(done.moved))

    @app.get("/v1/supervisor/exceptions", tags=["supervisor"], responses=refusals(401, 403, 404))
    def list_exceptions(who: Who, warehouse: WarehouseQuery = None) -> list[ExceptionRow]:
        """The open exceptions queue, oldest first."""
        warehouse = scoped(who, warehouse)
        with engine.begin() as conn:
            return [ExceptionRow(**r) for r in open_exceptions(conn, warehouse)]

    @app.post(
        "/v1/supervisor/exceptions/{exception}/resolve",
        tags=["supervisor"],
        responses=refusals(401, 403, 404, 409),
    )
    def resolve_exception(
        exception: Annotated[int, Path(ge=1, le=INT64_MAX)], body: ResolveRequest, who: Who
    ) -> Resolved:
        """Accept, adjust, order a recount or write off; recorded and synced back."""
        with engine.begin() as conn:
            decision = resolve(conn, exception, who, body.why, body.action, delta=body.delta)
        return Resolved(exception=exception, action=body.action, decision=decision, who=who)

    @app.get("/v1/supervisor/scorecard", tags=["supervisor"], responses=refusals(401, 403, 404))
    def supplier_scorecard(
        who: Who,
        period: Annotated[str | None, Query(max_length=10)] = None,
        warehouse: WarehouseQuery = None,
    ) -> list[SupplierScoreRow]:
        """Supplier scores from what receiving recorded; ``period`` is YYYY, YYYY-MM or
        YYYY-Qn."""
        warehouse = scoped(who, warehouse)
        try:
            weights = load_weights()
            with engine.begin() as conn:
                scores = scorecard(receipt_facts(conn, warehouse), weights, period)
        except ValueError as e:
            raise Refusal(422, "bad_period", str(e)) from None
        return [SupplierScoreRow(**s.__dict__) for s in scores]

    @app.post("/v1/supervisor/recalls", tags=["supervisor"], responses=refusals(401, 403, 404))
    def recall_goods(body: RecallRequest, who: Who) -> Decided:
        """Recall a lot, or all lots of a product from a supplier."""
        with engine.begin() as conn:
            done = recall(
                conn, body.warehouse, who, body.why, body.sku, lot=body.lot, supplier=body.supplier
            )
        return Decided(
            decision=done.decision,
            who=who,
            units=sum(m.qty for m in done.moved),
            moved=_rows(done.moved),
            replanned=done.replanned,
            quarantine_tasks=done.quarantine_tasks,
        )
