"""The demo scanner's barcodes: what each step offers decodes to what that step needs."""

from __future__ import annotations

from tests.tui.session_helpers import FORMULA, run_ok, session_at
from wms.domain.scan import ScanKind, decode
from wms.services.context import Context
from wms.workflows.session import Session


def test_logon_offers_badges(ctx: Context) -> None:
    kinds = {decode(h.text).kind for h in Session(ctx).hints()}
    assert kinds == {ScanKind.BADGE}


def test_pick_offers_the_right_and_the_wrong_lot_as_gs1(ctx: Context) -> None:
    s = session_at(ctx, "pick")
    run_ok(s, "PT-0001", "CART-01", "TOTE0001", "A-01-01-A-1")
    scans = [decode(h.text) for h in s.hints()]
    lots = {sc.lot for sc in scans if sc.kind is ScanKind.GS1}
    assert lots == {"L2601", "L2602"}
    assert all(sc.gtin == "0" + FORMULA for sc in scans if sc.kind is ScanKind.GS1)
    assert {sc.command.name for sc in scans if sc.command} == {"SHORT", "EMPTY"}


def test_receive_offers_each_po_product_with_lot_and_expiry_in_one_scan(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    run_ok(s, "PO-2026-0001")
    gs1 = [decode(h.text) for h in s.hints() if h.text.startswith("]C1")]
    assert gs1
    assert all(sc.lot and sc.expiry for sc in gs1)
    labels = [h.label for h in s.hints()]
    assert "SKU-01401 EAN" in labels


def test_putaway_offers_the_suggested_bin(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    run_ok(s, "PO-2026-0001", "2000000014012", "key F3")
    s = session_at(ctx, "putaway")
    run_ok(s, "DOCK-01", "2000000014012")
    assert next(h.label for h in s.hints()) == "suggested A-01-03-A-1"
