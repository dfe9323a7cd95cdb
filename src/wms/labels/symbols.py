"""From label data to a barcode symbol: python-barcode's module pattern plus the rules
(X-dimension range, quiet zones, height, maximum length) the symbol must be printed to.
"""

from __future__ import annotations

from dataclasses import dataclass

from barcode.ean import EuropeanArticleNumber8, EuropeanArticleNumber13
from barcode.itf import ITF
from barcode.upc import UniversalProductCodeA

from wms.labels import code128, gs1
from wms.labels.errors import LabelError
from wms.labels.model import (
    Label,
    LocationLabel,
    LotLabel,
    LpnLabel,
    ProductLabel,
    ShippingLabel,
    SsccLabel,
)


@dataclass(frozen=True)
class SymbolSpec:
    """Print rules for a symbology; lengths in mm, quiet zones in multiples of X.

    ``modules_per_x``: python-barcode draws ITF with a narrow bar of 2 modules (and a wide
    bar of 5, a 2.5:1 ratio), so one X there is 2 modules.
    """

    name: str
    x_min_mm: float
    x_max_mm: float
    quiet_left_x: float
    quiet_right_x: float
    min_height_mm: float
    max_height_mm: float
    max_length_mm: float | None = None
    modules_per_x: int = 1
    bearer_bars: bool = False


# Internal Code 128 (locations, LPNs): ISO/IEC 15417 quiet zone 10X; 0.25 mm is 2 dots at
# 203 dpi, the narrowest bar a thermal head prints reliably.
CODE128 = SymbolSpec("Code 128", 0.25, 1.0, 10, 10, 6.0, 25.0)
# GS1 General Specifications, logistic labels (SSCC): X 0.495-1.016 mm, height >= 31.75 mm,
# quiet zones 10X, at most 165.10 mm long including them.
GS1_128_LOGISTIC = SymbolSpec("GS1-128", 0.495, 1.016, 10, 10, 31.75, 31.75, 165.10)
# Lot labels on our own cases: the same limits but X down to 0.25 mm, or (01)+(17)+(10)
# would not fit a 100 mm wide label. Use a wider stock for labels that leave the site.
GS1_128_LOT = SymbolSpec("GS1-128", 0.25, 1.016, 10, 10, 15.0, 31.75, 165.10)
# EAN/UPC: 80-200 % of the nominal 0.33 mm; quiet zones per GS1 (EAN-13 11X/7X, UPC-A 9X,
# EAN-8 7X); we allow bars shorter than nominal (truncation) down to 10 mm.
EAN13 = SymbolSpec("EAN-13", 0.264, 0.66, 11, 7, 10.0, 22.85)
UPCA = SymbolSpec("UPC-A", 0.264, 0.66, 9, 9, 10.0, 22.85)
EAN8 = SymbolSpec("EAN-8", 0.264, 0.66, 7, 7, 10.0, 18.23)
# ITF-14 (GTIN-14 on cases): X 0.495-1.016 mm, quiet zones 10X, height >= 31.75 mm, and
# bearer bars so a skewed scan line cannot read a short, wrong number.
ITF14 = SymbolSpec("ITF-14", 0.495, 1.016, 10, 10, 31.75, 31.75, modules_per_x=2, bearer_bars=True)


@dataclass(frozen=True)
class Symbol:
    """A barcode ready to lay out: ``modules`` is "1" for a bar module, "0" for a space."""

    modules: str
    hri: str
    spec: SymbolSpec


def _retail(gtin14: str) -> Symbol:
    # A GTIN-14 with an indicator digit goes in ITF-14: python-barcode's "ean14"/"gtin" draws
    # an EAN-13-shaped symbol with 14 digits in it, which no scanner reads.
    # The GTIN was validated (check digit included) when the label was built; python-barcode
    # must now print exactly it: EAN-13 recomputes the 13th digit unless no_checksum is set.
    if gtin14[0] != "0":
        code, spec = gtin14, ITF14
        pattern = ITF(code).build()[0]
    elif gtin14.startswith("000000"):
        code, spec = gtin14[6:], EAN8
        symbol = EuropeanArticleNumber8(code, no_checksum=True)
        pattern, printed = symbol.build()[0], symbol.get_fullcode()
        _same(printed, code)
    elif gtin14.startswith("00"):
        code, spec = gtin14[2:], UPCA
        symbol = UniversalProductCodeA(code)
        pattern, printed = symbol.build()[0], symbol.get_fullcode()
        _same(printed, code)
    else:
        code, spec = gtin14[1:], EAN13
        symbol = EuropeanArticleNumber13(code, no_checksum=True)
        pattern, printed = symbol.build()[0], symbol.get_fullcode()
        _same(printed, code)
    return Symbol(pattern, code, spec)


def _same(printed: str, wanted: str) -> None:
    if printed != wanted:
        raise LabelError(f"python-barcode would print {printed}, not {wanted}")


def code128_symbol(text: str) -> Symbol:
    """Plain Code 128 of ``text`` (a location, an LPN, a carrier's waybill number)."""
    return Symbol(code128.encode(text, gs1=False), text, CODE128)


def gs1_symbol(elements: list[gs1.Element], spec: SymbolSpec) -> Symbol:
    """GS1-128 of ``elements``, printed to ``spec``."""
    data = gs1.element_string(elements)
    return Symbol(code128.encode(data, gs1=True), gs1.hri(elements), spec)


def symbol_for(label: Label) -> Symbol:
    """The barcode a label carries (a shipping label's SSCC: it carries two, see
    :mod:`wms.labels.shipping`). Raises LabelError if it cannot be encoded faithfully."""
    if isinstance(label, LocationLabel | LpnLabel):
        return code128_symbol(label.code)
    if isinstance(label, ProductLabel):
        return _retail(label.gtin)
    if isinstance(label, SsccLabel | ShippingLabel):
        return gs1_symbol([("00", label.sscc)], GS1_128_LOGISTIC)
    lot: LotLabel = label
    elements = [("01", lot.gtin), ("17", gs1.gs1_date(lot.expiry)), ("10", lot.lot)]
    return gs1_symbol(elements, GS1_128_LOT)
