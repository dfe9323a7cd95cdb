"""One sync per store at a time, and a pull that counts every op once even when two overlap."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.hub.conftest import Terminal
from tests.hub.faults import Interleaved, faulty_client
from tests.hub.hub_queries import hub_qty, hub_stock, received, terminal_stock
from tests.store_helpers import qty_at
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.receiving import Receive, receive
from wms.sync.client import HubUnreachable, SyncBusy, SyncSummary
from wms.sync.lock import sync_lock

SKU = "SKU-01401"


def _receive(t: Terminal, units: int) -> None:
    receive(t.ctx, logon_badge(t.ctx, "OP0001"), Receive(ean13(1401), units, location="DOCK-01"))


def test_a_slow_pull_overlapping_a_push_whose_reply_was_lost_counts_the_op_once(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    terminal.client().sync()
    _receive(terminal, 3)

    def other_sync_pushes() -> None:
        """The timer's sync pushes the receipt; the hub commits it, the reply is lost."""
        http, faults = faulty_client(hub)
        faults.drop_replies = 1
        with pytest.raises(HubUnreachable):
            terminal.client(http).push(SyncSummary())

    # The app's sync was pulling: its request reaches the hub only after that push committed,
    # so the page's figure for DOCK-01 already holds the 3 the terminal still counts as unsent.
    slow = httpx.Client(transport=Interleaved(hub, "/v1/pull", other_sync_pushes))
    terminal.client(slow).pull(SyncSummary())
    assert hub_qty(hub_engine, "DOCK-01", SKU) == 3
    assert qty_at(terminal.ctx, "DOCK-01", SKU) == 3
    again = terminal.client().sync()  # nothing moved at DOCK-01 since: nothing would repair it
    assert (again.pushed, again.duplicates) == (0, 0)
    assert qty_at(terminal.ctx, "DOCK-01", SKU) == 3
    assert terminal_stock(terminal.ctx.engine) == hub_stock(hub_engine)
    assert len(received(hub_engine)) == 1


def test_a_second_sync_of_a_store_is_told_another_one_runs(
    make_terminal: Callable[[], Terminal], hub_engine: Engine
) -> None:
    terminal = make_terminal()
    _receive(terminal, 2)
    with sync_lock(terminal.ctx.engine) as held:  # a sync in another process holds the store
        assert held
        with pytest.raises(SyncBusy, match="another sync") as busy:
            terminal.client().sync()
    assert busy.value.exit_code == 79
    assert received(hub_engine) == []  # it did nothing
    assert terminal.client().sync().pushed == 1  # once the other one is done, it runs


def test_a_waiting_sync_runs_once_the_other_one_ends(
    make_terminal: Callable[[], Terminal], hub_engine: Engine
) -> None:
    terminal = make_terminal()
    _receive(terminal, 2)
    waiting = threading.Event()
    done: list[SyncSummary] = []
    with sync_lock(terminal.ctx.engine):
        worker = threading.Thread(
            target=lambda: done.append(terminal.client().sync(wait=600, on_wait=waiting.set))
        )
        worker.start()
        assert waiting.wait(timeout=60)
        assert received(hub_engine) == []  # still waiting, while the other sync holds the store
    worker.join(timeout=60)
    assert [s.pushed for s in done] == [1]
    assert hub_qty(hub_engine, "DOCK-01", SKU) == 2
