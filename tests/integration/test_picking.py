"""Picking: walk order, bin and product verification, FEFO, held stock, short picks."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.store_helpers import on_cart, op_count, qty_at
from wms.domain.errors import (
    DocumentClosed,
    InvalidQuantity,
    LotRefused,
    ReasonRequired,
    StockUnavailable,
    UnknownCode,
    WrongLocation,
)
from wms.seed.gtins import ean13
from wms.services.context import Actor, Context
from wms.services.inquiry import inquire
from wms.services.moving import Move, move, move_container
from wms.services.picking import Pick, next_stop, pick, short_pick
from wms.services.receiving import Receive, receive
from wms.services.stock_control import change_status
from wms.store.documents import CountTask, PickTask
from wms.store.people import ExceptionRecord


@pytest.fixture(autouse=True)
def carts_loaded(ctx: Context) -> None:
    """Both demo tasks on their carts, a tote each: picks go into them."""
    on_cart(ctx, "PT-0001", "CART-01", "TOTE0001")
    on_cart(ctx, "PT-0002", "CART-02", "TOTE0002")


FORMULA = ean13(1)
COSMETIC = ean13(301)
SHIRT = ean13(1401)


def test_the_task_is_walked_in_pick_sequence(ctx: Context) -> None:
    stop = next_stop(ctx, "PT-0001")
    assert stop is not None
    assert (stop.location, stop.sku, stop.qty, stop.done_lines, stop.total_lines) == (
        "A-01-01-A-1",
        "SKU-00001",
        4,
        0,
        3,
    )


def test_a_whole_task_picked_takes_the_stock_and_closes_it(ctx: Context, alice: Actor) -> None:
    pick(ctx, alice, Pick("PT-0001", 1, "A-01-01-A-1", FORMULA, 4, lot="L2601"))
    pick(ctx, alice, Pick("PT-0001", 2, "A-01-02-A-1", COSMETIC, 2, lot="C-OK1"))
    last = pick(ctx, alice, Pick("PT-0001", 3, "A-01-03-A-1", SHIRT, 3))
    assert last.task_done
    with pytest.raises(DocumentClosed, match="done"):
        next_stop(ctx, "PT-0001")
    assert qty_at(ctx, "A-01-01-A-1", "SKU-00001", lot="L2601") == 36
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 22
    # Still in the building: in the tote on the cart, in their status.
    assert qty_at(ctx, "CART-01", "SKU-00001", lot="L2601", container="TOTE0001") == 4
    assert qty_at(ctx, "CART-01", "SKU-01401", container="TOTE0001") == 3


def test_the_wrong_bin_is_refused_with_where_to_go(ctx: Context, alice: Actor) -> None:
    with pytest.raises(WrongLocation, match="go to A-01-01-A-1"):
        pick(ctx, alice, Pick("PT-0001", 1, "A-01-02-A-1", FORMULA, 1, lot="L2601"))


def test_the_wrong_product_is_refused(ctx: Context, alice: Actor) -> None:
    with pytest.raises(UnknownCode, match="pick SKU-00001"):
        pick(ctx, alice, Pick("PT-0001", 1, "A-01-01-A-1", SHIRT, 1))


def test_fefo_refuses_the_later_lot_and_names_the_right_one(ctx: Context, alice: Actor) -> None:
    before = op_count(ctx)
    with pytest.raises(LotRefused, match="pick lot L2601 first"):
        pick(ctx, alice, Pick("PT-0001", 1, "A-01-01-A-1", FORMULA, 1, lot="L2602"))
    assert op_count(ctx) == before


def test_a_later_lot_with_a_reason_is_allowed(ctx: Context, alice: Actor) -> None:
    pick(
        ctx,
        alice,
        Pick(
            "PT-0001", 1, "A-01-01-A-1", FORMULA, 1, lot="L2602", reason="L2601 blocked by pallet"
        ),
    )
    assert qty_at(ctx, "A-01-01-A-1", "SKU-00001", lot="L2602") == 39


def test_a_recalled_lot_is_never_picked(ctx: Context, alice: Actor) -> None:
    with pytest.raises(StockUnavailable, match="recalled"):
        pick(ctx, alice, Pick("PT-0001", 2, "A-01-02-A-1", COSMETIC, 1, lot="C-RC1", reason="x"))


def test_a_hold_placed_after_planning_stops_the_pick(
    ctx: Context, alice: Actor, sam: Actor
) -> None:
    change_status(ctx, sam, FORMULA, "quarantine", "QC sample", lot="L2601")  # type: ignore[arg-type]
    with pytest.raises(StockUnavailable, match="L2601 is quarantine: do not pick"):
        pick(ctx, alice, Pick("PT-0001", 1, "A-01-01-A-1", FORMULA, 1, lot="L2601"))


def test_customs_hold_stock_goes_only_to_re_export(ctx: Context, alice: Actor) -> None:
    got = pick(ctx, alice, Pick("PT-0002", 1, "BND-01-01-A-1", ean13(2), 6, lot="L2610"))
    assert got.task_done
    assert qty_at(ctx, "BND-01-01-A-1", "SKU-00002", status="customs_hold") == 24
    # Picked bonded goods stay under customs control on the cart until they leave.
    assert qty_at(ctx, "CART-02", "SKU-00002", status="customs_hold", container="TOTE0002") == 6


def test_picking_more_than_the_line_asks_is_refused(ctx: Context, alice: Actor) -> None:
    with pytest.raises(InvalidQuantity, match="Only 3 left"):
        pick(ctx, alice, Pick("PT-0001", 3, "A-01-03-A-1", SHIRT, 4))


def test_short_pick_raises_an_exception_and_a_count_task(ctx: Context, alice: Actor) -> None:
    pick(ctx, alice, Pick("PT-0001", 3, "A-01-03-A-1", SHIRT, 1))
    with pytest.raises(ReasonRequired):
        short_pick(ctx, alice, "PT-0001", 3, "")
    got = short_pick(ctx, alice, "PT-0001", 3, "bin empty")
    assert got.short_qty == 2
    with Session(ctx.engine) as s:
        exc = s.exec(select(ExceptionRecord)).one()
        assert "Short 2 SKU-01401 at A-01-03-A-1" in exc.message
        assert s.exec(select(CountTask).where(CountTask.number == got.count_task)).one()


def test_a_lot_tracked_pick_needs_the_lot(ctx: Context, alice: Actor) -> None:
    with pytest.raises(LotRefused, match="Scan the lot"):
        pick(ctx, alice, Pick("PT-0001", 1, "A-01-01-A-1", FORMULA, 1))


def test_stock_on_a_pallet_in_the_bin_is_picked_once_loose_stock_is_gone(
    ctx: Context, alice: Actor
) -> None:
    move(ctx, alice, Move(SHIRT, 25, "A-01-03-A-1", "B-01-01-A-1"))
    receive(ctx, alice, Receive(SHIRT, 10, location="DOCK-01", container="LPN00000009"))
    move_container(ctx, alice, "LPN00000009", "A-01-03-A-1")
    got = pick(ctx, alice, Pick("PT-0001", 3, "A-01-03-A-1", SHIRT, 3))
    assert got.line_done
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 7
    assert inquire(ctx, "LPN00000009").total == 7


def test_a_task_leased_to_another_terminal_is_refused(ctx: Context, alice: Actor) -> None:
    with Session(ctx.engine) as s:
        task = s.exec(select(PickTask).where(PickTask.number == "PT-0001")).one()
        task.status = "leased"  # what a pull sets when the hub leased it elsewhere
        s.add(task)
        s.commit()
    with pytest.raises(DocumentClosed, match="another terminal"):
        pick(ctx, alice, Pick("PT-0001", 1, "A-01-01-A-1", FORMULA, 1, lot="L2601"))
    with pytest.raises(DocumentClosed, match="another terminal"):
        next_stop(ctx, "PT-0001")
