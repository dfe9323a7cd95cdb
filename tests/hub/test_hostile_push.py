"""What a careless or hostile client sends never costs another device anything: an op the
database could not hold is rejected and acked with its reason (the stream goes on), a push
whose envelope is broken or too big is refused whole with a short answer, nothing answers 500."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.hub.conftest import Terminal
from tests.hub.hub_queries import hub_qty, received
from tests.hub.live import serving
from tests.hub.wire_helpers import VERSIONS, delta, device_headers, new_stream, push, wire_op
from wms.hub.api.app import create_app
from wms.hub.settings import HubSettings
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.receiving import Receive, receive
from wms.sync.bounds import INT32_MAX, INT64_MAX
from wms.sync.wire import MAX_OPS_PER_PUSH, MAX_PUSH_VALUES

SKU, DOCK = "SKU-01401", "DOCK-01"
RECEIVE = {"sku": SKU, "units": 1, "location": DOCK}


def _receive_op(stream: str, seq: int, **fields: Any) -> dict[str, Any]:
    """A sound receive of one unit, but for ``fields``."""
    return wire_op(stream, seq, "receive", dict(RECEIVE), [delta(SKU, DOCK, 1)]) | fields


def test_an_adjust_at_the_edge_of_an_integer_stops_no_other_terminal(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    attacker, stream = device_headers(hub, hub_engine), new_stream()
    huge = {"sku": SKU, "units": INT32_MAX, "location": DOCK}
    reply = push(hub, attacker, wire_op(stream, 1, "adjust", huge, [delta(SKU, DOCK, INT32_MAX)]))
    assert reply.status_code == 200, reply.text
    colleague = make_terminal()
    receive(
        colleague.ctx, logon_badge(colleague.ctx, "OP0001"), Receive(ean13(1401), 1, location=DOCK)
    )
    summary = colleague.client().sync()  # once, this answered 500 until the adjust was undone
    assert summary.pushed == 1
    assert hub_qty(hub_engine, DOCK, SKU) == INT32_MAX + 1
    past = push(
        hub, attacker, wire_op(stream, 2, "adjust", huge, [delta(SKU, DOCK, INT32_MAX + 1)])
    )
    [rejected] = past.json()["rejected"]
    assert rejected["reason"].startswith("deltas.0.delta: Input should be less than or equal")
    assert past.json()["acks"] == [{"stream": stream, "last_seq": 2}]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        pytest.param({"type": "rec\x00eive"}, "unknown op type 'rec\\x00eive'", id="NUL type"),
        pytest.param(
            {"deltas": [delta("SKU-\x0001", DOCK, 1)]},
            "deltas.0.sku: contains a NUL or control character",
            id="NUL sku",
        ),
        pytest.param(
            {"payload": {**RECEIVE, "location": "DO\x00CK"}},
            "payload.location: contains a NUL or control character",
            id="NUL location",
        ),
        pytest.param(
            {"occurred_at": "2026-11-23T10:00:00+16:00"},
            "occurred_at: Value error, time zone offset beyond ±15:59",
            id="offset beyond 15:59",
        ),
        pytest.param(
            {"payload": {**RECEIVE, "lot": "L1", "expiry": "2026-13-45"}},
            "payload.expiry: Value error, month must be in 1..12",
            id="malformed expiry",
        ),
        pytest.param(
            {"payload": {**RECEIVE, "note": float("nan")}},
            "payload.note: Input should be a finite number",
            id="NaN",
        ),
        pytest.param(
            {"payload": {**RECEIVE, "units": "many"}},
            "payload.units: Input should be a valid integer, unable to parse string as an integer",
            id="units not a number",
        ),
        pytest.param({"payload": [1, 2]}, "payload: Input should be a valid dictionary", id="list"),
        pytest.param(
            {"payload": {**RECEIVE, "\x00": None}},
            "payload: a key contains a NUL character",
            id="NUL key",
        ),
        pytest.param(
            {"payload": {**RECEIVE, "lines": [{"sku": SKU, "\x00": 1}]}},
            "payload.lines.0.?.[key]: contains a NUL or control character",
            id="NUL key in free JSON",
        ),
        pytest.param(
            {
                "type": "pack",
                "deltas": [],
                "payload": {"parcel": "0" * 18, "order": "SO-1", "carrier": "SF"}
                | {"station": "PACK-01", "weight_g": 500}
                | {"lines": [{"sku": SKU, "units": 1, "from_location": "CART-01", "\x00": 1}]},
            },
            "payload: a key contains a NUL character",
            id="NUL key in a pack's line",
        ),
    ],
)
def test_an_op_the_database_cannot_hold_is_rejected_and_the_stream_goes_on(
    hub: TestClient, hub_engine: Engine, fields: dict[str, Any], reason: str
) -> None:
    headers, stream = device_headers(hub, hub_engine), new_stream()
    body = json.dumps(
        {"epoch": 1, "ops": [_receive_op(stream, 1, **fields), _receive_op(stream, 2)]},
        allow_nan=True,
    )
    reply = hub.post("/v1/push", content=body, headers=headers)
    assert reply.status_code == 200, reply.text
    assert reply.json()["rejected"] == [{"stream": stream, "seq": 1, "reason": reason}]
    assert reply.json()["acks"] == [{"stream": stream, "last_seq": 2}]
    assert received(hub_engine) == [(stream, 1), (stream, 2)]
    assert hub_qty(hub_engine, DOCK, SKU) == 1  # the good op after it was applied
    with hub_engine.connect() as conn:
        stored = conn.execute(text("SELECT rejected FROM received_op WHERE seq = 1")).scalar()
    assert stored == reason


def test_an_over_long_sku_in_a_count_is_rejected(hub: TestClient, hub_engine: Engine) -> None:
    headers, stream = device_headers(hub, hub_engine), new_stream()
    count = {
        "location": "A-01-03-A-1",
        "started_at": "2026-11-23T09:00:00+00:00",
        "outcome": "accepted",
        "counted": [{"sku": "S" * 41, "qty": 3}],
    }
    reply = push(hub, headers, wire_op(stream, 1, "count", count))
    assert reply.json()["rejected"][0]["reason"] == (
        "payload.counted.0.sku: String should have at most 40 characters"
    )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        pytest.param({"epoch": 1, "ops": [{"seq": 1}]}, "invalid", id="no stream"),
        pytest.param(
            {"epoch": 1, "ops": [_receive_op("s", INT64_MAX + 1)]}, "invalid", id="seq 2^63"
        ),
        pytest.param({"epoch": INT32_MAX + 1, "ops": []}, "invalid", id="epoch 2^31"),
        pytest.param({"epoch": 1, "ops": [_receive_op("s\x00", 1)]}, "invalid", id="NUL stream"),
        pytest.param({"epoch": 1, "ops": [{}] * 50_000}, "too_large", id="50,000 empty ops"),
    ],
)
def test_a_push_with_a_broken_envelope_is_refused_whole_in_a_few_lines(
    hub: TestClient, hub_engine: Engine, body: dict[str, Any], code: str
) -> None:
    reply = hub.post("/v1/push", json=body, headers=device_headers(hub, hub_engine))
    assert (reply.status_code, reply.json()["code"]) == (413 if code == "too_large" else 422, code)
    assert len(reply.content) < 4096  # once: a 40 MB list of every error
    assert received(hub_engine) == []


def test_a_body_the_hub_cannot_read_is_refused(hub: TestClient, hub_engine: Engine) -> None:
    headers = {**device_headers(hub, hub_engine), "Content-Type": "application/json"}
    for raw in (b'{"epoch": 1, "ops": [\xff]}', b'{"epoch": NaN, "ops": []}', b"[" * 100_000):
        reply = hub.post("/v1/push", content=raw, headers=headers)
        assert (reply.status_code, reply.json()["code"]) == (422, "invalid"), raw[:40]
        assert len(reply.content) < 4096


def test_a_push_of_too_many_json_values_is_refused_before_it_is_parsed(
    hub: TestClient, hub_engine: Engine
) -> None:
    headers, stream = device_headers(hub, hub_engine), new_stream()
    payload = {**RECEIVE, "noise": [[0] * 900] * (MAX_PUSH_VALUES // 900 + 1)}
    reply = push(hub, headers, wire_op(stream, 1, "receive", payload))
    assert (reply.status_code, reply.json()["code"]) == (413, "too_large")
    assert f"at most {MAX_PUSH_VALUES} JSON values" in reply.json()["detail"]
    too_many = [_receive_op(stream, seq) for seq in range(1, MAX_OPS_PER_PUSH + 2)]
    reply = push(hub, headers, *too_many)
    assert (reply.status_code, reply.json()["code"]) == (413, "too_large")
    assert received(hub_engine) == []


def test_a_pull_cursor_of_other_digits_starts_over(hub: TestClient, hub_engine: Engine) -> None:
    headers = device_headers(hub, hub_engine)
    feed = hub.get("/v1/pull", params={"limit": 1}, headers=headers).json()["cursor"].split(":")[0]
    for cursor in (f"{feed}:²:0", f"{feed}:0:{'9' * 19}", f"{feed}:-1:0"):
        reply = hub.get("/v1/pull", params={"cursor": cursor, "limit": 1}, headers=headers)
        assert reply.status_code == 200, cursor
        assert reply.json()["reset"] is True


@pytest.fixture
def slow_hub(hub_engine: Engine) -> Iterator[tuple[str, int]]:
    """The hub on a real socket, allowing a body half a second to arrive."""
    with serving(create_app(hub_engine, HubSettings(body_seconds=0.5))) as address:
        yield address


def test_uploads_that_never_send_their_body_are_cut_off(
    slow_hub: tuple[str, int], hub: TestClient, hub_engine: Engine
) -> None:
    auth = device_headers(hub, hub_engine)["Authorization"]
    head = (
        "POST /v1/push HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"
        f"Content-Length: 100\r\nAuthorization: {auth}\r\n"
        + "".join(f"{k}: {v}\r\n" for k, v in VERSIONS.items())
        + "\r\n"
    )
    idle = [socket.create_connection(slow_hub, timeout=30) for _ in range(20)]
    for s in idle:
        s.sendall(head.encode() + b'{"epoch": 1,')  # then nothing more
    for s in idle:
        answer = b""
        while chunk := s.recv(4096):  # the hub closes the connection after answering
            answer += chunk
        s.close()
        assert answer.startswith(b"HTTP/1.1 408 ")
        assert b'"code":"too_slow"' in answer
