"""Putaway and moves as state machines: the suggested bin, a reason for another, pallets."""

from __future__ import annotations

from tests.store_helpers import qty_at
from tests.tui.session_helpers import APPAREL, run, run_ok, session_at
from wms.services.auth import logon_badge
from wms.services.context import Context
from wms.services.receiving import Receive, receive
from wms.workflows.base import Level


def _received(ctx: Context, qty: int) -> None:
    s = session_at(ctx, "receive")
    run_ok(s, "PO-2026-0001", f"type {qty}", APPAREL)


def test_putaway_to_the_suggested_bin(ctx: Context) -> None:
    _received(ctx, 5)
    s = session_at(ctx, "putaway")
    view = run_ok(s, "DOCK-01", APPAREL)
    assert view.prompt == "Put away to A-01-03-A-1: scan it"
    view = run_ok(s, "A-01-03-A-1")
    assert view.result == "5 SKU-01401 to A-01-03-A-1"
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 30
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == 0


def test_another_bin_needs_a_reason(ctx: Context) -> None:
    _received(ctx, 5)
    s = session_at(ctx, "putaway")
    view = run_ok(s, "DOCK-01", APPAREL, "C-04-05-C-2")
    assert view.prompt == "Not A-01-03-A-1: type a reason"
    run_ok(s, "type bin full")
    assert qty_at(ctx, "C-04-05-C-2", "SKU-01401") == 5


def test_putaway_of_nothing_at_the_dock_is_refused(ctx: Context) -> None:
    s = session_at(ctx, "putaway")
    view = run(s, "DOCK-01", APPAREL)
    assert (view.level, view.result) == (Level.ERROR, "None of SKU-01401 at DOCK-01")


def test_move_counts_scans_then_moves_to_the_target(ctx: Context) -> None:
    s = session_at(ctx, "move")
    view = run_ok(s, "A-01-03-A-1", APPAREL, APPAREL, "C-04-05-C-2")
    assert view.result == "Moved 2 SKU-01401 to C-04-05-C-2"
    assert qty_at(ctx, "C-04-05-C-2", "SKU-01401") == 2


def test_move_to_a_bin_refusing_the_status_is_refused(ctx: Context) -> None:
    s = session_at(ctx, "move")
    view = run(s, "A-01-03-A-1", APPAREL, "type 3", "QA-01")
    assert view.level is Level.ERROR
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 25


def test_a_pallet_is_put_away_whole_to_its_suggested_bin(ctx: Context) -> None:
    receive(
        ctx,
        logon_badge(ctx, "OP0001"),
        Receive(APPAREL, 4, location="DOCK-01", container="LPN00000021"),
    )
    s = session_at(ctx, "putaway")
    view = run_ok(s, "LPN00000021")
    assert view.prompt == "Put away to A-01-03-A-1: scan it"
    assert run_ok(s, "A-01-03-A-1").result == "Pallet LPN00000021 to A-01-03-A-1"
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 29
