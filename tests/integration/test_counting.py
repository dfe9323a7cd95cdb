"""Blind counts: no expected quantity leaks, recount beyond tolerance, adjustments as of start."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from tests.store_helpers import qty_at
from wms.domain.counting import CountOutcome
from wms.domain.errors import ReasonRequired, WrongLocation
from wms.seed.gtins import ean13
from wms.services.context import Actor, Context
from wms.services.counting import Counted, record_count, start_count
from wms.services.moving import Move, move, move_container
from wms.services.receiving import Receive, receive

SHIRT = ean13(1401)
FORMULA = ean13(1)


def test_starting_a_count_reveals_no_quantity(ctx: Context, alice: Actor) -> None:
    started = start_count(ctx, alice, "CT-0002", "A-01-03-A-1")
    fields = {f.name for f in dataclasses.fields(started)}
    assert fields == {"task", "location", "sku", "pass_no"}
    assert started.pass_no == 1


def test_count_must_start_at_the_right_bin(ctx: Context, alice: Actor) -> None:
    with pytest.raises(WrongLocation, match="count A-01-03-A-1"):
        start_count(ctx, alice, "CT-0002", "A-01-01-A-1")


def test_a_matching_count_is_accepted_and_changes_nothing(ctx: Context, alice: Actor) -> None:
    start_count(ctx, alice, "CT-0002", "A-01-03-A-1")
    got = record_count(ctx, alice, "CT-0002", [Counted(SHIRT, 25)])
    assert got.outcome is CountOutcome.ACCEPTED
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 25


def test_a_variance_asks_for_a_recount_then_adjusts(ctx: Context, alice: Actor) -> None:
    start_count(ctx, alice, "CT-0002", "A-01-03-A-1")
    first = record_count(ctx, alice, "CT-0002", [Counted(SHIRT, 20)])
    assert first.outcome is CountOutcome.RECOUNT
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 25
    start_count(ctx, alice, "CT-0002", "A-01-03-A-1")
    second = record_count(ctx, alice, "CT-0002", [Counted(SHIRT, 21)])
    assert second.outcome is CountOutcome.ACCEPTED
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 21


def test_moves_during_a_count_are_not_lost(ctx: Context, alice: Actor) -> None:
    """The count is an observation as of its start: a move after it stays on the books."""
    start_count(ctx, alice, "CT-0002", "A-01-03-A-1")
    later = ctx.clock() + timedelta(minutes=5)
    ctx.clock = lambda: later
    move(ctx, alice, Move(SHIRT, 5, "A-01-03-A-1", "B-01-01-A-1"))
    got = record_count(ctx, alice, "CT-0002", [Counted(SHIRT, 25)])
    assert got.outcome is CountOutcome.ACCEPTED
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 20
    assert qty_at(ctx, "B-01-01-A-1", "SKU-01401") == 5


def test_an_empty_bin_needs_explicit_confirmation(ctx: Context, alice: Actor) -> None:
    start_count(ctx, alice, "CT-0003", "C-01-01-A-1")
    with pytest.raises(ReasonRequired, match="empty"):
        record_count(ctx, alice, "CT-0003", [])
    got = record_count(ctx, alice, "CT-0003", [], empty_confirmed=True)
    assert got.outcome is CountOutcome.ACCEPTED


def test_found_stock_in_an_empty_bin_is_booked(ctx: Context, alice: Actor) -> None:
    start_count(ctx, alice, "CT-0003", "C-01-01-A-1")
    record_count(ctx, alice, "CT-0003", [Counted(SHIRT, 3)])
    start_count(ctx, alice, "CT-0003", "C-01-01-A-1")
    record_count(ctx, alice, "CT-0003", [Counted(SHIRT, 3)])
    assert qty_at(ctx, "C-01-01-A-1", "SKU-01401") == 3


def test_lot_counts_adjust_each_lot(ctx: Context, alice: Actor) -> None:
    start_count(ctx, alice, "CT-0001", "A-01-01-A-1")
    found = [Counted(FORMULA, 40, lot="L2601"), Counted(FORMULA, 38, lot="L2602")]
    assert record_count(ctx, alice, "CT-0001", found).outcome is CountOutcome.RECOUNT
    start_count(ctx, alice, "CT-0001", "A-01-01-A-1")
    record_count(ctx, alice, "CT-0001", found)
    assert qty_at(ctx, "A-01-01-A-1", "SKU-00001", lot="L2601") == 40
    assert qty_at(ctx, "A-01-01-A-1", "SKU-00001", lot="L2602") == 38


def test_a_pallet_in_the_bin_is_part_of_the_count(ctx: Context, alice: Actor) -> None:
    receive(ctx, alice, Receive(SHIRT, 10, location="DOCK-01", container="LPN00000005"))
    move_container(ctx, alice, "LPN00000005", "A-01-03-A-1")
    start_count(ctx, alice, "CT-0002", "A-01-03-A-1")
    got = record_count(ctx, alice, "CT-0002", [Counted(SHIRT, 35)])
    assert got.outcome is CountOutcome.ACCEPTED
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 35
