"""What the label layer refuses, and the python-barcode traps it guards against."""

from __future__ import annotations

from datetime import date

import pytest
from barcode.ean import EuropeanArticleNumber13

from wms.domain.errors import InvalidBarcode
from wms.domain.gtin import sscc
from wms.labels import (
    STOCKS,
    LabelDoesNotFit,
    LabelError,
    LocationLabel,
    LotLabel,
    LpnLabel,
    ProductLabel,
    SsccLabel,
    gs1,
    render,
)
from wms.labels.code128 import decode_values, encode
from wms.labels.layout import MM_PER_INCH, layout
from wms.labels.symbols import GS1_128_LOGISTIC


@pytest.mark.parametrize("gtin", ["5901234123458", "036000291453", "15901234123455", "96385075"])
def test_a_wrong_check_digit_is_refused_not_recomputed(gtin: str) -> None:
    with pytest.raises(InvalidBarcode, match="check digit"):
        ProductLabel(gtin, "SKU-1", "Widget")
    with pytest.raises(InvalidBarcode, match="check digit"):
        LotLabel(gtin, "L1", date(2027, 1, 1))


def test_python_barcode_alone_would_print_another_product() -> None:
    # The trap we guard against: EAN13 silently swaps a mistyped 13th digit for the right one.
    assert EuropeanArticleNumber13("5901234123458").get_fullcode() == "5901234123457"


def test_a_bad_sscc_is_refused() -> None:
    good = sscc(0, "9501101", 1)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(InvalidBarcode):
        SsccLabel(bad)


def test_a_python_barcode_symbol_that_lost_its_99_is_detected() -> None:
    # What python-barcode 0.16.1 builds for "99123": [START C, "12", CODE B, "3"].
    assert decode_values([105, 12, 100, 19]) == "123"
    # Our encoder reads every symbol back before printing it and keeps the 99.
    assert decode_values([105, 99, 12, 100, 19]) == "99123"
    assert encode("99123", gs1=False)  # builds; would raise LabelError if it read back wrong


@pytest.mark.parametrize("code", ["", "A 01 ", "A\t01", "Ä-01", "X" * 31])
def test_unprintable_location_codes_are_refused(code: str) -> None:
    with pytest.raises(InvalidBarcode):
        LocationLabel(code)


def test_lpns_follow_the_scanner_scheme() -> None:
    LpnLabel("LPN00000001")
    with pytest.raises(InvalidBarcode, match="LPN"):
        LpnLabel("PAL00000001")


def test_lots_outside_the_gs1_character_set_are_refused() -> None:
    with pytest.raises(InvalidBarcode):
        LotLabel("09501101530003", "LOT 42", date(2027, 1, 1))  # space is not in CSET 82
    with pytest.raises(InvalidBarcode):
        LotLabel("09501101530003", "L" * 21, date(2027, 1, 1))


def test_fnc1_only_after_variable_length_fields_that_are_not_last() -> None:
    gtin = ("01", "09501101530003")
    assert gs1.element_string([gtin, ("17", "270131"), ("10", "L1")]) == (
        "0109501101530003" + "17270131" + "10L1"
    )
    assert gs1.element_string([gtin, ("10", "L1"), ("17", "270131")]) == (
        "0109501101530003" + "10L1\xf1" + "17270131"
    )


def test_gs1_element_strings_are_checked() -> None:
    with pytest.raises(LabelError, match="GTIN-14"):
        gs1.element_string([("01", "09501101530004")])
    with pytest.raises(LabelError, match="48"):
        gs1.element_string([("01", "09501101530003"), ("10", "A" * 20), ("21", "B" * 20)])
    with pytest.raises(LabelError, match="not supported"):
        gs1.element_string([("99", "x")])


def test_sscc_label_meets_gs1_dimensions_on_a_100mm_label() -> None:
    drawing = layout(SsccLabel(sscc(0, "9501101", 1)), STOCKS["thermal-100x150"])
    bars = drawing.bars
    narrowest = min(b.width for b in bars)
    assert narrowest >= GS1_128_LOGISTIC.x_min_mm
    assert all(b.height >= 31.75 for b in bars)
    # 10X quiet zones inside the label, and no more than 165.1 mm in all.
    left, right = bars[0].x, bars[-1].x + bars[-1].width
    assert left >= 10 * narrowest
    assert drawing.width - right >= 10 * narrowest
    assert right - left + 20 * narrowest <= 165.1
    # Bars are whole printer dots wide.
    dot = MM_PER_INCH / 203
    assert all(abs(b.width / dot - round(b.width / dot)) < 1e-6 for b in bars)


def test_ean13_keeps_its_wider_left_quiet_zone_on_a_small_label() -> None:
    drawing = layout(ProductLabel("5901234123457", "S", "Widget"), STOCKS["thermal-50x25"])
    x = min(b.width for b in drawing.bars)
    left, right = drawing.bars[0].x, drawing.bars[-1].x + drawing.bars[-1].width
    assert left >= 11 * x
    assert drawing.width - right >= 7 * x


def test_a_barcode_that_cannot_meet_its_dimensions_is_refused() -> None:
    with pytest.raises(LabelDoesNotFit, match="needs 88 mm"):
        layout(SsccLabel(sscc(0, "9501101", 1)), STOCKS["thermal-50x25"])
    with pytest.raises(LabelDoesNotFit, match="ITF-14"):
        layout(ProductLabel("15901234123454", "CASE", "Case"), STOCKS["thermal-50x25"])


def test_zpl_is_refused_for_sheets() -> None:
    with pytest.raises(LabelError, match="sheet"):
        render([LocationLabel("A-01")], STOCKS["a4-3x8"], "zpl")


def test_long_names_are_cut_to_fit_the_label() -> None:
    drawing = layout(ProductLabel("5901234123457", "S", "W" * 200), STOCKS["thermal-50x25"])
    name = drawing.texts[0]
    assert name.text.endswith("…")
    assert len(name.text) < 200
