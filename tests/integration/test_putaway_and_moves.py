"""Putaway and moves: stock leaves one bin and arrives in another, only where it may go."""

from __future__ import annotations

from datetime import date

import pytest

from tests.store_helpers import op_count, qty_at
from wms.domain.errors import ReasonRequired, StockUnavailable, UnknownCode, WrongLocation
from wms.seed.gtins import ean13
from wms.services.context import Actor, Context
from wms.services.inquiry import inquire
from wms.services.moving import (
    Move,
    move,
    move_container,
    putaway,
    suggest_container_putaway,
    suggest_putaway,
)
from wms.services.receiving import Receive, receive

SHIRT = ean13(1401)
FORMULA = ean13(1)


def test_putaway_suggests_the_bin_already_holding_the_product(ctx: Context, alice: Actor) -> None:
    receive(ctx, alice, Receive(SHIRT, 5, location="DOCK-01"))
    assert suggest_putaway(ctx, SHIRT, "DOCK-01") == "A-01-03-A-1"


def test_putaway_suggests_an_empty_storage_bin_for_a_new_product(
    ctx: Context, alice: Actor
) -> None:
    receive(ctx, alice, Receive(ean13(1999), 5, location="DOCK-01"))
    suggestion = suggest_putaway(ctx, ean13(1999), "DOCK-01")
    assert suggestion is not None
    assert qty_at(ctx, suggestion, "SKU-01999") == 0
    assert suggestion.startswith(("P-", "A-", "B-", "C-"))


def test_quarantined_stock_is_only_suggested_quarantine_bins(ctx: Context, alice: Actor) -> None:
    receive(ctx, alice, Receive(SHIRT, 2, location="DOCK-01", damaged=True))
    assert (suggest_putaway(ctx, SHIRT, "DOCK-01") or "").startswith("QA-")


def test_confirmed_putaway_moves_the_stock(ctx: Context, alice: Actor) -> None:
    receive(ctx, alice, Receive(SHIRT, 5, location="DOCK-01"))
    putaway(ctx, alice, Move(SHIRT, 5, "DOCK-01", "A-01-03-A-1", suggested="A-01-03-A-1"))
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == 0
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 30


def test_another_bin_than_suggested_needs_a_reason(ctx: Context, alice: Actor) -> None:
    receive(ctx, alice, Receive(SHIRT, 5, location="DOCK-01"))
    with pytest.raises(ReasonRequired, match="reason"):
        putaway(ctx, alice, Move(SHIRT, 5, "DOCK-01", "B-01-01-A-1", suggested="A-01-03-A-1"))
    putaway(
        ctx, alice, Move(SHIRT, 5, "DOCK-01", "B-01-01-A-1", suggested="A-01-03-A-1", reason="full")
    )
    assert qty_at(ctx, "B-01-01-A-1", "SKU-01401") == 5


@pytest.mark.parametrize(
    ("target", "message"),
    [("QA-01", "quarantine: no available"), ("BND-01-01-A-2", None), ("ZZ-99", "No bin")],
)
def test_moves_refuse_bins_that_forbid_the_status(
    ctx: Context, alice: Actor, target: str, message: str | None
) -> None:
    if message is None:  # bonded bins take available stock (cleared goods may stay in bond)
        move(ctx, alice, Move(SHIRT, 1, "A-01-03-A-1", target))
        assert qty_at(ctx, target, "SKU-01401") == 1
        return
    before = op_count(ctx)
    with pytest.raises((WrongLocation, UnknownCode), match=message):
        move(ctx, alice, Move(SHIRT, 1, "A-01-03-A-1", target))
    assert op_count(ctx) == before
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 25


def test_customs_hold_stock_cannot_move_into_ordinary_storage(ctx: Context, alice: Actor) -> None:
    with pytest.raises(WrongLocation, match="customs hold"):
        move(ctx, alice, Move(ean13(2), 5, "BND-01-01-A-1", "A-04-01-A-1", lot="L2610"))


def test_moving_more_than_the_bin_holds_is_refused(ctx: Context, alice: Actor) -> None:
    with pytest.raises(StockUnavailable, match="Only 25"):
        move(ctx, alice, Move(SHIRT, 26, "A-01-03-A-1", "B-01-01-A-1"))
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 25


def test_a_lot_moves_only_its_own_stock(ctx: Context, alice: Actor) -> None:
    move(ctx, alice, Move(FORMULA, 10, "A-01-01-A-1", "B-01-01-A-1", lot="L2602"))
    assert qty_at(ctx, "A-01-01-A-1", "SKU-00001", lot="L2601") == 40
    assert qty_at(ctx, "B-01-01-A-1", "SKU-00001", lot="L2602") == 10


def test_a_bin_over_capacity_is_refused(ctx: Context, alice: Actor, sam: Actor) -> None:
    receive(ctx, alice, Receive(SHIRT, 501, location="DOCK-01"))
    with pytest.raises(StockUnavailable, match="full"):
        move(ctx, alice, Move(SHIRT, 501, "DOCK-01", "B-01-01-A-1"))


def test_a_pallet_moves_with_everything_on_it_in_one_scan(ctx: Context, alice: Actor) -> None:
    receive(ctx, alice, Receive(SHIRT, 4, location="DOCK-01", container="LPN00000007"))
    receive(
        ctx,
        alice,
        Receive(
            FORMULA,
            6,
            location="DOCK-01",
            container="LPN00000007",
            lot="Z1",
            expiry=date(2028, 9, 1),
        ),
    )
    moved = move_container(ctx, alice, "LPN00000007", "B-02-01-A-1")
    assert moved.units == 10
    assert qty_at(ctx, "B-02-01-A-1", "SKU-01401") == 4
    assert qty_at(ctx, "B-02-01-A-1", "SKU-00001", lot="Z1") == 6
    assert qty_at(ctx, "DOCK-01", "SKU-00001") == 0


def test_moving_units_off_a_pallet_asks_for_the_pallet(ctx: Context, alice: Actor) -> None:
    receive(ctx, alice, Receive(SHIRT, 4, location="DOCK-01", container="LPN00000003"))
    with pytest.raises(StockUnavailable, match="on a pallet: scan the pallet"):
        move(ctx, alice, Move(SHIRT, 1, "DOCK-01", "B-01-01-A-1"))


def test_a_whole_pallet_is_suggested_the_bin_holding_its_product(
    ctx: Context, alice: Actor
) -> None:
    receive(ctx, alice, Receive(SHIRT, 6, location="DOCK-01", container="LPN00000011"))
    assert suggest_container_putaway(ctx, "LPN00000011") == "A-01-03-A-1"
    with pytest.raises(ReasonRequired, match="Suggested A-01-03-A-1"):
        move_container(ctx, alice, "LPN00000011", "B-01-01-A-1", suggested="A-01-03-A-1")
    move_container(
        ctx, alice, "LPN00000011", "B-01-01-A-1", suggested="A-01-03-A-1", reason="aisle blocked"
    )
    assert qty_at(ctx, "B-01-01-A-1", "SKU-01401") == 6


def test_a_mixed_pallet_goes_to_an_empty_bin_of_its_status(ctx: Context, alice: Actor) -> None:
    receive(ctx, alice, Receive(SHIRT, 2, location="DOCK-01", container="LPN00000012"))
    receive(ctx, alice, Receive(ean13(1402), 2, location="DOCK-01", container="LPN00000012"))
    bin_code = suggest_container_putaway(ctx, "LPN00000012")
    assert bin_code is not None
    assert inquire(ctx, bin_code).lines == []
    receive(
        ctx, alice, Receive(SHIRT, 1, location="DOCK-01", container="LPN00000013", damaged=True)
    )
    assert (suggest_container_putaway(ctx, "LPN00000013") or "").startswith("QA-")
