"""What each kind of barcode decodes to (wms.domain.scan.decode)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wms.domain.errors import InvalidBarcode
from wms.domain.locations import parse_location
from wms.domain.scan import GS, Scan, ScanKind, decode
from wms.domain.scan_schemes import Command, DocumentType
from wms.domain.symbology import Symbology

GTIN = "09501101530003"


def fields_of(scan: Scan, *names: str) -> dict[str, object]:
    return {name: getattr(scan, name) for name in names}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # GS1-128 with the AIM id: GS ends the variable-length lot, the serial stays apart.
        (
            f"]C101{GTIN}17250131" + f"10LOT42{GS}21SER9",
            {"gtin": GTIN, "expiry": date(2025, 1, 31), "lot": "LOT42", "serial": "SER9"},
        ),
        # No AIM id, FNC1 in first position sent as a leading GS.
        (f"{GS}01{GTIN}10LOT42{GS}15250600", {"lot": "LOT42", "best_before": date(2025, 6, 30)}),
        # A trailing GS (some scanners end on one) is a separator, not part of the serial.
        (f"]d201{GTIN}21SER9{GS}", {"serial": "SER9", "symbology": Symbology.GS1_DATA_MATRIX}),
        (
            f"]C101{GTIN}11240102{GS}13240103{GS}3102001234",
            {
                "production_date": date(2024, 1, 2),
                "packaging_date": date(2024, 1, 3),
                "net_weight_kg": Decimal("12.34"),
            },
        ),
        (f"]C101{GTIN}3012", {"count": 12}),
        (f"]C14140614141000012{GS}254A1", {"gln": "0614141000012", "gln_extension": "A1"}),
        (
            f"]C101{GTIN}10LOT42{GS}21SER9",
            {"hri": f"(01){GTIN}(10)LOT42(21)SER9", "raw": f"]C101{GTIN}10LOT42{GS}21SER9"},
        ),
    ],
)
def test_gs1_element_strings_become_gs1_scans_with_their_fields(
    raw: str, expected: dict[str, object]
) -> None:
    scan = decode(raw)
    assert scan.kind is ScanKind.GS1
    assert fields_of(scan, *expected) == expected


def test_an_sscc_makes_a_container_with_its_content() -> None:
    scan = decode(f"]C100106141411234567897{GS}02{GTIN}3720")
    assert scan.kind is ScanKind.CONTAINER
    assert fields_of(scan, "sscc", "content_gtin", "count") == {
        "sscc": "106141411234567897",
        "content_gtin": GTIN,
        "count": 20,
    }


@pytest.mark.parametrize(
    "url",
    [
        f"https://id.gs1.org/01/{GTIN}/10/ABC?17=250131",
        f"HTTPS://ID.GS1.ORG/01/{GTIN}/10/ABC?17=250131",  # QR alphanumeric mode is upper case
        f"]Q1https://example.com/p/01/{GTIN}/10/ABC?17=250131",
    ],
)
def test_gs1_digital_link_urls_decode_like_element_strings(url: str) -> None:
    scan = decode(url)
    assert (scan.kind, scan.gtin, scan.lot, scan.expiry) == (
        ScanKind.GS1,
        GTIN,
        "ABC",
        date(2025, 1, 31),
    )


def test_a_url_that_is_not_a_digital_link_is_unknown() -> None:
    scan = decode("https://example.com/about")
    assert scan.kind is ScanKind.UNKNOWN
    assert (scan.message or "").startswith("Not a GS1 Digital Link")


@pytest.mark.parametrize(
    ("raw", "gtin", "symbology"),
    [
        ("]E04006381333931", "04006381333931", Symbology.EAN_UPC),
        ("4006381333931", "04006381333931", None),
        ("036000291452", "00036000291452", None),  # UPC-A
        ("]E496385074", "00000096385074", Symbology.EAN_8),
        ("]I110950110153004", "10950110153004", Symbology.ITF_14),
        (GTIN, GTIN, None),
    ],
)
def test_ean_upc_and_gtin_14_become_products_with_a_14_digit_gtin(
    raw: str, gtin: str, symbology: Symbology | None
) -> None:
    assert decode(raw) == Scan(ScanKind.PRODUCT, raw, symbology, gtin=gtin)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("]E00950110153001", "Bad check digit in 0950110153001"),
        ("0950110153001", "Bad check digit in 0950110153001"),
        (f"]C10109501101530004{GS}10LOT", "Bad check digit in 09501101530004"),
        ("]C100106141411234567890", "Bad check digit in 106141411234567890"),
        (f"https://id.gs1.org/01/{GTIN[:-1]}4", "Bad check digit in 09501101530004"),
        ("]E0ABC", "Not a GTIN: ABC"),
        ("]C11725133110X", "Bad GS1 field (17): 25133110X"),
        ("]C1hello", "No GS1 AI at hello"),
    ],
)
def test_broken_codes_are_invalid_never_products(raw: str, message: str) -> None:
    scan = decode(raw)
    assert (scan.kind, scan.message, scan.gtin) == (ScanKind.INVALID, message, None)
    assert len(message) <= 40


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("OP0001", ScanKind.BADGE, {"code": "OP0001"}),
        ("]C0OP123456", ScanKind.BADGE, {"code": "OP123456"}),
        ("LPN00000001", ScanKind.CONTAINER, {"code": "LPN00000001", "sscc": None}),
        ("#DONE", ScanKind.COMMAND, {"command": Command.DONE}),
        ("#EMPTY", ScanKind.COMMAND, {"command": Command.EMPTY}),
        ("]C0#MENU3", ScanKind.COMMAND, {"command": Command.MENU3}),
        ("PO-2024-0017", ScanKind.DOCUMENT, {"document_type": DocumentType.PURCHASE_ORDER}),
        ("ASN-88", ScanKind.DOCUMENT, {"document_type": DocumentType.ASN}),
        ("RX-7", ScanKind.DOCUMENT, {"document_type": DocumentType.REEXPORT_ORDER}),
        ("RMA-12", ScanKind.DOCUMENT, {"document_type": DocumentType.RMA}),
        ("A-01-03-B-2", ScanKind.LOCATION, {"code": "A-01-03-B-2"}),
        ("ZONE-12-01-C-9", ScanKind.LOCATION, {"code": "ZONE-12-01-C-9"}),
        ("DOCK-01", ScanKind.LOCATION, {"code": "DOCK-01"}),
        ("BDOCK-01", ScanKind.LOCATION, {"code": "BDOCK-01"}),
    ],
)
def test_our_own_labels(raw: str, kind: ScanKind, expected: dict[str, object]) -> None:
    scan = decode(raw)
    assert scan.kind is kind
    assert fields_of(scan, *expected) == expected


def test_every_command_barcode_decodes_to_its_command() -> None:
    assert [decode(command.barcode).command for command in Command] == list(Command)


@pytest.mark.parametrize(
    "code",
    [
        *("A-01-03-B-2", "ABCD-99-99-Z-9", "DOCK-01", "BDOCK-01", "QA-01", "RET-01"),
        *("ABCDEF-01", "A-1-03-B-2", "a-01-03-B-2", "A-01-03-BB-2", "DOCK-1", "DOCK-001", "-01"),
    ],
)
def test_a_scan_is_a_location_exactly_when_the_location_rules_accept_its_code(code: str) -> None:
    try:
        parse_location(code)
    except InvalidBarcode:
        accepted = False
    else:
        accepted = True
    assert (decode(code).kind is ScanKind.LOCATION) == accepted


def test_the_location_pattern_is_the_warehouses() -> None:
    aisles = re.compile(r"[0-9]{3}\.[0-9]{2}")
    assert decode("104.07", location_pattern=aisles).kind is ScanKind.LOCATION
    assert decode("A-01-03-B-2", location_pattern=aisles).kind is ScanKind.UNKNOWN


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("hello", "Unknown code hello"),
        ("12345", "Unknown code 12345"),  # digits, but neither a GTIN nor GS1
        ("#JUMP", "Unknown command #JUMP"),
        ("op0001", "Unknown code op0001"),
        ("OP123", "Unknown code OP123"),
        ("]C0" + GTIN, f"Unknown code {GTIN}"),  # a Code 128 of digits is not an EAN
        ("", "Empty scan"),
    ],
)
def test_unknown_codes_come_through_with_their_raw_text(raw: str, message: str) -> None:
    assert decode(raw) == Scan(ScanKind.UNKNOWN, raw, decode(raw).symbology, message=message)


def test_without_aim_ids_a_leading_bracket_is_data() -> None:
    scan = decode("]C0OP0001", aim_ids=False)
    assert (scan.kind, scan.symbology) == (ScanKind.UNKNOWN, None)


def test_gs_is_whitespace_to_python_but_a_separator_to_us() -> None:
    raw = f"]C101{GTIN}10LOT42{GS}21SER9"
    assert raw.split() != [raw]  # the trap: split() and strip() treat GS as whitespace
    scan = decode(raw)
    assert (scan.raw, scan.lot, scan.serial) == (raw, "LOT42", "SER9")


aim_ids = st.sampled_from(["", "]C1", "]C0", "]E0", "]E4", "]I1", "]d2", "]Q1", "]Q3", "]e0", "]"])
scan_text = st.text(alphabet=st.sampled_from("0123456789ABC#-/.:?=()hpst" + GS), max_size=60)


@given(prefix=aim_ids, body=scan_text | st.text(max_size=60))
def test_decode_never_raises_and_keeps_the_raw_text(prefix: str, body: str) -> None:
    scan = decode(prefix + body)
    assert scan.raw == prefix + body
    if scan.kind in (ScanKind.UNKNOWN, ScanKind.INVALID):
        assert scan.message
