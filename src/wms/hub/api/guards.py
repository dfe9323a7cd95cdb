"""What every hub request passes first: size limit and request log, version window, token.

No ``from __future__ import annotations`` here: FastAPI reads these functions' annotations at
runtime, and they are closures.
"""

import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import FastAPI, Header, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from wms.hub.settings import HubSettings
from wms.hub.sync.devices import AuthError, DeviceRow, authenticate
from wms.hub.sync.intake import shown
from wms.sync.wire import PROTOCOL_HEADER, STORE_HEADER, UPGRADE_REQUIRED

log = logging.getLogger("wms.hub")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Refusal(Exception):
    """An error answer with a stable machine-readable ``code`` next to the human ``detail``."""

    def __init__(self, status: int, code: str, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.extra = status, code, detail, extra


def install(
    app: FastAPI, engine: Engine, settings: HubSettings
) -> tuple[Callable[..., None], Callable[..., DeviceRow]]:
    """Add the error handler and the log middleware; returns the two dependencies:
    the version check and the authenticated device."""

    @app.exception_handler(Refusal)
    async def _refusal(_request: Request, exc: Refusal) -> JSONResponse:
        body = {"detail": exc.detail, "code": exc.code, **exc.extra}
        return JSONResponse(body, status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "refused")
        body = {"detail": str(exc.detail), "code": code}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        detail = f"invalid request: {len(errors)} error(s), the first shown"
        body = {"detail": detail, "code": "invalid", "errors": shown(errors)}
        return JSONResponse(body, status_code=422)

    @app.middleware("http")
    async def _log(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        # Paths and query strings carry codes (numbers, skus, warehouses): a control character
        # in one is never a real code, and a NUL would reach PostgreSQL, which cannot hold it.
        if _CONTROL.search(request.scope["path"]) or any(
            _CONTROL.search(k) or _CONTROL.search(v) for k, v in request.query_params.multi_items()
        ):
            detail = "invalid request: a control character in the path or query"
            response: Response = JSONResponse({"detail": detail, "code": "invalid"}, 422)
        else:
            response = await call_next(request)
        # Never the Authorization header or bodies: tokens and payloads stay out of logs.
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.url.path,
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response

    def versions(
        protocol: Annotated[int | None, Header(alias=PROTOCOL_HEADER, ge=0, le=10**6)] = None,
        store: Annotated[str | None, Header(alias=STORE_HEADER, max_length=20)] = None,
    ) -> None:
        """Refuse terminals outside the window, saying what to do."""
        if protocol is None or not settings.min_protocol <= protocol <= settings.max_protocol:
            raise Refusal(
                UPGRADE_REQUIRED,
                "upgrade_required",
                f"this hub speaks sync protocol {settings.min_protocol}..{settings.max_protocol}"
                f" (terminal: {protocol}): install a matching wms on this terminal",
            )
        if store not in settings.store_revisions:
            raise Refusal(
                UPGRADE_REQUIRED,
                "upgrade_required",
                f"this hub accepts terminal stores at {', '.join(settings.store_revisions)}"
                f" (terminal: {store}): upgrade wms and run `wms db upgrade`",
            )

    def device(authorization: Annotated[str, Header(max_length=200)] = "") -> DeviceRow:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Refusal(401, "unauthorized", "no device token: run `wms enroll` first")
        try:
            with engine.begin() as conn:
                return authenticate(conn, token)
        except AuthError as e:
            raise Refusal(e.status, e.code, e.detail) from None

    return versions, device
