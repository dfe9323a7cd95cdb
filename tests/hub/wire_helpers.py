"""Talk to the hub the way any client can: raw HTTP with a device's token, ops written by hand
(a careless integrator's or an attacker's, not a terminal's)."""

from __future__ import annotations

import itertools
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.hub.conftest import enrolment_code
from wms.hub.settings import known_store_revisions
from wms.sync.wire import PROTOCOL_HEADER, PROTOCOL_VERSION, STORE_HEADER

VERSIONS = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), STORE_HEADER: known_store_revisions()[-1]}
_streams = itertools.count(1)


def device_headers(hub: TestClient, engine: Engine, warehouse: str = "DEMO") -> dict[str, str]:
    """Enrol a device of ``warehouse`` over HTTP; the headers its requests carry."""
    reply = hub.post(
        "/v1/enroll", json={"code": enrolment_code(engine, warehouse)}, headers=VERSIONS
    )
    assert reply.status_code == 200, reply.text
    return {**VERSIONS, "Authorization": f"Bearer {reply.json()['token']}"}


def new_stream() -> str:
    """A stream id no device has used yet."""
    return f"stream-{next(_streams):04d}"


def delta(sku: str, location: str, qty: int, status: str = "available") -> dict[str, Any]:
    """One ledger row of an op."""
    return {"sku": sku, "location": location, "delta": qty, "status": status}


def wire_op(
    stream: str,
    seq: int,
    op_type: str,
    payload: Any,
    deltas: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """An op as it travels in a push (``fields`` override any of it)."""
    op = {
        "stream": stream,
        "seq": seq,
        "type": op_type,
        "payload": payload,
        "operator": "OP0001",
        "occurred_at": "2026-11-23T10:00:00+00:00",
        "deltas": deltas or [],
    }
    return op | fields


def push(hub: TestClient, headers: dict[str, str], *ops: dict[str, Any]) -> Any:
    """POST the ops as one push; the HTTP reply."""
    return hub.post("/v1/push", json={"epoch": 1, "ops": list(ops)}, headers=headers)


def pull_all(hub: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every change the device's feed holds, read page by page from the start."""
    changes: list[dict[str, Any]] = []
    cursor, more = "", True
    while more:
        page = hub.get("/v1/pull", params={"cursor": cursor, "limit": 5000}, headers=headers)
        assert page.status_code == 200, page.text
        changes += page.json()["changes"]
        cursor, more = page.json()["cursor"], page.json()["more"]
    return changes
