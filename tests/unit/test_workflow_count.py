"""Counting as a state machine: blind, recount beyond tolerance, empty bin by command."""

from __future__ import annotations

from tests.store_helpers import qty_at
from tests.tui.session_helpers import APPAREL, FORMULA, gs1, run, run_ok, session_at
from wms.services.context import Context
from wms.workflows.base import Level


def test_matching_count_is_accepted_and_never_shows_expected(ctx: Context) -> None:
    s = session_at(ctx, "count")
    run_ok(s, "CT-0002", "A-01-03-A-1", APPAREL)
    view = run_ok(s, "type 25")
    assert not any("25" in line and "expected" in line.lower() for line in view.context)
    view = run_ok(s, "key F4")
    assert view.result == "Count CT-0002 recorded"
    assert s.screen == "menu"
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 25


def test_variance_asks_for_a_recount_then_adjusts(ctx: Context) -> None:
    s = session_at(ctx, "count")
    view = run_ok(s, "CT-0002", "A-01-03-A-1", APPAREL, "type 20", "key F4")
    assert view.result == "Recount needed: scan bin A-01-03-A-1 again"
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 25
    view = run_ok(s, "A-01-03-A-1", APPAREL, "type 21", "key F4")
    assert view.result == "Count CT-0002 recorded"
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 21


def test_lot_counts_per_lot(ctx: Context) -> None:
    s = session_at(ctx, "count")
    run_ok(s, "CT-0001", "A-01-01-A-1", gs1(FORMULA, "L2601", "270611"), "type 40")
    run_ok(s, FORMULA, "type L2602", "type 40", "key F4")
    assert qty_at(ctx, "A-01-01-A-1", "SKU-00001", lot="L2602") == 40
    assert s.screen == "menu"


def test_nothing_counted_needs_the_empty_command(ctx: Context) -> None:
    s = session_at(ctx, "count")
    run_ok(s, "CT-0003", "C-01-01-A-1")
    assert run(s, "#NEXT").level is Level.ERROR
    run_ok(s, "key ENTER")
    view = run_ok(s, "#EMPTY")
    assert view.result == "Count CT-0003 recorded"


def test_wrong_bin_is_refused(ctx: Context) -> None:
    s = session_at(ctx, "count")
    assert run(s, "CT-0002", "A-01-01-A-1").result == "Wrong bin: count A-01-03-A-1"


def test_counted_items_show_by_sku_and_lot(ctx: Context) -> None:
    s = session_at(ctx, "count")
    view = run_ok(s, "CT-0001", "A-01-01-A-1", gs1(FORMULA, "L2601", "270611"), "type 12")
    assert "SKU-00001 L2601: 12" in view.context
    assert view.progress == "12 counted"
