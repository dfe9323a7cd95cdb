"""The hub caps request bodies by bytes, with or without a Content-Length, and a terminal sizes
its pushes to fit: nothing over the cap is read, nothing under it is lost."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.hub.conftest import HUB_URL, HubClock, Terminal
from tests.hub.hub_queries import hub_qty, received
from tests.hub.live import serving
from wms.hub.api.app import create_app
from wms.hub.settings import HubSettings
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.receiving import Receive, receive
from wms.sync import outbox
from wms.sync.client import SyncClient, SyncFailed
from wms.sync.wire import MAX_PUSH_BYTES

SKU = "SKU-01401"
CAP = MAX_PUSH_BYTES  # the smallest cap a hub may be given


def _receive(t: Terminal, times: int) -> None:
    actor = logon_badge(t.ctx, "OP0001")
    for _ in range(times):
        receive(t.ctx, actor, Receive(ean13(1401), 1, location="DOCK-01"))


@pytest.fixture
def live_hub(hub_engine: Engine) -> Iterator[str]:
    """The hub with the smallest byte cap, served by uvicorn on a real socket."""
    app = create_app(hub_engine, HubSettings(max_body_bytes=CAP), clock=HubClock())
    with serving(app) as (host, port):
        yield f"http://{host}:{port}"


def _push_headers(t: Terminal) -> dict[str, str]:
    return {**t.client().headers, "Content-Type": "application/json"}


def test_a_body_announced_too_large_is_refused_unread(
    make_terminal: Callable[[], Terminal], live_hub: str, hub_engine: Engine
) -> None:
    headers = _push_headers(make_terminal())
    with httpx.Client(timeout=30) as http:
        reply = http.post(f"{live_hub}/v1/push", content=b" " * (CAP + 1), headers=headers)
    assert reply.status_code == 413
    assert reply.json()["code"] == "too_large"
    assert reply.json()["max_bytes"] == CAP
    assert received(hub_engine) == []


def test_a_body_without_a_length_is_cut_off_at_the_cap(
    make_terminal: Callable[[], Terminal], hub_engine: Engine
) -> None:
    def chunked() -> Iterator[bytes]:  # no Content-Length: sent chunked
        yield b'{"epoch": 1, "ops": ['
        for _ in range(CAP // 65536 + 1):
            yield b" " * 65536
        yield b"]}"

    headers = _push_headers(make_terminal())
    settings = HubSettings(max_body_bytes=CAP)
    with TestClient(create_app(hub_engine, settings, clock=HubClock()), base_url=HUB_URL) as hub:
        reply = hub.post("/v1/push", content=chunked(), headers=headers)
        assert (reply.status_code, reply.json()["code"]) == (413, "too_large")
        enrol = hub.post("/v1/enroll", content=chunked(), headers=headers)
        assert (enrol.status_code, enrol.json()["code"]) == (413, "too_large")
    assert received(hub_engine) == []


def test_a_chunked_push_under_the_cap_is_applied(
    make_terminal: Callable[[], Terminal], live_hub: str, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    _receive(terminal, 3)
    body = outbox.request_body(1, outbox.pending(terminal.ctx.engine, 10))
    chunks = (body[i : i + 100] for i in range(0, len(body), 100))
    with httpx.Client(timeout=30) as http:
        reply = http.post(f"{live_hub}/v1/push", content=chunks, headers=_push_headers(terminal))
    assert reply.status_code == 200, reply.text
    assert [seq for _, seq in received(hub_engine)] == [1, 2, 3]


class Recording(httpx.BaseTransport):
    """Forwards to the in-process hub and keeps the size of every request body."""

    def __init__(self, hub: TestClient) -> None:
        self.hub = hub
        self.sizes: list[int] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Deliver, noting the body's size."""
        self.sizes.append(len(request.read()))
        reply = self.hub.send(request)
        return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)


def test_a_terminal_splits_its_pushes_by_bytes(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    _receive(terminal, 12)
    one_op = len(outbox.pending(terminal.ctx.engine, 1)[0].wire)
    limit = 3 * one_op + 200  # room for three ops a request, whatever the batch size
    transport = Recording(hub)
    with httpx.Client(transport=transport, base_url=HUB_URL) as http:
        summary = SyncClient(terminal.ctx.engine, http, batch=1000, max_bytes=limit).sync()
    pushes = [size for size in transport.sizes if size > 0]
    assert summary.pushed == 12
    assert len(pushes) >= 4
    assert max(pushes) <= limit
    assert [seq for _, seq in received(hub_engine)] == list(range(1, 13))
    assert hub_qty(hub_engine, "DOCK-01", SKU) == 12
    assert outbox.pending(terminal.ctx.engine, 100) == []


@pytest.fixture
def small_hub(hub_engine: Engine) -> Iterator[TestClient]:
    """A hub that takes smaller requests than this terminal sends (an older release, say)."""
    settings = HubSettings.model_construct(**{**HubSettings().model_dump(), "max_body_bytes": 600})
    with TestClient(create_app(hub_engine, settings, clock=HubClock()), base_url=HUB_URL) as client:
        yield client


def test_a_push_the_hub_finds_too_large_fails_clearly_and_keeps_the_ops(
    make_terminal: Callable[[], Terminal], small_hub: TestClient, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    _receive(terminal, 5)
    with pytest.raises(SyncFailed, match="as too large") as refused:
        SyncClient(terminal.ctx.engine, small_hub).sync()
    assert "WMS_HUB_MAX_BODY_BYTES" in str(refused.value)
    assert received(hub_engine) == []
    assert len(outbox.pending(terminal.ctx.engine, 100)) == 5


def test_a_push_cut_off_mid_body_is_logged_as_such_without_a_traceback(
    make_terminal: Callable[[], Terminal],
    live_hub: str,
    hub_engine: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    headers = {**_push_headers(make_terminal()), "Content-Length": "1000"}
    host, port = live_hub.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as cut:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        cut.sendall(f"POST /v1/push HTTP/1.1\r\nHost: {host}\r\n{head}\r\n".encode())
        cut.sendall(b'{"epoch": 1, "ops": [')  # and then the network goes
    # The hub notices when it reads on; wait for its word on this request, whatever it is.
    for _ in range(1200):
        if any(
            r.getMessage() == "push cut off" or r.levelno >= logging.ERROR for r in caplog.records
        ):
            break
        time.sleep(0.05)
    else:
        pytest.fail("the hub said nothing about the cut push")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert not any(r.exc_info for r in caplog.records)
    assert received(hub_engine) == []
