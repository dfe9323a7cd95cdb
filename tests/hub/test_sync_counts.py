"""Counts are observations of a bin: the hub books the difference from its own ledger as of the
count's start, on the keys that really hold the stock, and never loses master data doing so."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.conftest import NOW
from tests.hub.conftest import HubClock, Terminal
from tests.hub.hub_queries import exception_kinds, hub_stock, terminal_stock
from tests.hub.supervisor_helpers import supervisor_headers
from tests.store_helpers import qty_at
from wms.services.auth import logon_badge
from wms.services.context import Context
from wms.services.counting import Counted, record_count, start_count
from wms.services.moving import Move, move
from wms.sync.apply import apply_page, warehouse_id
from wms.sync.wire import Change

SKU, BIN, SHELF = "SKU-00001", "A-01-01-A-1", "A-01-04-A-1"  # 40 of L2601 and 40 of L2602 in BIN
EXPIRY = date(2027, 6, 11)  # L2601's: it expires first, so FEFO sends pickers to it


def _lot_expiry_at_hub(hub_engine: Engine, lot: str) -> date | None:
    with hub_engine.connect() as conn:
        q = text("SELECT expiry FROM lot WHERE sku = :s AND code = :c")
        found: date | None = conn.execute(q, {"s": SKU, "c": lot}).scalar_one()
        return found


def _lot_expiry_on(store: Engine, lot: str) -> str | None:
    with store.connect() as conn:
        q = text(
            "SELECT lot.expiry FROM lot JOIN product p ON p.id = lot.product_id"
            " WHERE p.sku = :s AND lot.code = :c"
        )
        found = conn.execute(q, {"s": SKU, "c": lot}).scalar_one()
        return None if found is None else str(found)[:10]


def test_a_count_against_a_moving_ledger_keeps_every_lot_and_its_expiry(
    make_terminal: Callable[[], Terminal], hub_engine: Engine
) -> None:
    mover, counter = make_terminal(), make_terminal()
    alice = logon_badge(mover.ctx, "OP0001")
    move(mover.ctx, alice, Move(SKU, 5, BIN, SHELF, lot="L2601", reason="consolidate"))
    mover.client().sync()
    # The counter has not synced: its books still say 40 + 40, and that is what it finds (the
    # five came back before it counted). Its own books see no variance, so its op moves nothing.
    counter.ctx.clock = lambda: NOW + timedelta(hours=1)
    bob = logon_badge(counter.ctx, "OP0001")
    start_count(counter.ctx, bob, "CT-0001", BIN)
    record_count(
        counter.ctx, bob, "CT-0001", [Counted(SKU, 40, "L2601"), Counted(SKU, 40, "L2602")]
    )
    counter.client().sync()
    mover.client().sync()
    # The hub booked +5 of L2601 in the bin against its ledger: a variance, nothing unknown.
    assert exception_kinds(hub_engine) == ["count_variance"]
    assert hub_stock(hub_engine)[(SKU, BIN, "L2601", "", "available")] == 40
    assert _lot_expiry_at_hub(hub_engine, "L2601") == EXPIRY
    for t in (mover, counter):
        assert _lot_expiry_on(t.ctx.engine, "L2601") == EXPIRY.isoformat()
        assert qty_at(t.ctx, BIN, SKU, "L2601") == 40
        assert terminal_stock(t.ctx.engine) == hub_stock(hub_engine)


def test_a_counted_loss_comes_off_the_stock_the_hub_holds_not_the_status_the_terminal_knew(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    counter = make_terminal()
    recalled = hub.post(  # the hub recalls L2601: its 40 in the bin are recalled, not available
        "/v1/supervisor/recalls",
        json={"warehouse": "DEMO", "sku": SKU, "lot": "L2601", "why": "supplier notice"},
        headers=supervisor_headers(hub_engine),
    )
    assert recalled.status_code == 200, recalled.text
    counter.ctx.clock = lambda: NOW + timedelta(hours=1)  # not synced since: L2601 available
    bob = logon_badge(counter.ctx, "OP0001")
    for _ in range(2):  # 5 missing: a recount, then accepted, booked on available stock
        start_count(counter.ctx, bob, "CT-0001", BIN)
        record_count(
            counter.ctx, bob, "CT-0001", [Counted(SKU, 35, "L2601"), Counted(SKU, 40, "L2602")]
        )
    counter.client().sync()
    stock = hub_stock(hub_engine)
    assert stock[(SKU, BIN, "L2601", "", "recalled")] == 35
    assert (SKU, BIN, "L2601", "", "available") not in stock  # never taken negative
    assert exception_kinds(hub_engine) == ["count_variance"]
    assert terminal_stock(counter.ctx.engine) == stock


def test_a_terminal_whose_clock_is_years_ahead_does_not_turn_a_good_count_into_a_variance(
    make_terminal: Callable[[], Terminal], hub_engine: Engine, hub_clock: HubClock
) -> None:
    mover, counter = make_terminal(), make_terminal()
    mover.ctx.clock = lambda: NOW + timedelta(days=3 * 365)  # its clock battery gave out
    alice = logon_badge(mover.ctx, "OP0001")
    move(mover.ctx, alice, Move("SKU-01401", 5, "A-01-03-A-1", SHELF, reason="consolidate"))
    hub_clock.now = NOW + timedelta(minutes=30)
    mover.client().sync()  # the hub has the move half an hour before the count starts
    counter.ctx.clock = lambda: NOW + timedelta(hours=1)
    bob = logon_badge(counter.ctx, "OP0001")
    for _ in range(2):  # the counter has not synced: its books say 25, it finds 20
        start_count(counter.ctx, bob, "CT-0002", "A-01-03-A-1")
        record_count(counter.ctx, bob, "CT-0002", [Counted("SKU-01401", 20)])
    hub_clock.now = NOW + timedelta(hours=2)
    counter.client().sync()
    # The move is in the hub's books before the count began: 20 is no variance, and the 5
    # are not taken off twice.
    assert exception_kinds(hub_engine) == ["device_clock"]
    assert hub_stock(hub_engine)[("SKU-01401", "A-01-03-A-1", "", "", "available")] == 20
    mover.client().sync()  # one exception per wrong clock, not one per sync
    assert exception_kinds(hub_engine) == ["device_clock"]
    for t in (mover, counter):
        t.client().sync()
        assert terminal_stock(t.ctx.engine) == hub_stock(hub_engine)


def test_a_count_made_on_a_wrong_clock_is_taken_as_of_its_arrival(
    make_terminal: Callable[[], Terminal], hub_engine: Engine, hub_clock: HubClock
) -> None:
    mover, counter = make_terminal(), make_terminal()
    counter.ctx.clock = lambda: NOW - timedelta(days=20 * 365)  # reset to the year 2006
    bob = logon_badge(counter.ctx, "OP0001")
    for _ in range(2):  # as of 2006 its own books are empty: a recount, then accepted
        start_count(counter.ctx, bob, "CT-0002", "A-01-03-A-1")
        record_count(counter.ctx, bob, "CT-0002", [Counted("SKU-01401", 25)])
    alice = logon_badge(mover.ctx, "OP0001")
    move(mover.ctx, alice, Move("SKU-01401", 5, "A-01-03-A-1", SHELF, reason="consolidate"))
    mover.client().sync()
    counter.client().sync()
    # As of 2006 the bin held nothing: the count would have booked +25. Placed at its arrival
    # (after the move), it finds 5 more than the books: the observation, exactly.
    assert exception_kinds(hub_engine) == ["device_clock", "count_variance"]
    assert hub_stock(hub_engine)[("SKU-01401", "A-01-03-A-1", "", "", "available")] == 25
    counter.client().sync()
    assert terminal_stock(counter.ctx.engine) == hub_stock(hub_engine)


def test_a_pulled_lot_without_an_expiry_never_erases_the_one_the_terminal_knows(
    ctx: Context,
) -> None:
    wh = warehouse_id(ctx.engine, "DEMO")
    bare = {"sku": SKU, "code": "L2601", "expiry": None}
    apply_page(ctx.engine, [Change(kind="lot", key=f"{SKU}|L2601", body=bare)], wh)
    assert _lot_expiry_on(ctx.engine, "L2601") == EXPIRY.isoformat()
