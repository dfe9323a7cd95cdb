"""The hub's HTTP API (FastAPI). Endpoints are plain ``def``: they run in the thread pool, each
request in its own PostgreSQL transaction, so several hub processes can share one database."""

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wms.hub.api.callers import caller_dependencies
from wms.hub.api.counts import add_count_routes
from wms.hub.api.guards import install
from wms.hub.api.orders import add_order_routes
from wms.hub.api.replenishment import add_replenishment_routes
from wms.hub.api.supervisor import add_supervisor_routes
from wms.hub.api.sync import add_sync_routes
from wms.hub.api.waves import add_wave_routes
from wms.hub.settings import HubSettings


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


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    engine: Engine, settings: HubSettings, *, clock: Callable[[], datetime] = _utc_now
) -> FastAPI:
    """The hub application on ``engine``; the caller owns the engine's lifetime. ``clock``: the
    hub's time (a test pins it to its terminals' working day)."""
    app = FastAPI(title="wms hub", version="1", summary="Sync and back office for wms terminals")
    versions, device = install(app, engine, settings)
    # Added last, so it is the outermost of the hub's middleware: no layer reads a body first.
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    checked = [Depends(versions)]

    @app.get("/v1/health")
    def health() -> dict[str, str]:
        """Liveness for load balancers and `wms sync` probes."""
        return {"status": "ok"}

    add_sync_routes(app, engine, settings, checked, device, clock=clock)
    add_supervisor_routes(app, engine)
    anyone, supervisor = caller_dependencies(engine)
    add_order_routes(app, engine, anyone)
    add_wave_routes(app, engine, supervisor)
    add_replenishment_routes(app, engine, supervisor)
    add_count_routes(app, engine, supervisor)
    return app
