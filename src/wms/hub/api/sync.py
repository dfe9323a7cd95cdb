"""The sync endpoints terminals call: enrol, who am I, push ops, pull the feed, lease a pick task.

No ``from __future__ import annotations``: FastAPI reads these closures' annotations at runtime.
"""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy import Engine
from starlette.requests import ClientDisconnect

from wms.hub.api.guards import Refusal
from wms.hub.documents import LeaseTaken, TaskDone, lease
from wms.hub.settings import HubSettings
from wms.hub.sync.devices import AuthError, DeviceRow, enrol
from wms.hub.sync.ingest import PushRefused, push
from wms.hub.sync.pull import pull
from wms.sync.wire import (
    DeviceInfo,
    Enrolled,
    EnrolRequest,
    Lease,
    PullReply,
    PushReply,
    PushRequest,
)

log = logging.getLogger("wms.hub")


def add_sync_routes(
    app: FastAPI,
    engine: Engine,
    settings: HubSettings,
    checked: list[Any],
    device: Callable[..., DeviceRow],
    *,
    clock: Callable[[], datetime],
) -> None:
    """Register the terminals' endpoints; ``checked`` holds the version check, ``device`` the
    token dependency, ``clock`` the hub's time (where ops from a wrong clock are placed)."""

    @app.post("/v1/enroll", dependencies=checked)
    def enroll_device(body: EnrolRequest) -> Enrolled:
        """Trade a one-time code for this device's token."""
        try:
            with engine.begin() as conn:
                row, token = enrol(conn, body.code, body.nonce)
        except AuthError as e:
            raise Refusal(e.status, e.code, e.detail) from None
        log.info("enrolled", extra={"device": row.id, "warehouse": row.warehouse})
        return Enrolled(device=row.id, warehouse=row.warehouse, token=token)

    @app.get("/v1/device", dependencies=checked)
    def who_am_i(who: Annotated[DeviceRow, Depends(device)]) -> DeviceInfo:
        """The device this token belongs to (a terminal checks a hub's new address with it)."""
        return DeviceInfo(device=who.id, warehouse=who.warehouse)

    def apply_push(body: PushRequest, who: DeviceRow, may_hold_nul: bool) -> PushReply:
        try:
            with engine.begin() as conn:
                reply = push(conn, who, body, may_hold_nul=may_hold_nul, received_at=clock())
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
            raw = await request.body()
        except ClientDisconnect:
            # The network cut the push off mid-body: nothing was applied, the terminal resends.
            log.info("push cut off", extra={"device": who.id})
            raise Refusal(400, "incomplete", "the push arrived incomplete") from None
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
