"""Receiving: stock appears at the dock in the right status, or the receipt is refused whole."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from tests.store_helpers import op_count, qty_at
from wms.domain.errors import (
    DocumentClosed,
    DomainError,
    InvalidBarcode,
    InvalidQuantity,
    LotRefused,
    NotPermitted,
    OverReceipt,
    ShortShelfLife,
    UnknownCode,
)
from wms.seed.gtins import case_gtin14, ean13
from wms.services.context import Actor, Context
from wms.services.receipt_closing import close_receipt
from wms.services.receiving import Receive, receive
from wms.services.unknown_goods import ReceiveUnknown, receive_unknown
from wms.store.people import ExceptionRecord

FORMULA = ean13(1)  # SKU-00001, lot-tracked infant formula, needs 360 days left
COSMETIC = ean13(301)  # SKU-00301, lot-tracked, short shelf life refused outright
SHIRT = ean13(1401)  # SKU-01401, untracked apparel
BONDED_FORMULA = ean13(2)  # SKU-00002, arrives on ASN-2026-0002 at the bonded dock
PHONE = ean13(1201)  # SKU-01201, serial-tracked


def test_gs1_receipt_against_po_puts_lot_at_the_dock(ctx: Context, alice: Actor) -> None:
    got = receive(
        ctx,
        alice,
        Receive(FORMULA, 6, document="PO-2026-0001", lot="L9001", expiry=date(2028, 3, 1)),
    )
    assert (got.units, got.location, got.status) == (6, "DOCK-01", "available")
    assert (got.line_received, got.line_expected) == (6, 24)
    assert qty_at(ctx, "DOCK-01", "SKU-00001", lot="L9001") == 6


def test_case_gtin_receives_its_pack_quantity(ctx: Context, alice: Actor) -> None:
    got = receive(ctx, alice, Receive(case_gtin14(SHIRT), 1, location="DOCK-01"))
    assert got.units > 1
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == got.units


def test_bonded_dock_puts_goods_on_customs_hold(ctx: Context, alice: Actor) -> None:
    got = receive(
        ctx,
        alice,
        Receive(BONDED_FORMULA, 12, document="ASN-2026-0002", lot="B1", expiry=date(2028, 6, 1)),
    )
    assert got.status == "customs_hold"
    assert qty_at(ctx, "BDOCK-01", "SKU-00002", status="customs_hold") == 12


def test_damaged_goods_go_to_quarantine_and_count_on_the_line(ctx: Context, alice: Actor) -> None:
    got = receive(ctx, alice, Receive(SHIRT, 2, document="PO-2026-0001", damaged=True))
    assert got.status == "quarantine"
    closed = close_receipt(ctx, alice, "PO-2026-0001")
    kinds = {(d.sku, d.kind): d.qty for d in closed.discrepancies}
    assert kinds[("SKU-01401", "damaged")] == 2
    assert kinds[("SKU-01401", "short")] == 8
    assert kinds[("SKU-00001", "short")] == 24


def test_short_shelf_life_is_refused_with_the_dates(ctx: Context, alice: Actor) -> None:
    with pytest.raises(ShortShelfLife, match=r"L42 expires 2027-01-10: 48 d left, needs 360"):
        receive(
            ctx, alice, Receive(FORMULA, 1, lot="L42", expiry=date(2027, 1, 10), location="DOCK-01")
        )
    assert qty_at(ctx, "DOCK-01", "SKU-00001") == 0


def test_short_shelf_life_may_go_to_quarantine_when_the_product_allows(
    ctx: Context, alice: Actor
) -> None:
    got = receive(
        ctx,
        alice,
        Receive(
            FORMULA,
            3,
            lot="L42",
            expiry=date(2027, 1, 10),
            location="DOCK-01",
            quarantine_short_life=True,
        ),
    )
    assert got.status == "quarantine"


def test_short_shelf_life_cannot_be_quarantined_when_the_product_refuses(
    ctx: Context, alice: Actor
) -> None:
    with pytest.raises(ShortShelfLife) as err:
        receive(
            ctx,
            alice,
            Receive(
                COSMETIC,
                1,
                lot="X",
                expiry=date(2027, 1, 1),
                location="DOCK-01",
                quarantine_short_life=True,
            ),
        )
    assert not err.value.quarantine_allowed


@pytest.mark.parametrize(
    ("cmd", "error", "message"),
    [
        (
            Receive(FORMULA, 1, location="DOCK-01", lot="L1", expiry=date(2025, 1, 1)),
            LotRefused,
            "expired",
        ),
        (Receive(FORMULA, 1, location="DOCK-01"), LotRefused, "needs a lot"),
        (Receive(FORMULA, 1, location="DOCK-01", lot="L1"), LotRefused, "expiry"),
        (Receive(SHIRT, 0, location="DOCK-01"), InvalidQuantity, "1 or more"),
        (Receive(SHIRT, -3, location="DOCK-01"), InvalidQuantity, "1 or more"),
        (Receive(SHIRT[:-1] + "0", 1, location="DOCK-01"), InvalidBarcode, "check digit"),
        (Receive("9999999999994", 1, location="DOCK-01"), UnknownCode, "Unknown product"),
        (Receive(SHIRT, 1, location="A-01-01-A-1"), Exception, "Cannot receive into"),
        (Receive(SHIRT, 1, document="PO-9999"), UnknownCode, "No document"),
        (
            Receive(COSMETIC, 1, document="ASN-2026-0002", lot="L", expiry=date(2029, 1, 1)),
            UnknownCode,
            "not on",
        ),
        (Receive(PHONE, 1, location="DOCK-01"), LotRefused, "serial"),
        (Receive(SHIRT, 11, document="PO-2026-0001"), OverReceipt, "Supervisor"),
    ],
)
def test_bad_receipts_are_refused_and_write_nothing(
    ctx: Context, alice: Actor, cmd: Receive, error: type[Exception], message: str
) -> None:
    before = op_count(ctx)
    with pytest.raises(error, match=message):
        receive(ctx, alice, cmd)
    assert op_count(ctx) == before
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == 0


def test_over_receipt_needs_a_supervisors_badge(ctx: Context, alice: Actor) -> None:
    with pytest.raises(NotPermitted):
        receive(
            ctx,
            alice,
            Receive(SHIRT, 11, document="PO-2026-0001", over_receipt_approved_by="OP0001"),
        )
    got = receive(
        ctx, alice, Receive(SHIRT, 11, document="PO-2026-0001", over_receipt_approved_by="OP0009")
    )
    assert got.line_received == 11


def test_serial_items_are_received_once(ctx: Context, alice: Actor) -> None:
    receive(ctx, alice, Receive(PHONE, 1, location="DOCK-01", serial="SN1"))
    with pytest.raises(Exception, match="already in stock"):
        receive(ctx, alice, Receive(PHONE, 1, location="DOCK-01", serial="SN1"))
    assert qty_at(ctx, "DOCK-01", "SKU-01201") == 1


def test_receiving_onto_a_new_pallet_tracks_the_container(ctx: Context, alice: Actor) -> None:
    receive(ctx, alice, Receive(SHIRT, 4, location="DOCK-01", container="LPN00000001"))
    receive(ctx, alice, Receive(SHIRT, 2, location="DOCK-01", container="LPN00000001"))
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == 6


def test_a_closed_receipt_takes_no_more_goods(ctx: Context, alice: Actor) -> None:
    close_receipt(ctx, alice, "PO-2026-0003")
    with pytest.raises(DocumentClosed):
        receive(ctx, alice, Receive(ean13(302), 1, document="PO-2026-0003"))


def test_an_unknown_code_is_captured_into_quarantine_and_raised(ctx: Context, alice: Actor) -> None:
    new_gtin = ean13(77777)
    got = receive_unknown(
        ctx, alice, ReceiveUnknown(new_gtin, 5, "Blue gift box, 6 pcs", "DOCK-01")
    )
    assert got.status == "quarantine"
    assert qty_at(ctx, "DOCK-01", got.sku, status="quarantine") == 5
    with Session(ctx.engine) as s:
        exc = s.exec(select(ExceptionRecord)).one()
    assert exc.kind == "unknown_product"
    assert "Blue gift box" in exc.message
    again = receive(ctx, alice, Receive(new_gtin, 1, location="DOCK-01"))
    assert again.sku == got.sku


@pytest.mark.parametrize(
    ("cmd", "message"),
    [
        (ReceiveUnknown(SHIRT, 1, "shirt", "DOCK-01"), "is known"),
        (ReceiveUnknown(SHIRT[:-1] + "0", 1, "shirt", "DOCK-01"), "check digit"),
        (ReceiveUnknown("SUP-991", 1, "", "DOCK-01"), "Type what"),
        (ReceiveUnknown("SUP-991", 0, "box", "DOCK-01"), "1 or more"),
    ],
)
def test_unknown_code_capture_refusals_write_nothing(
    ctx: Context, alice: Actor, cmd: ReceiveUnknown, message: str
) -> None:
    before = op_count(ctx)
    with pytest.raises(DomainError, match=message):
        receive_unknown(ctx, alice, cmd)
    assert op_count(ctx) == before
