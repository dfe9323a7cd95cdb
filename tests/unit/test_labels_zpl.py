"""ZPL: byte-for-byte golden files, and field data that can never become printer commands."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from wms.domain.gtin import sscc
from wms.labels import (
    STOCKS,
    Label,
    LocationLabel,
    LotLabel,
    ProductLabel,
    ShippingLabel,
    ShipTo,
    SsccLabel,
    render,
)
from wms.labels.zpl import escape_field

GOLDEN = Path(__file__).parents[1] / "golden" / "labels"
# Set to rewrite the golden files after an intended change; review the diff before committing.
UPDATE = os.environ.get("WMS_UPDATE_GOLDEN") == "1"

CASES: dict[str, tuple[list[Label], str, int]] = {
    "location-50x25": ([LocationLabel("A-01-03-B-2")], "thermal-50x25", 1),
    "product-ean13-50x25-x3": (
        [ProductLabel("5901234123457", "SKU-1", "Widget crème 500 g")],
        "thermal-50x25",
        3,
    ),
    "sscc-100x150": (
        [SsccLabel(sscc(0, "9501101", 42), ("From: Main DC", "To: Customer 17"))],
        "thermal-100x150",
        1,
    ),
    "shipping-100x150": (
        [
            ShippingLabel(
                "SF1234567890123",
                sscc(1, "9501101", 42),
                "SF",
                ShipTo(
                    "王芳", ("1 Qianhai Road, Nanshan",), "CN", phone="+86 755 0000", city="深圳"
                ),
                2050,
                "SO-2026-0102",
                service="standard",
            )
        ],
        "thermal-100x150",
        1,
    ),
    "lot-100x150": (
        [LotLabel("09501101530003", "LOT42", date(2027, 1, 31), "Milk 1 L")],
        "thermal-100x150",
        1,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_zpl_matches_golden_file(name: str) -> None:
    labels, stock, copies = CASES[name]
    zpl = render(labels, STOCKS[stock], "zpl", copies=copies)[0].decode()
    path = GOLDEN / f"{name}.zpl"
    if UPDATE:
        path.write_text(zpl, encoding="ascii")
    assert zpl == path.read_text(encoding="ascii")


# Commands our labels use; anything else starting with ^ or ~ would be injected.
OUR_COMMANDS = {"XA", "XZ", "CI", "PW", "LL", "LH", "FO", "GB", "FS", "A0", "FB", "FH", "FD", "PQ"}


def _unhex(field: str) -> str:
    return re.sub(r"_([0-9A-F]{2})", lambda m: chr(int(m[1], 16)), field)


def test_field_data_cannot_inject_commands() -> None:
    hostile = "Evil^XZ^XA^FO0,0^GB800,800,800^FS~JA~PS_1E\\&€"
    zpl = render([ProductLabel("5901234123457", hostile, hostile)], STOCKS["thermal-50x25"], "zpl")
    text = zpl[0].decode()
    assert "~" not in text
    assert set(re.findall(r"\^([A-Z][A-Z0-9])", text)) <= OUR_COMMANDS
    assert text.count("^XA") == 1
    assert text.count("^GB800") == 0
    # The name still prints as given: the hex escapes decode back to its UTF-8 bytes.
    fields = re.findall(r"\^FH\^FD(.*?)\^FS", text)
    printed = [_unhex(f).encode("latin-1").decode().replace("\\\\", "\\") for f in fields]
    assert any(p.startswith("Evil^XZ") for p in printed)
    assert all(re.fullmatch(r"[A-Za-z0-9 \-.,:/()+#*=_]*", f) for f in fields)


def test_escape_field_hex_escapes_control_characters_and_utf8() -> None:
    assert escape_field("A-01") == "A-01"
    assert escape_field("^~_") == "_5E_7E_5F"
    assert escape_field("é") == "_C3_A9"
    assert escape_field("a\\&b") == "a_5C_5C_26b"
