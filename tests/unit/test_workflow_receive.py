"""Receiving as a state machine: GS1 in one scan, lot and expiry asked after a plain EAN."""

from __future__ import annotations

from tests.store_helpers import qty_at
from tests.tui.session_helpers import APPAREL, FORMULA, gs1, run, run_ok, session_at
from wms.services.context import Context
from wms.workflows.base import Level


def test_one_gs1_scan_receives_lot_and_expiry(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    view = run_ok(s, "PO-2026-0001", gs1(FORMULA, "L2611", "280407"))
    assert view.level is Level.OK
    assert view.result == "+1 SKU-00001 (1/24)"
    assert view.progress == "1/46"
    assert qty_at(ctx, "DOCK-01", "SKU-00001", lot="L2611") == 1


def test_plain_ean_asks_for_lot_then_expiry(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    assert run_ok(s, "PO-2026-0001", FORMULA).prompt == "Scan or type the lot"
    assert run_ok(s, "type L77").prompt == "Type the expiry (YYMMDD)"
    view = run_ok(s, "type 280101")
    assert view.result.startswith("+1 SKU-00001")
    assert qty_at(ctx, "DOCK-01", "SKU-00001", lot="L77") == 1


def test_typed_quantity_applies_to_the_next_scan_only(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    run_ok(s, "PO-2026-0001", "type 5", APPAREL, APPAREL)
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == 6  # 5 typed, then 1


def test_damaged_goes_to_quarantine(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    run_ok(s, "PO-2026-0001", "#DAMAGED", APPAREL)
    assert qty_at(ctx, "DOCK-01", "SKU-01401", status="quarantine") == 1


def test_short_shelf_life_is_refused_then_quarantined_on_yes(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    view = run(s, "PO-2026-0001", gs1(FORMULA, "L2690", "261223"))
    assert view.level is Level.ERROR
    assert "needs 360" in view.result
    assert qty_at(ctx, "DOCK-01", "SKU-00001") == 0
    run_ok(s, "key ENTER", "#YES")
    assert qty_at(ctx, "DOCK-01", "SKU-00001", lot="L2690", status="quarantine") == 1


def test_product_not_on_the_document_is_refused(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    view = run(s, "PO-2026-0001", "2000000000022")
    assert view.level is Level.ERROR
    assert view.result == "SKU-00002 is not on PO-2026-0001"


def test_done_closes_a_short_receipt_only_once_confirmed(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    view = run_ok(s, "PO-2026-0001", APPAREL, "key F4")
    assert view.prompt == "45 missing: close short? #YES/#NO"
    assert run_ok(s, "#NO").step == "product"
    view = run_ok(s, "key F4", "#YES")
    assert s.screen == "menu"
    assert view.result.startswith("PO-2026-0001 closed: SKU-00001 short 24")
    assert "SKU-01401 short 9" in view.result


def test_unknown_document_is_refused_before_any_product(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    view = run(s, "PO-2099-0001")
    assert view.level is Level.ERROR
    assert view.result == "No document PO-2099-0001"


def test_a_typed_ean_is_a_product_not_a_quantity(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    view = run_ok(s, "PO-2026-0001", f"type {APPAREL}")
    assert view.result == "+1 SKU-01401 (1/10)"


def test_an_absurd_quantity_is_refused(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    assert run(s, "PO-2026-0001", "type 1234567").result == "Not a quantity: 1234567"


def test_blind_receipt_at_a_dock_takes_any_known_product(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    view = run_ok(s, "DOCK-02", "2000000000022")
    assert view.prompt == "Scan or type the lot"
    run_ok(s, "type LB1", "type 280101", APPAREL)
    assert qty_at(ctx, "DOCK-02", "SKU-00002", lot="LB1") == 1
    assert qty_at(ctx, "DOCK-02", "SKU-01401") == 1
    run_ok(s, "key F4")
    assert s.screen == "menu"


def test_asn_at_the_bonded_dock_puts_goods_on_customs_hold(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    view = run_ok(s, "ASN-2026-0002", gs1("2000000000022", "L2700", "280101"))
    assert view.result == "+1 SKU-00002 (1/48) · customs hold"
    assert qty_at(ctx, "BDOCK-01", "SKU-00002", status="customs_hold") == 1


def test_over_receipt_waits_for_a_supervisors_badge(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    view = run(s, "PO-2026-0001", "type 11", APPAREL)
    assert view.level is Level.ERROR
    assert "Supervisor needed" in view.result
    assert run_ok(s, "key ENTER").prompt == "Over receipt: supervisor scans badge (#NO cancels)"
    assert run(s, "OP0002").level is Level.ERROR  # an operator's badge does not approve
    run_ok(s, "key ENTER")
    assert run_ok(s, "OP0009").result.startswith("+11 SKU-01401")
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == 11


def test_an_unknown_code_at_a_blind_receipt_is_described_and_quarantined(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    view = run_ok(s, "DOCK-02", "type 3", "2000000777771")
    assert view.prompt == "Unknown code: type what the goods are"
    view = run_ok(s, "type Blue gift box")
    assert view.result == "+3 NEW-02000000777771 to quarantine; hub told"
    assert qty_at(ctx, "DOCK-02", "NEW-02000000777771", status="quarantine") == 3
