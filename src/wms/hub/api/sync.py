"""The sync endpoints terminals call: enrol, who am I, push ops, pull the feed, lease a pick task.

No ``from __future__ import annotations``: FastAPI reads these closures' annotations at runtime.
"""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from starlette.requests import ClientDisconnect

from wms.hub.api.guards import Refusal
from wms.hub.api.openapi import body_schema, refusals
from wms.hub.db import in_transaction
from wms.hub.documents import LeaseTaken, TaskDone, lease
from wms.hub.settings import HubSettings
from wms.hub.shipping.numbers import top_up
from wms.hub.sync.devices import AuthError, DeviceRow, enrol
from wms.hub.sync.ingest import PushRefused, push
from wms.hub.sync.intake import NotAPush, read_push
from wms.hub.sync.pull import pull
from wms.sync.bounds import CODE_PATTERN
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

MAX_PULL_LIMIT = 100_000  # a page is capped by the hub's MAX_PULL_ROWS anyway


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

    @app.post("/v1/enroll", dependencies=checked, responses=refusals(401, 426))
    def enroll_device(body: EnrolRequest) -> Enrolled:
        """Trade a one-time code for this device's token."""
        try:
            with engine.begin() as conn:
                row, token = enrol(conn, body.code, body.nonce)
        except AuthError as e:
            raise Refusal(e.status, e.code, e.detail) from None
        log.info("enrolled", extra={"device": row.id, "warehouse": row.warehouse})
        return Enrolled(device=row.id, warehouse=row.warehouse, token=token)

    @app.get("/v1/device", dependencies=checked, responses=refusals(401, 403, 426))
    def who_am_i(who: Annotated[DeviceRow, Depends(device)]) -> DeviceInfo:
        """The device this token belongs to (a terminal checks a hub's new address with it)."""
        return DeviceInfo(device=who.id, warehouse=who.warehouse)

    def apply_push(raw: bytes, who: DeviceRow) -> PushReply:
        try:
            body = read_push(raw, settings.max_ops_per_push)
        except NotAPush as e:
            raise Refusal(e.status, e.code, e.detail, errors=e.errors) from None
        try:
            with engine.begin() as conn:
                reply = push(conn, who, body, received_at=clock(), block_size=settings.number_block)
        except PushRefused as e:
            code = {409: "gap", 403: "forbidden"}.get(e.status, "refused")
            raise Refusal(e.status, code, e.detail, **e.extra) from None
        log.info("push", extra={"device": who.id, "ops": len(body.ops), "dup": reply.duplicates})
        return reply

    @app.post(
        "/v1/push",
        dependencies=checked,
        openapi_extra={"requestBody": {"required": True, "content": body_schema(app, PushRequest)}},
        responses=refusals(400, 401, 403, 408, 409, 413, 422, 426),
    )
    async def push_ops(request: Request, who: Annotated[DeviceRow, Depends(device)]) -> PushReply:
        """Apply ops exactly once; the reply is sent only after the transaction committed.

        An op that does not fit its model is acked and listed in ``rejected`` with the reason;
        a push over the limits (bytes, ops, JSON values) or with a broken envelope is refused
        whole (413, 422), before any op is applied."""
        try:
            raw = await request.body()
        except ClientDisconnect:
            # The network cut the push off mid-body (or the body was over its limits, whose
            # refusal then answers instead): nothing was applied, the terminal resends.
            log.info("push cut off", extra={"device": who.id})
            raise Refusal(400, "incomplete", "the push arrived incomplete") from None
        # Parsed and validated in one pass from the raw bytes, off the event loop.
        return await run_in_threadpool(apply_push, raw, who)

    @app.get("/v1/pull", dependencies=checked, responses=refusals(401, 403, 426))
    def pull_changes(
        who: Annotated[DeviceRow, Depends(device)],
        cursor: Annotated[str, Query(max_length=80)] = "",
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = 1000,
        numbers_for: Annotated[
            str | None,
            Query(
                max_length=40,
                pattern=r"^[A-Za-z0-9_.:-]+$",
                description="This terminal's current op stream: it packs, keep it topped up"
                " with SSCC and waybill number blocks (hardware/SHIPPING.md)",
            ),
        ] = None,
    ) -> PullReply:
        """The next page of the device's warehouse feed after ``cursor``."""
        if numbers_for:  # committed first, so this very pull can bring the new blocks
            in_transaction(
                engine,
                lambda c: top_up(c, who.warehouse, who.id, numbers_for, settings.number_block),
            )
        with engine.begin() as conn:
            return pull(conn, who.warehouse, cursor, min(limit, settings.max_pull_rows), who.id)

    @app.post(
        "/v1/tasks/{number}/lease",
        dependencies=checked,
        responses=refusals(401, 403, 404, 409, 426),
    )
    def lease_task(
        number: Annotated[str, Path(max_length=40, pattern=CODE_PATTERN)],
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
