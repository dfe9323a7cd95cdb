"""Enrolment that survives a lost reply, and a terminal enrolled again after a revocation whose
queued ops still reach the hub exactly once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.hub.conftest import HUB_URL, Terminal, enrolment_code
from tests.hub.faults import faulty_client
from tests.hub.hub_queries import hub_qty, hub_stock, received, terminal_stock
from wms.hub.sync.devices import new_enrolment, revoke
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.receiving import Receive, receive
from wms.sync.client import DeviceRefused, HubUnreachable, SyncSummary, enroll

SKU = "SKU-01401"


def _receive(t: Terminal, units: int) -> None:
    receive(t.ctx, logon_badge(t.ctx, "OP0001"), Receive(ean13(1401), units, location="DOCK-01"))


def _devices(hub_engine: Engine) -> list[int]:
    with hub_engine.connect() as conn:
        return list(conn.scalars(text("SELECT id FROM device ORDER BY id")))


def test_an_enrolment_whose_reply_was_lost_gets_the_same_device_when_run_again(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal, other = make_terminal(), make_terminal()
    code = enrolment_code(hub_engine)
    before = _devices(hub_engine)
    http, faults = faulty_client(hub)
    faults.drop_replies = 1  # the hub issued a token; the terminal never heard it
    with pytest.raises(HubUnreachable):
        enroll(terminal.ctx.engine, http, HUB_URL, code)
    # Another terminal cannot take the code while the first one may still be waiting for it.
    with pytest.raises(DeviceRefused, match="another terminal"):
        enroll(other.ctx.engine, hub, HUB_URL, code)
    again = enroll(terminal.ctx.engine, hub, HUB_URL, code)
    assert _devices(hub_engine) == before  # no orphan: the slot made for the code is reused
    assert again.device == before[-1]
    _receive(terminal, 2)
    assert terminal.client().sync().pushed == 1  # its token works
    assert hub_qty(hub_engine, "DOCK-01", SKU) == 2
    # The terminal has its token: the code is spent, for everyone.
    with pytest.raises(DeviceRefused, match="unknown or expired"):
        enroll(terminal.ctx.engine, hub, HUB_URL, code)


def test_a_terminal_enrolled_again_with_a_replacing_code_keeps_its_queued_ops(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    _receive(terminal, 1)
    terminal.client().sync()
    _receive(terminal, 2)
    http, faults = faulty_client(hub)
    faults.drop_replies = 1  # pushed and committed, but the terminal still counts it queued
    with pytest.raises(HubUnreachable):
        terminal.client(http).push(SyncSummary())
    _receive(terminal, 4)  # and one the hub has never seen
    with hub_engine.begin() as conn:
        revoke(conn, terminal.device)  # a supervisor revokes it (thought lost, say)
    with pytest.raises(DeviceRefused, match="revoked"):
        terminal.client().sync()
    # Enrolled again with an ordinary code, the hub says exactly what to do.
    enroll(terminal.ctx.engine, hub, HUB_URL, enrolment_code(hub_engine))
    with pytest.raises(DeviceRefused, match=f"--replaces {terminal.device}") as refused:
        terminal.client().sync()
    assert refused.value.exit_code == 77
    # The documented way: a code that replaces the revoked device.
    with hub_engine.begin() as conn:
        successor, code = new_enrolment(conn, "DEMO", 60, replaces=terminal.device)
    assert enroll(terminal.ctx.engine, hub, HUB_URL, code).device == successor
    summary = terminal.client().sync()
    assert (summary.pushed, summary.duplicates) == (1, 1)
    assert [seq for _, seq in received(hub_engine)] == [1, 2, 3]
    assert hub_qty(hub_engine, "DOCK-01", SKU) == 7
    assert terminal_stock(terminal.ctx.engine) == hub_stock(hub_engine)


def test_only_a_device_of_the_same_warehouse_can_be_replaced(hub_engine: Engine) -> None:
    with hub_engine.begin() as conn:
        device, _ = new_enrolment(conn, "DEMO", 60)
        conn.execute(text("INSERT INTO warehouse (code, name) VALUES ('FAR', 'Far away')"))
        with pytest.raises(LookupError, match=f"no device {device} in warehouse FAR"):
            new_enrolment(conn, "FAR", 60, replaces=device)
