"""Every label scans back to its data: rendered, rasterised and read by a real decoder
(zxing-cpp), with GS1 payloads re-parsed by biip. SVG, PDF and ZPL outputs are rasterised
from their own drawing commands, so what is checked is what each output says to draw."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
import zlib
from datetime import date

import biip
import pytest
import zxingcpp
from barcode.writer import ImageWriter
from PIL import Image, ImageDraw

from wms.domain.gtin import sscc
from wms.labels import (
    STOCKS,
    Label,
    LocationLabel,
    LotLabel,
    LpnLabel,
    ProductLabel,
    SsccLabel,
    gs1,
    render,
)
from wms.labels.code128 import SafeGs1128
from wms.labels.layout import layout
from wms.labels.model import LabelStock
from wms.labels.png import render_png

DPI = 203
THERMAL = STOCKS["thermal-100x150"]
SMALL = STOCKS["thermal-50x25"]
SSCC = sscc(0, "9501101", 42)


def scan(image: Image.Image) -> list[tuple[str, str]]:
    """(symbology identifier, transmitted text) of every barcode in the image."""
    found = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)
    return [(b.symbology_identifier, b.text) for b in found]


def scan_png(label: Label, stock: LabelStock = THERMAL) -> list[tuple[str, str]]:
    return scan(Image.open(io.BytesIO(render_png(layout(label, stock), DPI))))


def gs1_elements(symbology: str, text: str) -> list[tuple[str, str]]:
    parsed = biip.parse(symbology + text)
    assert parsed.gs1_message is not None, parsed.gs1_message_error
    return [(e.ai.ai, e.value) for e in parsed.gs1_message.element_strings]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        (LocationLabel("A-01-03-B-2"), ("]C0", "A-01-03-B-2")),
        (LpnLabel("LPN01000042"), ("]C0", "LPN01000042")),
        (ProductLabel("5901234123457", "SKU-1", "Widget"), ("]E0", "5901234123457")),
        # zxing reports UPC-A as EAN-13 with a leading 0, as scanners do.
        (ProductLabel("036000291452", "SKU-2", "Soup"), ("]E0", "0036000291452")),
        (ProductLabel("96385074", "SKU-3", "Gum"), ("]E4", "96385074")),
        (ProductLabel("15901234123454", "SKU-4", "Case of 12"), ("]I1", "15901234123454")),
    ],
    ids=["code128-location", "code128-lpn", "ean13", "upca", "ean8", "itf14"],
)
def test_each_symbology_scans_back_to_its_data(label: Label, expected: tuple[str, str]) -> None:
    assert scan_png(label) == [expected]


def test_code128_starting_with_99_keeps_its_99() -> None:
    # python-barcode 0.16.1 drops a leading "99" (#251); the label must still read 99-01-…
    assert scan_png(LocationLabel("99-01-02")) == [("]C0", "99-01-02")]
    assert scan_png(LocationLabel("9912")) == [("]C0", "9912")]


def test_sscc_label_scans_as_gs1_ai_00() -> None:
    [(symbology, text)] = scan_png(SsccLabel(SSCC, ("To: Customer",)))
    assert symbology == "]C1"
    assert gs1_elements(symbology, text) == [("00", SSCC)]


def test_lot_label_scans_as_gtin_expiry_and_lot() -> None:
    label = LotLabel("9501101530003", "LOT/42-a", date(2027, 1, 31), "Milk 1 L")
    [(symbology, text)] = scan_png(label)
    assert gs1_elements(symbology, text) == [
        ("01", "09501101530003"),
        ("17", "270131"),
        ("10", "LOT/42-a"),
    ]


def test_variable_length_field_in_the_middle_is_ended_by_fnc1() -> None:
    # Our lot label puts (10) last and needs no separator; any other order must get one.
    elements = [("01", "09501101530003"), ("10", "AB12"), ("17", "270131")]
    symbol = SafeGs1128(gs1.element_string(elements), writer=ImageWriter())
    [(symbology, text)] = scan(symbol.render({"module_width": 0.5, "dpi": DPI}))
    assert "\x1d" in text  # the FNC1 after the lot is transmitted as GS
    assert gs1_elements(symbology, text) == elements


# --- the documents themselves: rasterise what each output tells the printer to draw ---

LABELS: list[Label] = [
    LocationLabel("99-01-02"),
    ProductLabel("5901234123457", "SKU-1", "Widget"),
    LpnLabel("LPN00000007"),
]


def _canvas(width_mm: float, height_mm: float) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (round(width_mm * DPI / 25.4), round(height_mm * DPI / 25.4)), 255)
    return image, ImageDraw.Draw(image)


def _fill(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], px: float) -> None:
    """Fill an (x, y, width, height) box given in mm, at ``px`` pixels per mm."""
    x, y, w, h = box
    right, bottom = round((x + w) * px) - 1, round((y + h) * px) - 1
    draw.rectangle((round(x * px), round(y * px), right, bottom), fill=0)


def svg_bars(document: bytes) -> Image.Image:
    root = ET.fromstring(document)
    image, draw = _canvas(float(root.get("width", "0")[:-2]), float(root.get("height", "0")[:-2]))
    px = DPI / 25.4
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        move = re.fullmatch(r"translate\(([\d.]+) ([\d.]+)\)", group.get("transform", ""))
        if not move:
            continue
        ox, oy = float(move[1]), float(move[2])
        for rect in group.findall("{http://www.w3.org/2000/svg}rect"):
            x, y, w, h = (float(rect.get(k, 0)) for k in ("x", "y", "width", "height"))
            _fill(draw, (ox + x, oy + y, w, h), px)
    return image


def pdf_pages(document: bytes) -> list[Image.Image]:
    boxes = re.findall(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", document)
    streams = re.findall(rb"stream\r?\n(.*?)endstream", document, re.S)
    # The pages' drawing commands (ASCII85, then Flate); the other streams hold the font.
    contents = [
        zlib.decompress(base64.a85decode(s.strip(), adobe=True))
        for s in streams
        if s.strip().startswith(b"<~") or s.strip().endswith(b"~>")
    ]
    images = []
    for (w, h), content in zip(boxes, contents, strict=True):
        ops = content.decode()
        pt = 25.4 / 72
        image, draw = _canvas(float(w) * pt, float(h) * pt)
        for x, y, rw, rh in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re", ops):
            top = float(h) - float(y) - float(rh)
            box = (float(x) * pt, top * pt, float(rw) * pt, float(rh) * pt)
            _fill(draw, box, DPI / 25.4)
        images.append(image)
    return images


def zpl_labels(document: str) -> list[Image.Image]:
    images = []
    for fmt in document.split("^XZ")[:-1]:
        width, height = re.search(r"\^PW(\d+)", fmt), re.search(r"\^LL(\d+)", fmt)
        assert width
        assert height
        image = Image.new("L", (int(width[1]), int(height[1])), 255)
        draw = ImageDraw.Draw(image)
        for x, y, w, h in re.findall(r"\^FO(\d+),(\d+)\^GB(\d+),(\d+),\d+\^FS", fmt):
            draw.rectangle((int(x), int(y), int(x) + int(w) - 1, int(y) + int(h) - 1), fill=0)
        images.append(image)
    return images


EXPECTED = [("]C0", "99-01-02"), ("]E0", "5901234123457"), ("]C0", "LPN00000007")]


def test_svg_pages_scan_back() -> None:
    [page] = render(LABELS, STOCKS["a4-3x8"], "svg")
    assert sorted(scan(svg_bars(page))) == sorted(EXPECTED)


def test_pdf_sheet_and_thermal_pages_scan_back() -> None:
    [sheet] = pdf_pages(render(LABELS, STOCKS["a4-3x8"], "pdf")[0])
    assert sorted(scan(sheet)) == sorted(EXPECTED)
    roll = pdf_pages(render(LABELS, SMALL, "pdf")[0])
    assert [scan(page) for page in roll] == [[e] for e in EXPECTED]


def test_zpl_bars_scan_back() -> None:
    document = render(LABELS, SMALL, "zpl")[0].decode()
    assert [scan(label) for label in zpl_labels(document)] == [[e] for e in EXPECTED]
