"""What a scanner sends for the codes the demo scanner panel offers (AIM id included)."""

from __future__ import annotations

from datetime import date

from wms.domain.scan import GS
from wms.domain.scan_schemes import Command
from wms.workflows.base import Hint


def gs1(gtin14: str, *, lot: str | None = None, expiry: date | None = None) -> str:
    """A GS1-128 scan: GTIN (01), expiry (17), then lot (10) last, so no GS is needed after it."""
    text = "]C101" + gtin14
    if expiry is not None:
        text += "17" + expiry.strftime("%y%m%d")
    if lot is not None:
        text += "10" + lot
    return text


def gs1_serial(gtin14: str, serial: str, lot: str | None = None) -> str:
    """A GS1 scan with a serial (21) and a lot: the lot is variable-length, so GS ends it."""
    text = "]C101" + gtin14
    if lot is not None:
        text += "10" + lot + GS
    return text + "21" + serial


def ean(gtin14: str) -> str:
    """An EAN-13 scan of a product's each barcode."""
    return "]E0" + gtin14[-13:]


def sscc(code: str) -> str:
    """A GS1-128 scan of a parcel's or pallet's SSCC label (AI 00)."""
    return "]C100" + code


def label(code: str) -> str:
    """A Code 128 scan of one of our own labels (bin, document, badge, LPN)."""
    return "]C0" + code


def command(cmd: Command, why: str) -> Hint:
    """A command barcode hint."""
    return Hint(f"{cmd.barcode} {why}", label(cmd.barcode))
