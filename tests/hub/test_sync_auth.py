"""Only enrolled, unrevoked devices sync, each with its own ops; codes work once."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.hub.conftest import HUB_URL, Terminal, enrolment_code
from wms.hub.sync.devices import revoke
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.receiving import Receive, receive
from wms.services.sync_status import sync_status
from wms.sync import outbox
from wms.sync.client import DeviceRefused, enroll


def test_a_code_enrols_one_device_once_and_the_hub_keeps_only_hashes(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    code = enrolment_code(hub_engine)
    enroll(terminal.ctx.engine, hub, HUB_URL, code)
    with pytest.raises(DeviceRefused, match="unknown or expired"):
        enroll(terminal.ctx.engine, hub, HUB_URL, code)
    token = terminal.client().state.token
    with hub_engine.connect() as conn:
        stored = " ".join(str(v) for r in conn.execute(text("SELECT * FROM device")) for v in r)
    assert token not in stored
    assert code.replace("-", "") not in stored.replace("-", "")


def test_a_revoked_device_is_told_so(
    make_terminal: Callable[[], Terminal], hub_engine: Engine
) -> None:
    terminal = make_terminal()
    with hub_engine.begin() as conn:
        device = conn.execute(text("SELECT max(id) FROM device")).scalar_one()
        assert revoke(conn, device)
    with pytest.raises(DeviceRefused, match="revoked") as refused:
        terminal.client().sync()
    assert refused.value.exit_code == 77


def test_an_unknown_token_is_refused(make_terminal: Callable[[], Terminal]) -> None:
    terminal = make_terminal()
    with terminal.ctx.engine.begin() as conn:
        conn.execute(text("UPDATE syncstate SET token = 'forged'"))
    with pytest.raises(DeviceRefused, match="enrol this terminal again"):
        terminal.client().sync()


def test_a_device_cannot_push_another_devices_ops(
    make_terminal: Callable[[], Terminal], hub: TestClient
) -> None:
    victim, intruder = make_terminal(), make_terminal()
    alice = logon_badge(victim.ctx, "OP0001")
    receive(victim.ctx, alice, Receive(ean13(1401), 1, location="DOCK-01"))
    victim.client().sync()
    with victim.ctx.engine.begin() as conn:
        conn.execute(text("UPDATE oplog SET acked = 0"))
    ops = [json.loads(op.wire) for op in outbox.pending(victim.ctx.engine, 10)]
    reply = hub.post("/v1/push", json={"ops": ops}, headers=intruder.client().headers)
    assert (reply.status_code, reply.json()["code"]) == (403, "forbidden")


def test_the_status_bar_shows_the_last_sync(make_terminal: Callable[[], Terminal]) -> None:
    terminal = make_terminal()
    assert sync_status(terminal.ctx).last_sync is None
    terminal.client().sync()
    assert sync_status(terminal.ctx).last_sync is not None


def test_oversized_pushes_are_refused_before_any_work(
    make_terminal: Callable[[], Terminal], hub: TestClient
) -> None:
    terminal = make_terminal()
    headers = terminal.client().headers
    huge = hub.post("/v1/push", content=b"{" + b" " * (17 * 1024 * 1024) + b"}", headers=headers)
    assert (huge.status_code, huge.json()["code"]) == (413, "too_large")
    op = {
        "stream": "s",
        "seq": 1,
        "type": "receive",
        "payload": {},
        "operator": "1001",
        "occurred_at": "2026-11-23T10:00:00Z",
    }
    many = hub.post("/v1/push", json={"ops": [op] * 5001}, headers=headers)
    assert (many.status_code, many.json()["code"]) == (413, "too_large")


def test_a_push_that_is_not_a_push_is_refused_whole(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    headers = {**terminal.client().headers, "Content-Type": "application/json"}
    reply = hub.post("/v1/push", content=b'{"ops": [{"seq": 0}]}', headers=headers)
    assert reply.status_code == 422
    with hub_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM received_op")).scalar_one() == 0
