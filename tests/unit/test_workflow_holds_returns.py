"""Holds (supervisor only) and customer returns as state machines."""

from __future__ import annotations

from tests.store_helpers import qty_at
from tests.tui.session_helpers import APPAREL, run, run_ok, session_at
from wms.services.context import Context
from wms.workflows.base import Level

BONDED_LOT = "(01)02000000000022(10)L2610"


def test_supervisor_releases_a_customs_hold(ctx: Context) -> None:
    s = session_at(ctx, "holds", badge="OP0009")
    run_ok(s, "BND-01-01-A-1", BONDED_LOT, "#NO")
    assert s.view().prompt == "Type the reason"
    assert run_ok(s, "type DECL-2026-778812 cleared").result == "Released 30 SKU-00002"
    assert qty_at(ctx, "BND-01-01-A-1", "SKU-00002", status="available") == 30


def test_supervisor_holds_a_lot_in_quarantine(ctx: Context) -> None:
    s = session_at(ctx, "holds", badge="OP0009")
    run_ok(s, "(01)02000000000015(10)L2602", "#YES", "type QC sample")
    assert qty_at(ctx, "A-01-01-A-1", "SKU-00001", lot="L2602", status="quarantine") == 40


def test_an_operator_may_not_hold(ctx: Context) -> None:
    s = session_at(ctx, "holds")
    view = run(s, BONDED_LOT)
    assert (view.level, view.result) == (Level.ERROR, "Holds need a supervisor")


def test_resaleable_return_goes_to_the_returns_bin_available(ctx: Context) -> None:
    s = session_at(ctx, "returns")
    view = run_ok(s, "SO-2026-0000", "type 2", APPAREL, "#YES", "RET-01")
    assert view.result == "Returned 2 SKU-01401 to RET-01 (available)"
    assert qty_at(ctx, "RET-01", "SKU-01401", status="available") == 2


def test_damaged_return_is_quarantined_and_scrap_books_nothing(ctx: Context) -> None:
    s = session_at(ctx, "returns")
    run_ok(s, "SO-2026-0000", APPAREL, "#DAMAGED", "RET-01")
    assert qty_at(ctx, "RET-01", "SKU-01401", status="quarantine") == 1
    assert run_ok(s, APPAREL, "type scrap").result == "Returned 1 SKU-01401 scrapped"
    assert qty_at(ctx, "RET-01", "SKU-01401") == 1


def test_return_into_a_storage_bin_is_refused(ctx: Context) -> None:
    s = session_at(ctx, "returns")
    view = run(s, "SO-2026-0000", APPAREL, "#YES", "RET-01")
    assert view.level is Level.OK
    view = run(s, APPAREL, "#YES", "A-01-01-A-1")
    assert view.result == "A-01-01-A-1 is not a returns bin"
    assert qty_at(ctx, "A-01-01-A-1", "SKU-01401") == 0
