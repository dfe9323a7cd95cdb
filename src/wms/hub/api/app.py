"""The hub's HTTP API (FastAPI). Endpoints are plain ``def``: they run in the thread pool, each
request in its own PostgreSQL transaction, so several hub processes can share one database."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wms.hub.api.callers import caller_dependencies
from wms.hub.api.carriers import add_carrier_routes
from wms.hub.api.counts import add_count_routes
from wms.hub.api.customs import add_customs_routes
from wms.hub.api.guards import install
from wms.hub.api.loads import add_load_routes
from wms.hub.api.manifests import add_manifest_routes
from wms.hub.api.openapi import install_openapi, refusals
from wms.hub.api.orders import add_order_routes
from wms.hub.api.parcels import add_parcel_routes
from wms.hub.api.replenishment import add_replenishment_routes
from wms.hub.api.stock import add_stock_routes
from wms.hub.api.supervisor import add_supervisor_routes
from wms.hub.api.sync import add_sync_routes
from wms.hub.api.waves import add_wave_routes
from wms.hub.api.webhooks import add_webhook_routes
from wms.hub.settings import HubSettings


def _too_large(limit: int) -> JSONResponse:
    detail = f"request body over {limit} bytes: send fewer ops per request"
    return JSONResponse(
        {"detail": detail, "code": "too_large", "max_bytes": limit},
        status_code=413,
        # The rest of the body is never read, so the connection cannot carry another request.
        headers={"Connection": "close"},
    )


def _too_slow(seconds: float) -> JSONResponse:
    detail = f"request body not received within {seconds:g} s"
    return JSONResponse(
        {"detail": detail, "code": "too_slow"}, status_code=408, headers={"Connection": "close"}
    )


# Only a push carries a large body; every other request fits in this.
SMALL_BODY_BYTES = 64 * 1024


class RequestLimits:
    """Cap request bodies by bytes and by time.

    A body over its route's cap (``push_limit`` for a push, 64 KiB for anything else) is
    refused before a byte is read when its Content-Length says so, and as soon as it passes
    the cap when it is sent chunked, so a client cannot make the hub buffer more. A body
    that does not arrive within ``seconds`` (a client that sends headers, then nothing) is
    answered 408 and its connection closed, so idle uploads cannot pile up.
    """

    def __init__(self, app: ASGIApp, push_limit: int, seconds: float) -> None:
        self.app, self.push_limit, self.seconds = app, push_limit, seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a receive channel that counts and times the body."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.push_limit if scope["path"] == "/v1/push" else SMALL_BODY_BYTES
        length = Headers(scope=scope).get("content-length", "")
        if length.isdigit() and int(length) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        deadline = asyncio.get_running_loop().time() + self.seconds
        seen, refusal, answered, arrived = 0, None, False, False

        async def counted() -> Message:
            nonlocal seen, refusal, arrived
            if refusal is not None:
                return {"type": "http.disconnect"}
            if arrived:  # the body is in: the app now only listens for the client leaving
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                refusal = _too_slow(self.seconds)
                return {"type": "http.disconnect"}
            if message["type"] == "http.request":
                arrived = not message.get("more_body", False)
                seen += len(message.get("body", b""))
                # The app is told the client left: it stops reading, and whatever it answers
                # is replaced by the refusal below.
                if seen > limit:
                    refusal = _too_large(limit)
                    return {"type": "http.disconnect"}
            return message

        async def answer(message: Message) -> None:
            nonlocal answered
            if refusal is None:
                await send(message)
            elif not answered and message["type"] == "http.response.start":
                answered = True
                await refusal(scope, receive, send)

        try:
            await self.app(scope, counted, answer)
        except Exception:
            if refusal is None:
                raise
        if refusal is not None and not answered:
            await refusal(scope, receive, send)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    engine: Engine, settings: HubSettings, *, clock: Callable[[], datetime] = _utc_now
) -> FastAPI:
    """The hub application on ``engine``; the caller owns the engine's lifetime. ``clock``: the
    hub's time (a test pins it to its terminals' working day)."""
    app = FastAPI(
        title="wms hub",
        version="1",
        summary="Sync and back office for wms terminals",
        responses=refusals(413, 422),
    )
    install_openapi(app)
    versions, device = install(app, engine, settings)
    # Added last, so it is the outermost of the hub's middleware: no layer reads a body first.
    app.add_middleware(
        RequestLimits, push_limit=settings.max_body_bytes, seconds=settings.body_seconds
    )
    checked = [Depends(versions)]

    @app.get("/v1/health")
    def health() -> dict[str, str]:
        """Liveness for load balancers and `wms sync` probes."""
        return {"status": "ok"}

    add_sync_routes(app, engine, settings, checked, device, clock=clock)
    add_supervisor_routes(app, engine)
    anyone, supervisor = caller_dependencies(engine)
    add_order_routes(app, engine, anyone)
    add_stock_routes(app, engine, anyone)
    add_webhook_routes(app, engine, anyone, private_targets=settings.webhook_private_targets)
    add_wave_routes(app, engine, supervisor)
    add_replenishment_routes(app, engine, supervisor)
    add_count_routes(app, engine, supervisor)
    add_carrier_routes(app, engine, supervisor)
    add_parcel_routes(app, engine, checked, device, supervisor)
    add_load_routes(app, engine, supervisor)
    add_manifest_routes(app, engine, supervisor)
    add_customs_routes(app, engine, supervisor)
    return app
