"""Returns against the order: bounded by what it shipped, tracked goods with their lot, and a
product the order never had taken into quarantine with the reason."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.store_helpers import qty_at
from tests.tui.session_helpers import APPAREL, FORMULA, run, run_ok, session_at
from wms.services.context import Context
from wms.store.people import OpLog
from wms.workflows.base import Level


def test_an_order_that_shipped_nothing_is_refused_at_its_scan(ctx: Context) -> None:
    s = session_at(ctx, "returns")
    assert run(s, "SO-2026-0001").result == "Nothing shipped on SO-2026-0001 yet"
    assert run(s, "key ENTER", "PO-2026-0001").result == (
        "Scan the customer order, not a purchase order"
    )


def test_returns_are_bounded_by_what_the_order_shipped(ctx: Context) -> None:
    s = session_at(ctx, "returns")
    view = run(s, "SO-2026-0000", "type 10", APPAREL)
    assert (view.level, view.result) == (
        Level.ERROR,
        "SO-2026-0000 shipped 2 SKU-01401, 2 left to return",
    )
    run_ok(s, "key ENTER", "type 2", APPAREL, "#YES", "RET-01")
    assert qty_at(ctx, "RET-01", "SKU-01401") == 2
    assert run(s, APPAREL).result == "SO-2026-0000 shipped 2 SKU-01401, 0 left to return"


def test_a_lot_tracked_return_asks_for_its_lot(ctx: Context) -> None:
    s = session_at(ctx, "returns")
    assert run_ok(s, "SO-2026-0000", FORMULA).prompt == "Scan or type the lot"
    view = run_ok(s, "type L2601", "#YES", "RET-01")
    assert view.result == "Returned 1 SKU-00001 to RET-01 (available)"
    assert qty_at(ctx, "RET-01", "SKU-00001", lot="L2601", status="available") == 1


def test_a_product_not_on_the_order_goes_to_quarantine_with_the_reason(ctx: Context) -> None:
    s = session_at(ctx, "returns")
    view = run_ok(s, "SO-2026-0000", "2000000000022", "type L2610")
    assert "Not on SO-2026-0000: to quarantine" in view.context
    view = run_ok(s, "#YES", "RET-01")
    assert view.result == ("Returned 1 SKU-00002 to RET-01 (quarantine) · not on SO-2026-0000")
    assert qty_at(ctx, "RET-01", "SKU-00002", status="quarantine") == 1
    with Session(ctx.engine) as db:
        op = db.exec(select(OpLog)).one()
    assert '"reason": "not on SO-2026-0000"' in op.payload
