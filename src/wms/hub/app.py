"""The hub's HTTP API (FastAPI). Endpoints are plain ``def``: they run in the thread pool, each
request in its own PostgreSQL transaction, so several hub processes can share one database."""

import logging
from typing import Annotated

from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy import Engine

from wms.hub.auth import AuthError, enrol
from wms.hub.documents import LeaseTaken, lease
from wms.hub.feed import pull
from wms.hub.guards import Refusal, install
from wms.hub.ingest import DeviceRow, PushRefused, push
from wms.hub.settings import HubSettings
from wms.hub.supervisor_api import add_supervisor_routes
from wms.sync.wire import (
    Enrolled,
    EnrolRequest,
    Lease,
    PullReply,
    PushReply,
    PushRequest,
)

log = logging.getLogger("wms.hub")


def create_app(engine: Engine, settings: HubSettings) -> FastAPI:
    """The hub application on ``engine``; the caller owns the engine's lifetime."""
    app = FastAPI(title="wms hub", version="1", summary="Sync and back office for wms terminals")
    versions, device = install(app, engine, settings)
    checked = [Depends(versions)]

    @app.get("/v1/health")
    def health() -> dict[str, str]:
        """Liveness for load balancers and `wms sync` probes."""
        return {"status": "ok"}

    @app.post("/v1/enroll", dependencies=checked)
    def enroll_device(body: EnrolRequest) -> Enrolled:
        """Trade a one-time code for this device's token."""
        try:
            with engine.begin() as conn:
                row, token = enrol(conn, body.code)
        except AuthError as e:
            raise Refusal(e.status, e.code, e.detail) from None
        log.info("enrolled", extra={"device": row.id, "warehouse": row.warehouse})
        return Enrolled(device=row.id, warehouse=row.warehouse, token=token)

    def apply_push(body: PushRequest, who: DeviceRow) -> PushReply:
        try:
            with engine.begin() as conn:
                reply = push(conn, who, body)
        except PushRefused as e:
            code = {409: "gap", 403: "forbidden"}.get(e.status, "refused")
            raise Refusal(e.status, code, e.detail, **e.extra) from None
        log.info("push", extra={"device": who.id, "ops": len(body.ops), "dup": reply.duplicates})
        return reply

    push_schema = {"application/json": {"schema": PushRequest.model_json_schema()}}

    @app.post(
        "/v1/push",
        dependencies=checked,
        openapi_extra={"requestBody": {"required": True, "content": push_schema}},
    )
    async def push_ops(request: Request, who: Annotated[DeviceRow, Depends(device)]) -> PushReply:
        """Apply ops exactly once; the reply is sent only after the transaction committed."""
        # Parsed and validated in one pass from the raw bytes: a push carries thousands of ops.
        try:
            body = PushRequest.model_validate_json(await request.body())
        except ValidationError as e:
            raise RequestValidationError(e.errors()) from None
        if len(body.ops) > settings.max_ops_per_push:
            raise Refusal(413, "too_large", f"at most {settings.max_ops_per_push} ops per push")
        return await run_in_threadpool(apply_push, body, who)

    @app.get("/v1/pull", dependencies=checked)
    def pull_changes(
        who: Annotated[DeviceRow, Depends(device)],
        cursor: str = "",
        limit: Annotated[int, Query(ge=1)] = 1000,
    ) -> PullReply:
        """The next page of the device's warehouse feed after ``cursor``."""
        with engine.begin() as conn:
            return pull(conn, who.warehouse, cursor, min(limit, settings.max_pull_rows), who.id)

    @app.post("/v1/tasks/{number}/lease", dependencies=checked)
    def lease_task(
        number: str,
        who: Annotated[DeviceRow, Depends(device)],
        minutes: Annotated[int, Query(ge=1, le=720)] = 60,
    ) -> Lease:
        """Take (or extend) a pick task for this device; 409 while another device holds it."""
        try:
            with engine.begin() as conn:
                until = lease(conn, who.id, who.warehouse, number, minutes)
        except KeyError:
            raise Refusal(404, "unknown_task", f"no pick task {number} here") from None
        except LeaseTaken as e:
            raise Refusal(409, "leased", str(e), until=e.until.isoformat()) from None
        return Lease(number=number, until=until)

    add_supervisor_routes(app, engine)
    return app
