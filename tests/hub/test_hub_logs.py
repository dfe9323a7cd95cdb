"""The hub's log never holds what a client sent: no payload, no token, no SQL parameter, not
even when a request fails inside the hub."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.hub.live import serving
from tests.hub.wire_helpers import delta, device_headers, new_stream, wire_op
from wms.hub.api.app import create_app
from wms.hub.logs import configure_logging
from wms.hub.settings import HubSettings
from wms.hub.sync.stock import StockWriter

SECRET = "SECRET-PAYLOAD-7731"


@pytest.fixture
def hub_log() -> Iterator[io.StringIO]:
    """What the hub logs, as `wms hub serve` configures it."""
    kept = logging.getLogger().handlers[:], logging.getLogger().level
    configure_logging()
    out = io.StringIO()
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(out)
    yield out
    logging.getLogger().handlers[:], level = kept
    logging.getLogger().setLevel(level)


def test_a_failure_inside_the_hub_logs_no_payload_token_or_parameter(
    hub: TestClient, hub_engine: Engine, hub_log: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_flush(self: StockWriter) -> int:  # a bug: the database refuses a value
        self.conn.execute(
            text("SELECT CAST(:p AS int)"), {"p": self.received[0]["payload"]["note"]}
        )
        return 0

    monkeypatch.setattr(StockWriter, "flush", failing_flush)
    headers, stream = device_headers(hub, hub_engine), new_stream()
    payload = {"sku": "SKU-01401", "units": 1, "location": "DOCK-01", "note": SECRET}
    op = wire_op(stream, 1, "receive", payload, [delta("SKU-01401", "DOCK-01", 1)])
    with serving(create_app(hub_engine, HubSettings())) as (host, port):  # uvicorn logs it
        reply = httpx.post(
            f"http://{host}:{port}/v1/push", json={"ops": [op]}, headers=headers, timeout=30
        )
    assert reply.status_code == 500
    logged = hub_log.getvalue()
    assert "DataError" in logged  # the failure is there, with where it happened
    assert "failing_flush" in logged
    assert SECRET not in logged
    assert headers["Authorization"].split()[1] not in logged
    assert "[parameters:" not in logged
    assert "[SQL:" not in logged
