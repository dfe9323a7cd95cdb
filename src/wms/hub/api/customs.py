"""Customs endpoints (supervisors, and the customs client with a supervisor's token): the
warehouse's codes, products' customs data, receipts posted as customs sent them, the messages,
and the bonded ledger's reconciliation (hardware/CUSTOMS.md).

No ``from __future__ import annotations``: FastAPI reads these closures' annotations at runtime.
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Body, Depends, FastAPI, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from wms.hub.api.callers import Caller
from wms.hub.api.guards import Refusal
from wms.hub.api.openapi import refusals
from wms.hub.customs.codes import (
    ProductCustomsIn,
    UnknownProducts,
    WarehouseCodes,
    codes_of,
    save_codes,
    save_products,
)
from wms.hub.customs.receipts import MAX_RECEIPT_BYTES, receive
from wms.hub.customs.reconcile import NotOpen, reconcile, report_rows
from wms.hub.customs.views import messages, rows_csv
from wms.hub.db import in_transaction


class CodesSaved(BaseModel):
    """The codes were saved; ``ledger_opened`` the first time (the bonded ledger opened)."""

    warehouse: str
    ledger_opened: bool


class ProductsSaved(BaseModel):
    """How many products' customs data were saved."""

    saved: int


class ReceiptOut(BaseModel):
    """What became of a receipt: applied, set aside (with why: it is kept all the same), or
    a duplicate of one received before."""

    receipt: int
    state: Literal["applied", "set_aside", "duplicate"]
    reason: str | None
    answers: list[dict[str, Any]]


class MessageOut(BaseModel):
    """A message to customs and where it stands."""

    guid: str
    kind: str
    sscc: str | None
    order_number: str
    cop_no: str
    state: str
    status: str | None
    return_status: str | None
    return_info: str | None
    invt_no: str | None
    created_at: datetime
    sent_at: datetime | None
    answered_at: datetime | None
    error: str | None


class ReconciliationOut(BaseModel):
    """The reconciliation: whether it balances, one row per ledger item, one per difference."""

    warehouse: str
    day: date
    balanced: bool
    rows: list[dict[str, Any]] = Field(description="items, then traces (see `row`)")


def add_customs_routes(app: FastAPI, engine: Engine, supervisor: Callable[..., Caller]) -> None:
    """Register the customs endpoints (supervisors only)."""
    Who = Annotated[Caller, Depends(supervisor)]

    @app.put("/v1/customs/codes", tags=["customs"], responses=refusals(401, 403, 404, 422))
    def put_codes(who: Who, codes: WarehouseCodes, warehouse: str | None = None) -> CodesSaved:
        """Set the warehouse's customs codes; the first time opens its bonded ledger with the
        bonded stock it holds then."""

        def work(conn: Any) -> CodesSaved:
            wh = who.warehouse(conn, warehouse)
            return CodesSaved(warehouse=wh, ledger_opened=save_codes(conn, wh, codes, who.name))

        return in_transaction(engine, work)

    @app.get("/v1/customs/codes", tags=["customs"], responses=refusals(401, 403, 404, 422))
    def get_codes(who: Who, warehouse: str | None = None) -> WarehouseCodes:
        """The warehouse's customs codes."""
        with engine.begin() as conn:
            found = codes_of(conn, who.warehouse(conn, warehouse))
        if found is None:
            raise Refusal(404, "no_customs_codes", "this warehouse has no customs codes yet")
        return found

    @app.put("/v1/customs/products", tags=["customs"], responses=refusals(401, 403, 404, 422))
    def put_products(
        who: Who,
        products: Annotated[list[ProductCustomsIn], Body(max_length=1000)],
        warehouse: str | None = None,
    ) -> ProductsSaved:
        """Products' customs data (HS code, units, origin) and their bonded-ledger items in
        this warehouse; terminals receive them at their next pull."""

        def work(conn: Any) -> ProductsSaved:
            return ProductsSaved(
                saved=save_products(conn, who.warehouse(conn, warehouse), products)
            )

        try:
            return in_transaction(engine, work)
        except UnknownProducts as e:
            raise Refusal(422, "unknown_product", str(e)) from None

    @app.post(
        "/v1/customs/receipts",
        tags=["customs"],
        responses=refusals(401, 403, 404, 413, 422),
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/xml": {"schema": {"type": "string"}}},
            }
        },
    )
    async def post_receipt(request: Request, who: Who, warehouse: str | None = None) -> ReceiptOut:
        """A receipt (CEB622, CEB624 or CEB626) as customs sent it. It is always kept: applied,
        or set aside with its reason (not well-formed, not customs' schema, another
        warehouse's, an unknown list or status code) for a supervisor; the same receipt again
        is a duplicate and changes nothing."""
        raw = await request.body()
        if len(raw) > MAX_RECEIPT_BYTES:
            raise Refusal(413, "too_large", f"a receipt is at most {MAX_RECEIPT_BYTES} bytes")
        if not raw:
            raise Refusal(422, "invalid", "no receipt: post the XML customs sent")

        def work(conn: Any) -> ReceiptOut:
            got = receive(conn, who.warehouse(conn, warehouse), raw, "api")
            return ReceiptOut(
                receipt=got.id, state=got.state, reason=got.reason, answers=got.answers
            )

        return await run_in_threadpool(in_transaction, engine, work)

    @app.get("/v1/customs/messages", tags=["customs"], responses=refusals(401, 403, 404, 422))
    def get_messages(
        who: Who,
        warehouse: str | None = None,
        status: Annotated[str | None, Query(max_length=12, pattern=r"^[a-z]+$")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    ) -> list[MessageOut]:
        """Messages to customs (lists, cancel and return requests), newest first."""
        with engine.begin() as conn:
            found = messages(conn, who.warehouse(conn, warehouse), status=status, limit=limit)
        return [MessageOut(**m) for m in found]

    @app.get(
        "/v1/customs/reconciliation",
        tags=["customs"],
        response_model=ReconciliationOut,
        responses=refusals(401, 403, 404, 409, 422),
    )
    def get_reconciliation(
        who: Who,
        warehouse: str | None = None,
        day: date | None = None,
        fmt: Annotated[Literal["json", "csv"], Query(alias="format")] = "json",
    ) -> ReconciliationOut | Response:
        """The bonded ledger's three-way reconciliation as of ``day``'s end (default: now),
        every difference traced to its op, decision or parcel; ``format=csv`` for
        spreadsheets (formula-safe)."""
        with engine.begin() as conn:
            wh = who.warehouse(conn, warehouse)
            try:
                report = reconcile(conn, wh, day)
            except NotOpen as e:
                raise Refusal(409, "no_bonded_ledger", str(e)) from None
        rows = report_rows(report)
        if fmt == "csv":
            return Response(rows_csv(rows), media_type="text/csv")
        return ReconciliationOut(warehouse=wh, day=report.day, balanced=report.balanced, rows=rows)
