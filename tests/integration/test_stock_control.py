"""Supervisor stock control, returns, inquiry and log-on."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.store_helpers import op_count, qty_at
from wms.domain.errors import LogonFailed, NotPermitted, ReasonRequired, UnknownCode, WrongLocation
from wms.domain.kinds import StockStatus
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge, logon_pin
from wms.services.context import Actor, Context
from wms.services.inquiry import inquire
from wms.services.returns import Grade, receive_return
from wms.services.stock_control import adjust, change_status
from wms.store.catalog import Location, Lot
from wms.store.people import DeviceIdentity
from wms.store.queries import snapshot

SHIRT = ean13(1401)
COSMETIC = ean13(301)


def test_operators_cannot_adjust_or_hold(ctx: Context, alice: Actor) -> None:
    before = op_count(ctx)
    with pytest.raises(NotPermitted, match="supervisor"):
        adjust(ctx, alice, "A-01-03-A-1", SHIRT, delta=-1, reason="broken")
    with pytest.raises(NotPermitted):
        change_status(ctx, alice, SHIRT, StockStatus.QUARANTINE, "qc")
    assert op_count(ctx) == before


def test_adjustment_needs_a_reason_and_books_the_delta(ctx: Context, sam: Actor) -> None:
    with pytest.raises(ReasonRequired):
        adjust(ctx, sam, "A-01-03-A-1", SHIRT, delta=-2, reason="")
    adjust(ctx, sam, "A-01-03-A-1", SHIRT, delta=-2, reason="water damage, written off")
    assert qty_at(ctx, "A-01-03-A-1", "SKU-01401") == 23


def test_recalling_a_lot_holds_it_in_every_bin_and_release_undoes_it(
    ctx: Context, sam: Actor
) -> None:
    got = change_status(
        ctx, sam, COSMETIC, StockStatus.RECALLED, "supplier recall R-17", lot="C-OK1"
    )
    assert got.units == 20
    assert qty_at(ctx, "A-01-02-A-1", "SKU-00301", lot="C-OK1", status="recalled") == 20
    change_status(ctx, sam, COSMETIC, StockStatus.AVAILABLE, "recall withdrawn", lot="C-OK1")
    assert qty_at(ctx, "A-01-02-A-1", "SKU-00301", lot="C-OK1", status="available") == 20


def test_customs_clearance_releases_bonded_stock(ctx: Context, sam: Actor) -> None:
    change_status(
        ctx, sam, ean13(2), StockStatus.AVAILABLE, "DECL-2026-778812 cleared", lot="L2610"
    )
    assert qty_at(ctx, "BND-01-01-A-1", "SKU-00002", status="available") == 30


@pytest.mark.parametrize(
    ("grade", "status"),
    [(Grade.RESALEABLE, "available"), (Grade.DAMAGED, "quarantine"), (Grade.SCRAP, None)],
)
def test_returns_are_routed_by_grade(
    ctx: Context, alice: Actor, grade: Grade, status: str | None
) -> None:
    got = receive_return(ctx, alice, "SO-2026-0000", SHIRT, grade=grade, location="RET-01", qty=2)
    assert got.status == status
    assert qty_at(ctx, "RET-01", "SKU-01401") == (0 if status is None else 2)


def test_returns_need_a_known_order_and_a_returns_bin(ctx: Context, alice: Actor) -> None:
    with pytest.raises(UnknownCode):
        receive_return(ctx, alice, "SO-404", SHIRT, grade=Grade.RESALEABLE, location="RET-01")
    with pytest.raises(WrongLocation):
        receive_return(
            ctx, alice, "SO-2026-0001", SHIRT, grade=Grade.RESALEABLE, location="A-01-03-A-1"
        )


def test_inquiry_explains_bins_products_and_documents(ctx: Context) -> None:
    bin_ = inquire(ctx, "A-01-01-A-1")
    assert bin_.kind == "location"
    assert [(ln.lot, ln.qty) for ln in bin_.lines] == [("L2601", 40), ("L2602", 40)]
    product = inquire(ctx, SHIRT)
    assert product.kind == "product"
    assert product.total == 25
    assert inquire(ctx, "PO-2026-0001").kind == "receipt"
    with pytest.raises(UnknownCode, match="not a bin, product"):
        inquire(ctx, "NOPE-1")


def test_logon_by_badge_and_by_pin(ctx: Context) -> None:
    assert logon_badge(ctx, "OP0009").role == "supervisor"
    assert logon_pin(ctx, "1001", "1234").name == "Alice Chen"
    with pytest.raises(LogonFailed, match="Wrong ID or PIN"):
        logon_pin(ctx, "1001", "0000")
    with pytest.raises(LogonFailed, match="not known"):
        logon_badge(ctx, "OP4242")


def test_snapshots_come_back_with_python_types(ctx: Context, alice: Actor) -> None:
    """Rows read on the fast path carry dates, booleans and datetimes, not SQLite's text."""
    receive_return(ctx, alice, "SO-2026-0000", SHIRT, grade=Grade.RESALEABLE, location="RET-01")
    with ctx.uow(write=False) as uow:
        lot = snapshot(uow.session, Lot, code="L2601")
        bin_ = snapshot(uow.session, Location, code="A-01-01-A-1")
        device = snapshot(uow.session, DeviceIdentity)
    assert lot is not None
    assert lot.expiry == date(2027, 6, 11)
    assert bin_ is not None
    assert bin_.blocked is False
    assert device is not None
    assert isinstance(device.created_at, datetime)
