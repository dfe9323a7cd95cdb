"""A recall at the hub reaches every terminal at its next sync: picks of the lot are refused,
open pick tasks move to good stock, pick-to-quarantine tasks appear, and a pick made before the
terminal heard of the recall is kept as a fact and raised as an exception."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.hub.conftest import Terminal
from tests.hub.hub_queries import hub_stock, terminal_stock
from tests.hub.supervisor_helpers import decisions, place_stock, supervisor_headers
from tests.store_helpers import on_cart, qty_at
from wms.domain.errors import StockUnavailable
from wms.seed.demo import DEMO_TODAY
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.counting import Counted, record_count, start_count
from wms.services.moving import Move, move
from wms.services.picking import Pick, pick
from wms.services.receiving import Receive, receive
from wms.services.views import open_move_tasks

FORMULA, COSMETIC = "SKU-00001", "SKU-00301"


def _recall(hub: TestClient, engine: Engine, **body: object) -> dict[str, object]:
    sent = {"warehouse": "DEMO", "why": "supplier notice 2026-11", **body}
    reply = hub.post("/v1/supervisor/recalls", json=sent, headers=supervisor_headers(engine))
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def _line_bin(t: Terminal, task: str, seq: int) -> str:
    with t.ctx.engine.connect() as conn:
        q = text(
            "SELECT loc.code FROM picktaskline l JOIN picktask t ON t.id = l.task_id"
            " JOIN location loc ON loc.id = l.location_id WHERE t.number = :n AND l.seq = :s"
        )
        return str(conn.execute(q, {"n": task, "s": seq}).scalar_one())


def test_a_recalled_lot_is_refused_on_the_terminal_and_the_good_lot_is_picked(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    done = _recall(hub, hub_engine, sku=FORMULA, lot="L2601")
    assert done["units"] == 40
    assert done["quarantine_tasks"] == [f"RM-{done['decision']}-1"]
    terminal.client().sync()
    alice = logon_badge(terminal.ctx, "OP0001")
    on_cart(terminal.ctx, "PT-0001", "CART-01", "TOTE0001")
    with pytest.raises(StockUnavailable, match="recalled"):
        pick(terminal.ctx, alice, Pick("PT-0001", 1, "A-01-01-A-1", ean13(1), 4, lot="L2601"))
    pick(terminal.ctx, alice, Pick("PT-0001", 1, "A-01-01-A-1", ean13(1), 4, lot="L2602"))
    terminal.client().sync()
    assert qty_at(terminal.ctx, "A-01-01-A-1", FORMULA, "L2601", "recalled") == 40
    assert terminal_stock(terminal.ctx.engine) == hub_stock(hub_engine)
    assert decisions(hub_engine) == [("recall", "maria", "supplier notice 2026-11")]


def test_a_recall_moves_open_pick_lines_to_a_bin_with_good_stock(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    place_stock(hub_engine, COSMETIC, "A-01-01-B-1", "C-OK2", qty=12, expiry="2028-06-01")
    done = _recall(hub, hub_engine, sku=COSMETIC, lot="C-OK1")
    assert done["replanned"] == ["PT-0001"]
    terminal.client().sync()
    assert _line_bin(terminal, "PT-0001", 2) == "A-01-01-B-1"
    alice = logon_badge(terminal.ctx, "OP0001")
    on_cart(terminal.ctx, "PT-0001", "CART-01", "TOTE0001")
    pick(terminal.ctx, alice, Pick("PT-0001", 2, "A-01-01-B-1", ean13(301), 2, lot="C-OK2"))
    terminal.client().sync()
    assert qty_at(terminal.ctx, "A-01-01-B-1", COSMETIC, "C-OK2") == 10
    with hub_engine.connect() as conn:  # one pick-to-quarantine task for the recalled bin
        moves = conn.execute(
            text("SELECT body FROM document WHERE kind = 'recall_move' ORDER BY number")
        ).scalars()
        assert [(b["location"], b["lot"], b["qty"], b["to"]) for b in moves] == [
            ("A-01-02-A-1", "C-OK1", 20, "QA-01")
        ]


def test_recall_of_every_lot_from_a_supplier(hub: TestClient, hub_engine: Engine) -> None:
    with hub_engine.connect() as conn:
        supplier = conn.execute(text("SELECT supplier FROM product WHERE sku = :s"), {"s": FORMULA})
        name = supplier.scalar_one()
    _recall(hub, hub_engine, sku=FORMULA, supplier=name)
    statuses = {k[4] for k in hub_stock(hub_engine) if k[0] == FORMULA}
    assert statuses == {"recalled"}
    wrong = {"warehouse": "DEMO", "why": "x", "sku": FORMULA, "supplier": "Someone Else"}
    reply = hub.post("/v1/supervisor/recalls", json=wrong, headers=supervisor_headers(hub_engine))
    assert reply.json()["code"] == "bad_recall"


def test_a_pick_made_before_the_terminal_heard_of_the_recall_is_an_exception(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    terminal.client().sync()
    _recall(hub, hub_engine, sku=FORMULA, lot="L2601")  # while the terminal is offline
    alice = logon_badge(terminal.ctx, "OP0001")
    on_cart(terminal.ctx, "PT-0001", "CART-01", "TOTE0001")
    pick(terminal.ctx, alice, Pick("PT-0001", 1, "A-01-01-A-1", ean13(1), 4, lot="L2601"))
    assert terminal.client().sync().exceptions >= 1
    with hub_engine.connect() as conn:
        raised = conn.execute(
            text("SELECT message, details FROM hub_exception WHERE kind = 'pick_of_held_stock'")
        ).one()
    assert raised.message == f"{FORMULA} picked from held stock at A-01-01-A-1"
    assert raised.details["lot"] == "L2601"


def test_the_pick_to_quarantine_task_reaches_the_terminal_and_is_done_by_moving(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    _recall(hub, hub_engine, sku=COSMETIC, lot="C-OK1")
    terminal.client().sync()
    task = "MOVE 20 SKU-00301 lot C-OK1 from A-01-02-A-1 to QA-01"
    assert task in open_move_tasks(terminal.ctx)
    alice = logon_badge(terminal.ctx, "OP0001")
    move(terminal.ctx, alice, Move(ean13(301), 20, "A-01-02-A-1", "QA-01", lot="C-OK1"))
    assert task not in open_move_tasks(terminal.ctx)
    terminal.client().sync()
    assert qty_at(terminal.ctx, "QA-01", COSMETIC, "C-OK1") == 20


def test_a_lot_received_after_its_recall_arrives_recalled(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    _recall(hub, hub_engine, sku=COSMETIC, lot="C-OK1")
    terminal.client().sync()
    alice = logon_badge(terminal.ctx, "OP0001")
    expiry = DEMO_TODAY + timedelta(days=700)  # the lot's own expiry
    receive(
        terminal.ctx, alice, Receive(ean13(301), 5, location="DOCK-01", lot="C-OK1", expiry=expiry)
    )
    terminal.client().sync()
    assert qty_at(terminal.ctx, "DOCK-01", COSMETIC, "C-OK1", status="recalled") == 5
    assert qty_at(terminal.ctx, "DOCK-01", COSMETIC, "C-OK1", status="available") == 0
    with hub_engine.connect() as conn:
        kinds = conn.execute(text("SELECT kind FROM hub_exception")).scalars().all()
    assert "received_recalled_lot" in kinds


def test_a_recount_heals_the_split_a_pick_before_the_recall_left(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    bonded, lot, key = "BND-01-01-A-1", "L2610", ("SKU-00002", "BND-01-01-A-1", "L2610", "")
    terminal = make_terminal()
    terminal.client().sync()
    _recall(hub, hub_engine, sku="SKU-00002", lot=lot)  # while the terminal is offline
    alice = logon_badge(terminal.ctx, "OP0001")
    on_cart(terminal.ctx, "PT-0002", "CART-02", "TOTE0002")
    pick(terminal.ctx, alice, Pick("PT-0002", 1, bonded, ean13(2), 6, lot=lot))
    terminal.client().sync()
    split = {(*key, "recalled"): 30, (*key, "customs_hold"): -6}  # 24 units are there
    assert {k: v for k, v in hub_stock(hub_engine).items() if k[:3] == key[:3]} == split
    assert {
        k: v for k, v in terminal_stock(terminal.ctx.engine).items() if k[:3] == key[:3]
    } == split
    # The supervisor answers the negative figure with a recount; the counter finds 24.
    with hub_engine.connect() as conn:
        negative = conn.execute(
            text("SELECT id FROM hub_exception WHERE kind = 'negative_stock'")
        ).scalar_one()
    reply = hub.post(
        f"/v1/supervisor/exceptions/{negative}/resolve",
        json={"action": "recount", "why": "count what is there"},
        headers=supervisor_headers(hub_engine),
    )
    assert reply.status_code == 200, reply.text
    terminal.client().sync()
    count = f"CT-X{negative}"
    start_count(terminal.ctx, alice, count, bonded)
    record_count(terminal.ctx, alice, count, [Counted(ean13(2), 24, lot)])
    terminal.client().sync()
    healed = {(*key, "recalled"): 24}
    assert {k: v for k, v in hub_stock(hub_engine).items() if k[:3] == key[:3]} == healed
    assert terminal_stock(terminal.ctx.engine) == hub_stock(hub_engine)
