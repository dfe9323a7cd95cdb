"""Every scan is checked at the step it arrives at: each step says what it takes, and anything
else is refused naming what it wants — before any stock moves."""

from __future__ import annotations

from tests.store_helpers import op_count, qty_at
from tests.tui.session_helpers import APPAREL, FORMULA, gs1, run, run_ok, session_at
from wms.domain.scan import decode
from wms.services.auth import logon_badge
from wms.services.context import Context
from wms.services.receipt_closing import close_receipt
from wms.workflows.base import Level
from wms.workflows.session import Session
from wms.workflows.steps import LOT, QUANTITY, Accepts, Takes

FORMULA_CASE = "(01)12000000000012(17)280407(10)L2611"  # SKU-00001, a case of 6


def test_a_step_takes_only_the_kinds_it_declares() -> None:
    lot_step = Accepts("Scan or type the lot", Takes.LOT, text=LOT)
    assert lot_step.takes(decode("]C101020000000000151728040710L1"))
    assert not lot_step.takes(decode("]E02000000000015"))
    assert lot_step.refusal(decode("]C0A-01-01-A-1")) == "Scan or type the lot, not a bin label"
    assert lot_step.text_problem("L 1") == "Not a lot: L 1 (1-20 letters/digits)"
    assert Accepts("Type a quantity", text=QUANTITY).text_problem("0") == "Not a quantity: 0"


def test_another_products_ean_is_not_taken_as_the_lot(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    assert run_ok(s, "PO-2026-0001", FORMULA).prompt == "Scan or type the lot"
    view = run(s, APPAREL)
    assert (view.level, view.result) == (Level.ERROR, "Scan or type the lot, not a product barcode")
    view = run(s, "key ENTER", f"type {APPAREL}")  # typed (or wedge-typed): refused alike
    assert view.result == "Scan or type the lot, not a product barcode"
    assert op_count(ctx) == 0


def test_a_bin_label_is_not_taken_as_the_lot_in_replay(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    view = run(s, "PO-2026-0001", FORMULA, "A-01-01-A-1")
    assert view.result == "Scan or type the lot, not a bin label"
    assert run_ok(s, "key ENTER", "type L77", "type 280101").result.startswith("+1 SKU-00001")
    assert qty_at(ctx, "DOCK-01", "SKU-00001", lot="L77") == 1


def test_the_lot_step_takes_the_products_own_gs1_label(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    view = run_ok(s, "PO-2026-0001", FORMULA, gs1(FORMULA, "L88", "280101"))
    assert view.result == "+1 SKU-00001 (1/24)"
    assert qty_at(ctx, "DOCK-01", "SKU-00001", lot="L88") == 1
    run_ok(s, FORMULA)
    view = run(s, gs1("2000000003016", "C-X", "280101"))  # another product's label
    assert view.result == "That label is not SKU-00001's"


def test_log_on_refuses_a_document_instead_of_taking_it_as_an_id(ctx: Context) -> None:
    s = Session(ctx)
    view = run(s, "PO-2026-0001")
    assert view.result == "Scan your badge, or type your ID, not a purchase order"
    run_ok(s, "key ENTER")
    assert s.view().step == "logon"
    assert run(s, f"type {APPAREL}").result.endswith("not a product barcode")


def test_a_document_that_cannot_be_worked_is_refused_at_its_first_scan(ctx: Context) -> None:
    close_receipt(ctx, logon_badge(ctx, "OP0001"), "PO-2026-0003")
    s = session_at(ctx, "receive")
    assert run(s, "PO-2026-0003").result == "PO-2026-0003 is closed"
    assert run(s, "key ENTER", "PT-0001").result == (
        "Scan the PO or ASN (or a dock), not a pick task"
    )
    count = session_at(ctx, "count")
    assert run(count, "SO-2026-0001").result == (
        "Scan the count task or its bin, not a customer order"
    )


def test_a_gs1_case_label_is_taken_wherever_a_product_is(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    assert run_ok(s, "PO-2026-0001", FORMULA_CASE).result == "+6 SKU-00001 (6/24)"
    # Put away by the same label: the dock it waits at is found, one case moves.
    s = session_at(ctx, "putaway")
    view = run_ok(s, FORMULA_CASE)
    assert view.context == ("From DOCK-01", "SKU-00001 L2611 × 6")
    suggested = view.prompt.split()[3].rstrip(":")
    run_ok(s, suggested)
    assert qty_at(ctx, suggested, "SKU-00001", lot="L2611") == 6
    # A case of eaches labelled with the content GTIN (02) and a count (37).
    s = session_at(ctx, "receive")
    view = run_ok(s, "DOCK-02", "(02)02000000014012(37)12")
    assert view.result == "+12 SKU-01401"
    assert view.progress == "12 received"


def test_a_count_tallies_units_not_scans(ctx: Context) -> None:
    s = session_at(ctx, "count")
    view = run_ok(s, "CT-0002", "A-01-03-A-1", APPAREL, "(01)12000000014019")
    assert view.progress == "25 counted"  # one each and a case of 24
    assert "SKU-01401: 24" in view.context
