"""Pull brings the warehouse to every terminal without skipping rows or touching unsynced ops."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.conftest import NOW
from tests.hub.conftest import Terminal
from tests.hub.faults import faulty_client
from tests.hub.hub_queries import exception_kinds, hub_stock, received, terminal_stock
from tests.store_helpers import on_cart, qty_at
from wms.hub.master import upsert
from wms.hub.supervision.decisions import change_status
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.counting import Counted, record_count, start_count
from wms.services.picking import Pick, pick
from wms.services.receiving import Receive, receive
from wms.services.stock_control import adjust
from wms.sync import outbox
from wms.sync.client import SyncFailed, SyncSummary

SKU = "SKU-01401"


def _receive(t: Terminal, units: int) -> None:
    receive(t.ctx, logon_badge(t.ctx, "OP0001"), Receive(ean13(1401), units, location="DOCK-01"))


def test_another_terminals_receipt_shows_after_sync(make_terminal: Callable[[], Terminal]) -> None:
    first, second = make_terminal(), make_terminal()
    _receive(first, 3)
    first.client().sync()
    summary = second.client().sync()
    assert summary.pulled > 0
    assert qty_at(second.ctx, "DOCK-01", SKU) == 3


def test_a_pull_keeps_the_terminals_unsynced_ops(
    make_terminal: Callable[[], Terminal], hub_engine: Engine
) -> None:
    first, second = make_terminal(), make_terminal()
    _receive(first, 3)
    first.client().sync()
    _receive(second, 2)  # not pushed yet
    second.client().pull(SyncSummary())
    assert qty_at(second.ctx, "DOCK-01", SKU) == 5
    assert len(outbox.pending(second.ctx.engine, 10)) == 1
    second.client().sync()
    first.client().sync()
    assert terminal_stock(first.ctx.engine) == hub_stock(hub_engine)
    assert terminal_stock(second.ctx.engine) == hub_stock(hub_engine)


def test_the_cursor_never_skips_a_change_that_commits_late(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    headers = terminal.client().headers
    page = {"cursor": "", "more": True}
    while page["more"]:  # read the feed to its end
        page = hub.get("/v1/pull", params={"cursor": page["cursor"]}, headers=headers).json()
    cursor = page["cursor"]
    slow, fast = hub_engine.connect(), hub_engine.connect()
    slow_tx = slow.begin()
    upsert(slow, "product", [{"sku": "SKU-LATE", "name": "Committed last"}], "DEMO")
    with fast.begin():
        upsert(fast, "product", [{"sku": "SKU-EARLY", "name": "Committed first"}], "DEMO")
    while_open = hub.get("/v1/pull", params={"cursor": cursor}, headers=headers).json()
    slow_tx.commit()
    after = hub.get("/v1/pull", params={"cursor": while_open["cursor"]}, headers=headers).json()
    slow.close()
    fast.close()
    seen = [c["key"] for c in while_open["changes"] + after["changes"]]
    assert sorted(seen) == ["SKU-EARLY", "SKU-LATE"]


def test_an_unknown_cursor_starts_over_and_stock_still_agrees(
    make_terminal: Callable[[], Terminal], hub_engine: Engine
) -> None:
    terminal = make_terminal()
    _receive(terminal, 4)
    terminal.client().sync()
    with terminal.ctx.engine.begin() as conn:  # a cursor from a hub database rebuilt since
        conn.execute(text("UPDATE syncstate SET pull_cursor = 'another-feed:99:99'"))
    summary = terminal.client().sync()
    assert summary.reset
    assert terminal_stock(terminal.ctx.engine) == hub_stock(hub_engine)


def test_a_pick_of_stock_recalled_at_the_hub_is_kept_and_flagged(
    make_terminal: Callable[[], Terminal], hub_engine: Engine
) -> None:
    terminal = make_terminal()
    terminal.client().sync()
    with hub_engine.begin() as conn:  # recalled at the hub while the terminal is offline
        change_status(conn, "DEMO", "SKU-00001", "recalled", lot="L2601")
    alice = logon_badge(terminal.ctx, "OP0001")
    on_cart(terminal.ctx, "PT-0001", "CART-01", "TOTE0001")
    pick(terminal.ctx, alice, Pick("PT-0001", 1, "A-01-01-A-1", ean13(1), 4, lot="L2601"))
    summary = terminal.client().sync()
    assert summary.exceptions >= 1
    assert "pick_of_held_stock" in exception_kinds(hub_engine)
    assert len(received(hub_engine)) == 1  # a fact: recorded, not refused
    assert qty_at(terminal.ctx, "A-01-01-A-1", "SKU-00001", "L2601", "recalled") == 40
    assert terminal_stock(terminal.ctx.engine) == hub_stock(hub_engine)


def test_offline_terminals_taking_the_same_stock_go_negative_with_an_exception(
    make_terminal: Callable[[], Terminal], hub_engine: Engine
) -> None:
    first, second = make_terminal(), make_terminal()
    for t in (first, second):
        sam = logon_badge(t.ctx, "OP0009")
        adjust(t.ctx, sam, "A-01-03-A-1", SKU, delta=-20, reason="damaged")
    first.client().sync()
    second.client().sync()
    first.client().sync()
    assert "negative_stock" in exception_kinds(hub_engine)
    for t in (first, second):
        assert qty_at(t.ctx, "A-01-03-A-1", SKU) == -15
        assert terminal_stock(t.ctx.engine) == hub_stock(hub_engine)


def test_a_count_is_an_observation_not_a_copy_of_the_terminals_books(
    make_terminal: Callable[[], Terminal], hub_engine: Engine
) -> None:
    counter, picker = make_terminal(), make_terminal()
    sam = logon_badge(picker.ctx, "OP0009")
    adjust(picker.ctx, sam, "A-01-03-A-1", SKU, delta=-5, reason="damaged")  # 25 -> 20
    picker.client().sync()
    counter.ctx.clock = lambda: NOW + timedelta(hours=1)  # counts later, without having synced
    alice = logon_badge(counter.ctx, "OP0001")
    for _ in range(2):  # the counter's books say 25: a variance, so a recount, then accepted
        start_count(counter.ctx, alice, "CT-0002", "A-01-03-A-1")
        record_count(counter.ctx, alice, "CT-0002", [Counted(SKU, 20)])
    counter.client().sync()
    picker.client().sync()
    assert hub_stock(hub_engine)[(SKU, "A-01-03-A-1", "", "", "available")] == 20
    for t in (counter, picker):
        assert qty_at(t.ctx, "A-01-03-A-1", SKU) == 20


def test_a_first_pull_cut_half_way_keeps_the_stock_shown_and_the_next_one_finishes_it(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    gone = ("A-01-03-A-1", SKU)  # 25 units on the terminal's seed; the hub never had them
    with hub_engine.begin() as conn:
        conn.execute(
            text("DELETE FROM on_hand WHERE sku = :s AND location = :l"), {"s": SKU, "l": gone[0]}
        )
        conn.execute(
            text("DELETE FROM change WHERE kind = 'stock' AND key LIKE :k"),
            {"k": f"{SKU}|{gone[0]}|%"},
        )
    terminal = make_terminal()
    http, faults = faulty_client(hub)
    faults.pass_first, faults.drop_requests = 1, 1  # the first page arrives, then the network goes
    with pytest.raises(SyncFailed):
        terminal.client(http).pull(SyncSummary())
    # Half-way, an operator still sees the last known stock, not an empty warehouse.
    assert qty_at(terminal.ctx, *gone) == 25
    assert qty_at(terminal.ctx, "A-01-01-A-1", "SKU-00001") > 0
    terminal.client().sync()
    assert qty_at(terminal.ctx, *gone) == 0  # swept at the end of the full read
    assert terminal_stock(terminal.ctx.engine) == hub_stock(hub_engine)
