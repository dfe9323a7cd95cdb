"""A sync writing into the store never fails or blocks an operator's scan for long."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import Engine

from tests.hub.conftest import Terminal
from tests.store_helpers import qty_at
from wms.hub.master import upsert
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.receiving import Receive, receive
from wms.sync.client import SyncSummary


def test_scans_during_a_large_pull_all_succeed(
    make_terminal: Callable[[], Terminal], hub_engine: Engine
) -> None:
    terminal = make_terminal()
    terminal.client().sync()
    with hub_engine.begin() as conn:  # a big catalogue update waiting at the hub
        rows = [{"sku": f"NEW-{i:05d}", "name": f"New product {i}"} for i in range(12_000)]
        upsert(conn, "product", rows, "DEMO")
    pulling = threading.Event()
    summary = SyncSummary()
    failures: list[BaseException] = []

    def sync() -> None:
        try:
            terminal.client().pull(summary, lambda *_: pulling.set())
        except BaseException as e:  # reported to the test thread below
            failures.append(e)
            pulling.set()

    worker = threading.Thread(target=sync)
    worker.start()
    pulling.wait(timeout=60)
    alice = logon_badge(terminal.ctx, "OP0001")
    for _ in range(25):  # every scan must go through while pages are being applied
        receive(terminal.ctx, alice, Receive(ean13(1401), 1, location="DOCK-01"))
    worker.join(timeout=120)
    assert failures == []
    assert summary.pulled >= 12_000
    assert qty_at(terminal.ctx, "DOCK-01", "SKU-01401") == 25
