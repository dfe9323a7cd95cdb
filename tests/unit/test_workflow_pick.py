"""Picking as a state machine: the cart and its totes, stops in walking order, FEFO, held lots,
short picks, and cluster picks into the right tote."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.store_helpers import qty_at
from tests.tui.session_helpers import APPAREL, COSMETIC, FORMULA, gs1, run, run_ok, session_at
from wms.seed.floor import stage_demo_floor
from wms.services.context import Context
from wms.store.documents import CountTask
from wms.store.people import ExceptionRecord
from wms.workflows.base import Level

CART = ("CART-01", "TOTE0001")  # the cart and the tote of PT-0001's one order


def test_walks_the_task_and_picks_every_line(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    assert run_ok(s, "PT-0001").prompt == "Take a cart for PT-0001: scan it"
    prompt = "Put an empty tote on the cart for SO-2026-0001 (slot 1): scan it"
    assert run_ok(s, "CART-01").prompt == prompt
    view = run_ok(s, "TOTE0001")
    assert (view.prompt, view.progress) == ("Go to A-01-01-A-1, scan the bin", "1/3")
    run_ok(s, "A-01-01-A-1", "type 4", gs1(FORMULA, "L2601", "270611"))
    assert s.view().prompt == "Go to A-01-02-A-1, scan the bin"
    run_ok(s, "A-01-02-A-1", gs1(COSMETIC, "C-OK1", "281023"), gs1(COSMETIC, "C-OK1", "281023"))
    view = run_ok(s, "A-01-03-A-1", "type 3", APPAREL)
    assert s.screen == "menu"
    assert view.result == "Picked 3 SKU-01401 · task PT-0001 done"
    assert qty_at(ctx, "A-01-01-A-1", "SKU-00001", lot="L2601") == 36
    assert qty_at(ctx, "A-01-02-A-1", "SKU-00301", lot="C-OK1") == 18
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 22
    # Picked units stay in the building: in the tote on the cart.
    assert qty_at(ctx, "CART-01", "SKU-00001", lot="L2601", container="TOTE0001") == 4
    assert qty_at(ctx, "CART-01", "SKU-00301", lot="C-OK1", container="TOTE0001") == 2
    assert qty_at(ctx, "CART-01", "SKU-01401", container="TOTE0001") == 3


def test_fefo_refuses_the_later_lot_and_says_which_to_take(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    view = run(s, "PT-0001", *CART, "A-01-01-A-1", gs1(FORMULA, "L2602", "271228"))
    assert view.level is Level.ERROR
    assert view.result == "FEFO: pick lot L2601 first (expires 2027-06-11)"
    assert qty_at(ctx, "A-01-01-A-1", "SKU-00001", lot="L2602") == 40


def test_recalled_lot_is_refused(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    run_ok(s, "PT-0001", *CART, "A-01-01-A-1", "type 4", gs1(FORMULA, "L2601", "270611"))
    view = run(s, "A-01-02-A-1", gs1(COSMETIC, "C-RC1", "280903"))
    assert view.result == "Lot C-RC1 is recalled: do not pick"


def test_wrong_bin_is_refused_with_the_right_one(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    view = run(s, "PT-0001", *CART, "A-04-05-C-2")
    assert view.result == "Wrong bin: go to A-01-01-A-1"


def test_plain_ean_asks_for_the_lot(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    assert run_ok(s, "PT-0001", *CART, "A-01-01-A-1", FORMULA).prompt == "Scan or type the lot"
    assert run_ok(s, "type L2601").result == "Picked 1 SKU-00001"


def test_empty_bin_command_records_a_short_pick_and_a_count(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    view = run_ok(s, "PT-0001", *CART, "A-01-01-A-1", "#EMPTY")
    assert view.result.startswith("Short 4 SKU-00001: count CT-S")
    assert view.prompt == "Go to A-01-02-A-1, scan the bin"
    with Session(ctx.engine) as db:
        assert "bin empty" in db.exec(select(ExceptionRecord)).one().message
        assert db.exec(select(CountTask).where(CountTask.number.startswith("CT-S"))).one()  # type: ignore[attr-defined]


def test_short_command_asks_for_a_typed_reason(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    assert run_ok(s, "PT-0001", *CART, "A-01-01-A-1", "#SHORT").prompt.startswith("Why short?")
    assert run_ok(s, "type label torn").result.startswith("Short 4 SKU-00001")


def test_a_partial_pick_shows_what_is_left_on_the_line(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    view = run_ok(s, "PT-0001", *CART, "A-01-01-A-1", gs1(FORMULA, "L2601", "270611"))
    assert "Left 3" in view.context
    assert view.prompt == "Pick 3 × SKU-00001: scan it"


def test_the_stop_names_the_lot_and_expiry_to_take(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    view = run_ok(s, "PT-0001", *CART)
    assert "Take lot L2601 exp 2027-06-11" in view.context


def test_after_a_fefo_refusal_the_lot_it_named_can_be_typed(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    run(s, "PT-0001", *CART, "A-01-01-A-1", gs1(FORMULA, "L2602", "271228"))
    assert run_ok(s, "key ENTER").prompt == "Scan or type the lot"
    assert run_ok(s, "type L2601").result == "Picked 1 SKU-00001"


def test_a_cart_scan_starts_the_offered_task(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    assert s.view().prompt == "Take a cart for PT-0001: scan it"
    view = run_ok(s, "CART-02")
    assert (view.step, view.result) == ("tote", "Task PT-0001 on cart CART-02")


def test_a_bin_is_not_a_cart(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    assert run(s, "A-01-01-A-1").result == "A-01-01-A-1 is not a cart: scan your cart's label"


def test_the_offered_tasks_first_bin_resumes_it_once_its_cart_is_loaded(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    run_ok(s, "PT-0001", *CART, "key F3", "key F3")
    s = session_at(ctx, "pick")
    view = run_ok(s, "A-01-01-A-1")
    assert (view.step, view.progress) == ("product", "1/3")


def test_a_tote_holding_another_order_is_refused(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    run_ok(s, "PT-0001", *CART, "A-01-01-A-1", gs1(FORMULA, "L2601", "270611"))
    other = session_at(ctx, "pick", "OP0002")
    view = run(other, "PT-0002", "CART-02", "TOTE0001")
    assert view.result == "TOTE0001 still holds order SO-2026-0001: pack it first"


def test_a_tote_already_on_an_open_tasks_cart_is_refused(ctx: Context) -> None:
    run_ok(session_at(ctx, "pick"), "PT-0001", *CART)
    view = run(session_at(ctx, "pick", "OP0002"), "PT-0002", "CART-02", "TOTE0001")
    assert view.result == "TOTE0001 is on the cart of task PT-0001: take another"


def test_a_cluster_task_puts_each_orders_units_into_its_own_tote(ctx: Context) -> None:
    stage_demo_floor(ctx.engine)
    s = session_at(ctx, "pick")
    view = run_ok(s, "PT-W1-0001", "CART-02", "TOTE0002", "TOTE0003", "A-01-02-A-1")
    assert view.context[-1] == "Into TOTE0002 (slot 1) SO-2026-0002"
    view = run_ok(s, gs1(COSMETIC, "C-OK1", "281023"))
    assert view.prompt == "Into tote TOTE0002 (slot 1): scan it"
    refused = run(s, "TOTE0003")
    assert refused.result == "TOTE0003 is SO-2026-0003's: put it in TOTE0002 (slot 1)"
    assert qty_at(ctx, "CART-02", "SKU-00301") == 0  # nothing moved by the wrong tote
    assert run_ok(s, "key ENTER", "TOTE0002").result == "Picked 1 SKU-00301 into TOTE0002"
    # Both orders' shirts in one bin: one bin scan, then each into its own tote.
    run_ok(s, "A-01-03-A-1", APPAREL, "TOTE0002")
    view = run_ok(s, APPAREL, "TOTE0003", APPAREL, "TOTE0003")
    assert view.result == "Picked 1 SKU-01401 into TOTE0003 · task PT-W1-0001 done"
    assert qty_at(ctx, "CART-02", "SKU-00301", container="TOTE0002") == 1
    assert qty_at(ctx, "CART-02", "SKU-01401", container="TOTE0002") == 1
    assert qty_at(ctx, "CART-02", "SKU-01401", container="TOTE0003") == 2


def test_a_cluster_pick_checks_the_lot_before_asking_for_the_tote(ctx: Context) -> None:
    stage_demo_floor(ctx.engine)
    s = session_at(ctx, "pick")
    run_ok(s, "PT-W1-0001", "CART-02", "TOTE0002", "TOTE0003", "A-01-02-A-1")
    assert run(s, gs1(COSMETIC, "C-RC1", "280903")).result == "Lot C-RC1 is recalled: do not pick"
    assert run_ok(s, "key ENTER").prompt == "Pick 1 × SKU-00301: scan it"
    assert qty_at(ctx, "CART-02", "SKU-00301") == 0


def test_a_done_task_is_refused_when_scanned(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    run_ok(
        s,
        "PT-0001",
        *CART,
        "A-01-01-A-1",
        "#EMPTY",
        "A-01-02-A-1",
        "#EMPTY",
        "A-01-03-A-1",
        "#EMPTY",
    )
    s = session_at(ctx, "pick")
    assert run(s, "PT-0001").result == "Task PT-0001 is done"
