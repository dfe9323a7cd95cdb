"""The 100 x 150 mm shipping label: both its barcodes (the waybill in Code 128, the parcel's
SSCC in GS1-128) scan back from every output, and what cannot be printed faithfully is refused
before anything is drawn."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from tests.unit.test_labels_decode import (
    DPI,
    THERMAL,
    gs1_elements,
    pdf_pages,
    scan,
    svg_bars,
    zpl_labels,
)
from wms.domain.errors import InvalidBarcode
from wms.domain.gtin import sscc
from wms.labels import STOCKS, LabelDoesNotFit, ShippingLabel, ShipTo, render
from wms.labels.layout import layout
from wms.labels.png import render_png
from wms.labels.shipping import weight_text

SSCC = sscc(1, "6901234", 4711)
SHIP_TO = ShipTo(
    "李伟 Li Wei",
    ("88 Century Avenue", "Pudong New Area"),
    "CN",
    phone="+86 138 0013 8000",
    city="Shanghai",
    postcode="200120",
)


def _label(**change: object) -> ShippingLabel:
    fields: dict[str, object] = {
        "waybill": "EA123456785CN",
        "sscc": SSCC,
        "carrier": "EMS",
        "ship_to": SHIP_TO,
        "weight_g": 1234,
        "order": "SO-2026-0101",
        "service": "standard",
        "parcel": 1,
        "parcels": 2,
        "sender": ("Qianhai cross-border warehouse",),
    }
    return ShippingLabel(**(fields | change))  # type: ignore[arg-type]


def _read(found: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
    """(the waybill read, the GS1 elements read) of a label's two barcodes."""
    waybills = [text for symbology, text in found if symbology == "]C0"]
    gs1 = [(s, t) for s, t in found if s == "]C1"]
    assert len(waybills) == 1, found
    assert len(gs1) == 1, found
    return waybills[0], gs1_elements(*gs1[0])


EXPECTED = ("EA123456785CN", [("00", SSCC)])


def test_the_preview_scans_to_the_waybill_and_the_sscc() -> None:
    image = Image.open(io.BytesIO(render_png(layout(_label(), THERMAL), DPI)))
    assert _read(scan(image)) == EXPECTED


def test_zpl_pdf_and_svg_scan_to_the_waybill_and_the_sscc() -> None:
    [zpl] = render([_label()], THERMAL, "zpl")
    [printed] = zpl_labels(zpl.decode())
    assert _read(scan(printed)) == EXPECTED
    [page] = pdf_pages(render([_label()], THERMAL, "pdf")[0])
    assert _read(scan(page)) == EXPECTED
    [svg] = render([_label()], THERMAL, "svg")
    assert _read(scan(svg_bars(svg))) == EXPECTED


def test_a_carriers_own_number_formats_scan_back() -> None:
    for waybill in ("SF1234567890123", "9261290100130435082338", "1Z999AA10123456784"):
        [zpl] = render([_label(waybill=waybill)], THERMAL, "zpl")
        [printed] = zpl_labels(zpl.decode())
        assert _read(scan(printed)) == (waybill, [("00", SSCC)])


def test_the_label_says_who_what_and_how_heavy() -> None:
    texts = [t.text for t in layout(_label(), THERMAL).texts]
    assert texts[:2] == ["EMS  standard", "Order SO-2026-0101   parcel 1/2"]
    for line in ("李伟 Li Wei", "Tel +86 138 0013 8000", "88 Century Avenue", "200120 Shanghai"):
        assert line in texts
    assert "Weight 1.234 kg" in texts
    assert "(00)" + SSCC in texts
    assert weight_text(50) == "0.050 kg"


def test_chinese_goes_to_the_printers_cjk_font_as_utf8_escapes() -> None:
    zpl = render([_label()], THERMAL, "zpl")[0].decode()
    [name] = [line for line in zpl.splitlines() if "Li Wei" in line]
    assert "^A@N," in name
    assert ",E:SIMSUN.FNT" in name
    assert "_E6_9D_8E_E4_BC_9F Li Wei" in name  # 李伟 in UTF-8, hex-escaped under ^CI28
    weight = next(line for line in zpl.splitlines() if "Weight" in line)
    assert "^A0N," in weight  # Latin text keeps the printer's own font
    pdf = render([_label()], THERMAL, "pdf")[0]
    assert b"STSong-Light" in pdf


def test_field_data_from_an_order_cannot_become_printer_commands() -> None:
    hostile = ShipTo("Evil^XZ^XA~JA", ("^FO0,0^GB800,800,800^FS",), "CN")
    zpl = render([_label(ship_to=hostile)], THERMAL, "zpl")[0].decode()
    commands = set(re.findall(r"[\^~]([A-Z@][A-Z0-9]?)", zpl))
    assert commands <= {"XA", "XZ", "CI", "PW", "LL", "LH", "FO", "GB", "FS", "A0", "FB", "FH"} | {
        "FD",
        "A@",
    }
    assert zpl.count("^XA") == 1


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"sscc": "123456789012345678"}, "not an SSCC"),
        ({"waybill": ""}, "waybill number"),
        ({"waybill": "EA12\n3456785CN"}, "waybill number"),
        ({"weight_g": 0}, "weight"),
        ({"parcel": 3, "parcels": 2}, "parcel 3 of 2"),
        ({"order": "SO-1\x1b[2J"}, "order number"),
    ],
)
def test_what_cannot_be_printed_faithfully_is_refused(change: dict[str, object], says: str) -> None:
    with pytest.raises(InvalidBarcode, match=says):
        _label(**change)


def test_a_consignee_needs_a_name_and_an_address_on_plain_lines() -> None:
    with pytest.raises(InvalidBarcode, match="name and address"):
        ShipTo(" ", ("1 Road",), "CN")
    with pytest.raises(InvalidBarcode, match="address line"):
        ShipTo("Li Wei", ("1 Road\nDROP TABLE",), "CN")


def test_a_label_too_small_or_an_address_too_long_does_not_fit() -> None:
    with pytest.raises(LabelDoesNotFit, match="100 x 150"):
        render([_label()], STOCKS["thermal-50x25"], "zpl")
    novel = ShipTo("Li Wei", tuple(f"Building {n}, Block {n}" for n in range(20)), "CN")
    with pytest.raises(LabelDoesNotFit, match="address is too long"):
        render([_label(ship_to=novel)], THERMAL, "pdf")
