"""Push is exactly-once and ordered: duplicates are ignored, gaps refused, failures retried."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.hub.conftest import HUB_URL, HubClock, Terminal
from tests.hub.faults import faulty_client
from tests.hub.hub_queries import exception_kinds, hub_qty, received
from wms.hub.api.app import create_app
from wms.hub.settings import HubSettings
from wms.hub.sync.stock import StockWriter
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.receiving import Receive, receive
from wms.store.migrate import backup, open_store
from wms.sync import outbox
from wms.sync.client import HubUnreachable, SyncClient
from wms.sync.wire import PROTOCOL_HEADER, PROTOCOL_VERSION, STORE_HEADER

SKU = "SKU-01401"  # apparel, no lot: 25 in A-01-03-A-1 in the demo


def _receive(t: Terminal, units: int = 1) -> int:
    actor = logon_badge(t.ctx, "OP0001")
    return receive(t.ctx, actor, Receive(ean13(1401), units, location="DOCK-01")).seq


def _unack_all(t: Terminal) -> None:
    with t.ctx.engine.begin() as conn:
        conn.execute(text("UPDATE oplog SET acked = 0"))


@pytest.fixture
def terminal(make_terminal: Callable[[], Terminal]) -> Terminal:
    """One enrolled terminal."""
    return make_terminal()


def test_a_batch_sent_twice_is_applied_once(terminal: Terminal, hub_engine: Engine) -> None:
    for _ in range(3):
        _receive(terminal, 2)
    first = terminal.client().sync()
    _unack_all(terminal)  # as if every ack had been lost: the whole batch goes again
    again = terminal.client().sync()
    assert (first.pushed, again.pushed, again.duplicates) == (3, 0, 3)
    assert len(received(hub_engine)) == 3
    assert hub_qty(hub_engine, "DOCK-01", SKU) == 6


def test_a_lost_acknowledgement_is_resent_without_duplicates(
    terminal: Terminal, hub: TestClient, hub_engine: Engine
) -> None:
    for _ in range(4):
        _receive(terminal)
    http, faults = faulty_client(hub)
    faults.drop_replies = 1
    with pytest.raises(HubUnreachable):
        terminal.client(http).sync()
    assert len(received(hub_engine)) == 4  # the hub committed before the reply was lost
    assert outbox.pending(terminal.ctx.engine, 10)  # the terminal still holds every op
    summary = terminal.client(http).sync()
    assert (summary.pushed, summary.duplicates) == (0, 4)
    assert hub_qty(hub_engine, "DOCK-01", SKU) == 4
    assert outbox.pending(terminal.ctx.engine, 10) == []


def test_a_hub_failure_mid_push_writes_nothing_and_a_retry_completes(
    terminal: Terminal, hub_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(5):
        _receive(terminal)
    real_flush = StockWriter.flush

    def crash_after_writing(self: StockWriter) -> int:
        real_flush(self)
        raise ConnectionResetError("database connection lost")

    monkeypatch.setattr(StockWriter, "flush", crash_after_writing)
    with pytest.raises(HubUnreachable):
        terminal.client(batch=2).sync()
    assert received(hub_engine) == []
    monkeypatch.undo()
    terminal.client(batch=2).sync()
    assert [seq for _, seq in received(hub_engine)] == [1, 2, 3, 4, 5]
    assert hub_qty(hub_engine, "DOCK-01", SKU) == 5


def test_a_cut_connection_leaves_the_queue_for_the_next_sync(
    terminal: Terminal, hub: TestClient, hub_engine: Engine
) -> None:
    _receive(terminal)
    http, faults = faulty_client(hub)
    faults.drop_requests = 1
    with pytest.raises(HubUnreachable) as failed:
        terminal.client(http).sync()
    assert failed.value.exit_code == 75
    assert received(hub_engine) == []
    terminal.client(http).sync()
    assert len(received(hub_engine)) == 1


def test_marks_survive_a_hub_restart(terminal: Terminal, hub_engine: Engine, hub_db: str) -> None:
    _receive(terminal)
    terminal.client().sync()
    hub_engine.dispose()  # every connection of the old hub process is gone
    restarted = create_app(hub_engine, HubSettings(), clock=HubClock())
    with TestClient(restarted, base_url=HUB_URL) as http:
        _unack_all(terminal)
        _receive(terminal)
        summary = SyncClient(terminal.ctx.engine, http).sync()
    assert (summary.pushed, summary.duplicates) == (1, 1)
    assert [seq for _, seq in received(hub_engine)] == [1, 2]


def _raw_push(hub: TestClient, t: Terminal, ops: list[dict[str, Any]]) -> Any:
    state = SyncClient(t.ctx.engine, hub).headers
    return hub.post("/v1/push", json={"epoch": 1, "ops": ops}, headers=state)


def _wire(t: Terminal) -> list[dict[str, Any]]:
    return [json.loads(op.wire) for op in outbox.pending(t.ctx.engine, 100)]


def test_a_gap_is_refused_and_nothing_is_written(
    terminal: Terminal, hub: TestClient, hub_engine: Engine
) -> None:
    for _ in range(3):
        _receive(terminal)
    ops = _wire(terminal)
    assert _raw_push(hub, terminal, ops[:1]).status_code == 200
    reply = _raw_push(hub, terminal, [ops[2]])
    assert reply.status_code == 409
    assert reply.json()["code"] == "gap"
    assert reply.json()["expected"] == 2
    assert [seq for _, seq in received(hub_engine)] == [1]


def test_a_malformed_op_is_rejected_and_the_queue_goes_on(
    terminal: Terminal, hub_engine: Engine
) -> None:
    _receive(terminal)
    with terminal.ctx.engine.begin() as conn:  # an op a buggy terminal build wrote
        stream = conn.execute(text("SELECT device_id FROM deviceidentity")).scalar_one()
        conn.execute(
            text(
                "INSERT INTO oplog (device_id, seq, type, payload, operator, occurred_at, acked)"
                " VALUES (:d, 2, 'receive', '{\"units\": 3}', '1001', '2026-11-23 10:00:00', 0)"
            ),
            {"d": stream},
        )
        conn.execute(text("UPDATE deviceidentity SET last_seq = 2"))
    _receive(terminal)
    summary = terminal.client().sync()
    assert summary.rejected == ["#2 payload lacks sku, location"]
    assert [seq for _, seq in received(hub_engine)] == [1, 2, 3]
    assert hub_qty(hub_engine, "DOCK-01", SKU) == 2
    assert "rejected_op" in exception_kinds(hub_engine)
    assert outbox.pending(terminal.ctx.engine, 10) == []


def test_a_restored_backup_pushes_as_a_new_epoch(
    terminal: Terminal, hub_engine: Engine, tmp_path: Any
) -> None:
    _receive(terminal)
    terminal.client().sync()
    path = tmp_path / "terminal-0.sqlite"
    saved = backup(path)
    _receive(terminal)
    terminal.client().sync()
    terminal.ctx.engine.dispose()
    saved.replace(path)  # the disk died; last night's backup comes back
    terminal.ctx.engine = open_store(path)
    outbox.start_new_epoch(terminal.ctx.engine)  # what a restore does before any new op
    _receive(terminal, 5)
    summary = terminal.client().sync()
    assert summary.pushed == 1
    streams = {stream for stream, _ in received(hub_engine)}
    assert len(streams) == 2
    assert hub_qty(hub_engine, "DOCK-01", SKU) == 7


@pytest.fixture
def strict_hub(hub_engine: Engine) -> Iterator[TestClient]:
    """A hub that no longer accepts this terminal's protocol version."""
    settings = HubSettings(min_protocol=PROTOCOL_VERSION + 1, max_protocol=PROTOCOL_VERSION + 1)
    with TestClient(create_app(hub_engine, settings, clock=HubClock()), base_url=HUB_URL) as client:
        yield client


def test_a_terminal_outside_the_version_window_is_told_to_upgrade(
    terminal: Terminal, strict_hub: TestClient, hub: TestClient
) -> None:
    from wms.sync.client import UpgradeRequired

    _receive(terminal)
    with pytest.raises(UpgradeRequired, match="install a matching wms") as refused:
        terminal.client(strict_hub).sync()
    assert refused.value.exit_code == 76
    old_store = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), STORE_HEADER: "0001"}
    reply = hub.get("/v1/pull", headers=old_store)
    assert (reply.status_code, reply.json()["code"]) == (426, "upgrade_required")


def test_an_op_postgresql_cannot_store_is_rejected_not_stuck(
    terminal: Terminal, hub_engine: Engine
) -> None:
    _receive(terminal)
    with terminal.ctx.engine.begin() as conn:  # a NUL from a corrupted scan made it into an op
        conn.execute(text("UPDATE oplog SET payload = :p"), {"p": '{"sku": "SKU-0\\u00001"}'})
    _receive(terminal)
    summary = terminal.client().sync()
    assert summary.rejected == ["#1 payload.sku: contains a NUL or control character"]
    assert [seq for _, seq in received(hub_engine)] == [1, 2]
    assert outbox.pending(terminal.ctx.engine, 10) == []


def test_a_restore_without_a_new_epoch_is_flagged_not_silently_merged(
    terminal: Terminal, hub_engine: Engine, tmp_path: Any
) -> None:
    _receive(terminal)
    terminal.client().sync()
    path = tmp_path / "terminal-0.sqlite"
    saved = backup(path)
    _receive(terminal, 2)
    terminal.client().sync()
    terminal.ctx.engine.dispose()
    saved.replace(path)
    terminal.ctx.engine = open_store(path)
    _receive(terminal, 9)  # reuses seq 2, which the hub already holds for another op
    summary = terminal.client().sync()
    assert summary.duplicates == 1
    assert "conflicting_duplicate" in exception_kinds(hub_engine)
