"""The hub's HTTP API (FastAPI). Endpoints are plain ``def``: they run in the thread pool, each
request in its own PostgreSQL transaction, so several hub processes can share one database."""

import logging
from typing import Annotated

from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy import Engine
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wms.hub.auth import AuthError, enrol
from wms.hub.documents import LeaseTaken, TaskDone, lease
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


def _too_large(limit: int) -> JSONResponse:
    detail = f"request body over {limit} bytes: send fewer ops per request"
    return JSONResponse(
        {"detail": detail, "code": "too_large", "max_bytes": limit},
        status_code=413,
        # The rest of the body is never read, so the connection cannot carry another request.
        headers={"Connection": "close"},
    )


class BodyLimit:
    """Cap request bodies at ``limit`` bytes: a larger Content-Length is refused before a byte
    is read, and a body without one (chunked) is refused as soon as it passes the cap, so a
    client cannot make the hub buffer more than ``limit`` bytes."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a receive channel that counts the body's bytes."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = _too_large(self.limit)
        length = Headers(scope=scope).get("content-length", "")
        if length.isdigit() and int(length) > self.limit:
            await refusal(scope, receive, send)
            return
        seen, over, answered = 0, False, False

        async def counted() -> Message:
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                # The app is told the client left: it stops reading, and whatever it answers
                # is replaced by the refusal below.
                over = seen > self.limit
                if over:
                    return {"type": "http.disconnect"}
            return message

        async def answer(message: Message) -> None:
            nonlocal answered
            if not over:
                await send(message)
            elif not answered and message["type"] == "http.response.start":
                answered = True
                await refusal(scope, receive, send)

        try:
            await self.app(scope, counted, answer)
        except Exception:
            if not over:
                raise
        if over and not answered:
            await refusal(scope, receive, send)


def create_app(engine: Engine, settings: HubSettings) -> FastAPI:
    """The hub application on ``engine``; the caller owns the engine's lifetime."""
    app = FastAPI(title="wms hub", version="1", summary="Sync and back office for wms terminals")
    versions, device = install(app, engine, settings)
    # Added last, so it is the outermost of the hub's middleware: no layer reads a body first.
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
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

    def apply_push(body: PushRequest, who: DeviceRow, may_hold_nul: bool) -> PushReply:
        try:
            with engine.begin() as conn:
                reply = push(conn, who, body, may_hold_nul=may_hold_nul)
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
        raw = await request.body()
        try:
            body = PushRequest.model_validate_json(raw)
        except ValidationError as e:
            raise RequestValidationError(e.errors()) from None
        if len(body.ops) > settings.max_ops_per_push:
            raise Refusal(413, "too_large", f"at most {settings.max_ops_per_push} ops per push")
        # JSON can carry NUL only escaped: without that escape, no op needs searching for one.
        return await run_in_threadpool(apply_push, body, who, b"\\u0000" in raw)

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
        except TaskDone as e:
            raise Refusal(409, "done", str(e)) from None
        return Lease(number=number, until=until)

    add_supervisor_routes(app, engine)
    return app
