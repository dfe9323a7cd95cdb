"""What a scan means: the `Scan` value and `decode`, from a scanner's text to a typed Scan.

The reader frames the serial bytes into text (`wms.scanner.framing`); the keyboard path hands over
what was typed. Both call `decode`, which takes the AIM symbology id off (``]C1``, ``]E0`` …) and
classifies what is left, in this order:

1. ``http(s)://`` → a GS1 Digital Link URL (a URL that is not one is UNKNOWN);
2. a GS1 symbology (GS1-128, DataBar, GS1 DataMatrix/QR/DotCode) → GS1 element strings, GS
   (0x1d) separating variable-length fields; with AI 00 the scan is a CONTAINER, else GS1;
3. an EAN/UPC/ITF symbology → a GTIN, check digit verified, PRODUCT;
4. our own labels (`wms.domain.scan_schemes`): command, badge, LPN, document, location;
5. no AIM id: digits of a GTIN length → PRODUCT; other digit-led text → GS1 element strings;
6. anything else → UNKNOWN, with its raw text.

`decode` never raises: a code that breaks a rule (bad check digit, bad GS1 date …) comes back as
INVALID with a `message` short enough for a 40-column screen. The raw text is kept exactly as it
came, GS included: never `strip()` or `split()` it, Python treats GS as whitespace.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from biip import ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString, GS1ElementStrings

from wms.domain.errors import InvalidBarcode, UnknownCode
from wms.domain.gtin import GTIN_LENGTHS, is_valid_gtin, normalize_gtin
from wms.domain.locations import DEFAULT_LOCATION_PATTERN
from wms.domain.scan_schemes import (
    BADGE_PATTERN,
    COMMAND_PREFIX,
    LPN_PATTERN,
    TOTE_PATTERN,
    Command,
    DocumentType,
    document_type,
    parse_command,
)
from wms.domain.symbology import (
    GS1_SYMBOLOGIES,
    GTIN_SYMBOLOGIES,
    Symbology,
    split_aim_id,
)

GS = "\x1d"
"""ASCII group separator: how scanners transmit FNC1 between GS1 fields."""


class ScanKind(Enum):
    """What a scan identifies."""

    PRODUCT = "product"
    GS1 = "gs1"
    CONTAINER = "container"
    TOTE = "tote"
    LOCATION = "location"
    BADGE = "badge"
    COMMAND = "command"
    DOCUMENT = "document"
    UNKNOWN = "unknown"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Scan:
    """One decoded scan. ``raw`` is the exact text received (AIM id and GS kept).

    Which fields are set depends on ``kind``: PRODUCT has ``gtin`` (always 14 digits); GS1 and
    CONTAINER carry the element strings' fields (a CONTAINER is an SSCC, AI 00, or an internal
    LPN in ``code``); TOTE, LOCATION, BADGE and DOCUMENT have the label's text in ``code``;
    COMMAND has ``command``; UNKNOWN and INVALID have ``message``.
    """

    kind: ScanKind
    raw: str
    symbology: Symbology | None = None
    gtin: str | None = None
    lot: str | None = None
    expiry: date | None = None
    best_before: date | None = None
    production_date: date | None = None
    packaging_date: date | None = None
    serial: str | None = None
    sscc: str | None = None
    content_gtin: str | None = None
    count: int | None = None
    net_weight_kg: Decimal | None = None
    gln: str | None = None
    gln_extension: str | None = None
    code: str | None = None
    document_type: DocumentType | None = None
    command: Command | None = None
    hri: str | None = None
    message: str | None = None


def decode(
    raw: str,
    *,
    aim_ids: bool = True,
    location_pattern: re.Pattern[str] = DEFAULT_LOCATION_PATTERN,
) -> Scan:
    """Decode one scan's text into a `Scan`. Never raises.

    ``aim_ids``: take a leading AIM symbology id off (a scan without one is still decoded).
    False keeps the text whole, for scanners that send none and labels that start with ``]``.
    ``location_pattern`` is the warehouse's location label regex, matched against the whole text.
    """
    symbology, body = split_aim_id(raw) if aim_ids else (None, raw)
    try:
        return _classify(raw, body, symbology, location_pattern)
    except InvalidBarcode as exc:
        return Scan(ScanKind.INVALID, raw, symbology, message=exc.message)
    except UnknownCode as exc:
        return Scan(ScanKind.UNKNOWN, raw, symbology, message=exc.message)


def _classify(
    raw: str, body: str, symbology: Symbology | None, location_pattern: re.Pattern[str]
) -> Scan:
    data = body.lstrip(GS)  # a leading GS is FNC1 in first position, sent when AIM ids are off
    if not data:
        raise UnknownCode("Empty scan")
    if body[:8].lower().startswith(("http://", "https://")):
        return _gs1_scan(raw, symbology, _digital_link(body))
    if symbology in GS1_SYMBOLOGIES:
        try:
            return _gs1_scan(raw, symbology, _element_strings(body))
        except UnknownCode as exc:  # the scanner said GS1: data that is not is broken, not foreign
            raise InvalidBarcode(exc.message) from None
    if symbology in GTIN_SYMBOLOGIES:
        return _product(raw, body, symbology)
    if scan := _own_label(raw, body, symbology, location_pattern):
        return scan
    head = data[:2]  # an AI, when this is a GS1 element string without AIM id
    if symbology is None and head.isascii() and head.isdigit():
        if body.isdigit() and len(body) in GTIN_LENGTHS:
            return _product(raw, body, symbology)
        with suppress(UnknownCode):  # digits that are not GS1 either: an unknown code
            return _gs1_scan(raw, symbology, _element_strings(body))
    raise UnknownCode(f"Unknown code {_shown(body)}")


def _own_label(
    raw: str, body: str, symbology: Symbology | None, location_pattern: re.Pattern[str]
) -> Scan | None:
    if body.startswith(COMMAND_PREFIX):
        command = parse_command(body)
        if command is None:
            raise UnknownCode(f"Unknown command {_shown(body)}")
        return Scan(ScanKind.COMMAND, raw, symbology, command=command)
    if BADGE_PATTERN.fullmatch(body):
        return Scan(ScanKind.BADGE, raw, symbology, code=body)
    if LPN_PATTERN.fullmatch(body):
        return Scan(ScanKind.CONTAINER, raw, symbology, code=body)
    if TOTE_PATTERN.fullmatch(body):
        return Scan(ScanKind.TOTE, raw, symbology, code=body)
    if doc_type := document_type(body):
        return Scan(ScanKind.DOCUMENT, raw, symbology, code=body, document_type=doc_type)
    if location_pattern.fullmatch(body):
        return Scan(ScanKind.LOCATION, raw, symbology, code=body)
    return None


def _product(raw: str, digits: str, symbology: Symbology | None) -> Scan:
    if not (digits.isascii() and digits.isdigit() and len(digits) in GTIN_LENGTHS):
        raise InvalidBarcode(f"Not a GTIN: {_shown(digits)}")
    if not is_valid_gtin(digits):
        raise InvalidBarcode(f"Bad check digit in {digits}")
    return Scan(ScanKind.PRODUCT, raw, symbology, gtin=normalize_gtin(digits))


def _element_strings(body: str) -> GS1ElementStrings:
    """Parse GS1 element strings one by one, so a failure can name the field that broke."""
    elements = GS1ElementStrings()
    rest = body.lstrip(GS)
    while rest:
        try:
            element = GS1ElementString.extract(rest)
        except ParseError:
            raise UnknownCode(_gs1_failure(rest)) from None
        elements.append(element)
        rest = rest[len(element) :].lstrip(GS)
    return elements


def _gs1_failure(rest: str) -> str:
    try:
        ai = GS1ApplicationIdentifier.extract(rest)
    except ParseError:
        return f"No GS1 AI at {_shown(rest)}"
    return f"Bad GS1 field {ai}: {_shown(rest[len(ai.ai) :])}"


def _digital_link(url: str) -> GS1ElementStrings:
    try:
        return GS1DigitalLinkURI.parse(url).element_strings
    except ParseError:
        raise UnknownCode(f"Not a GS1 Digital Link: {_shown(url)}") from None


def _gs1_scan(raw: str, symbology: Symbology | None, elements: GS1ElementStrings) -> Scan:
    by_ai: dict[str, GS1ElementString] = {}
    for element in elements:
        if element.gtin_error or element.sscc_error or element.gln_error:
            raise InvalidBarcode(f"Bad check digit in {element.value}")
        by_ai.setdefault(element.ai.ai, element)

    def text(ai: str) -> str | None:
        element = by_ai.get(ai)
        return element.value if element else None

    def day(ai: str) -> date | None:
        element = by_ai.get(ai)
        return element.date if element else None

    count = text("37") or text("30")
    weight = next((e for ai, e in by_ai.items() if ai.startswith("310")), None)  # 3100-3109
    sscc = text("00")
    return Scan(
        ScanKind.CONTAINER if sscc else ScanKind.GS1,
        raw,
        symbology,
        gtin=text("01"),
        lot=text("10"),
        expiry=day("17"),
        best_before=day("15"),
        production_date=day("11"),
        packaging_date=day("13"),
        serial=text("21"),
        sscc=sscc,
        content_gtin=text("02"),
        count=int(count) if count else None,
        net_weight_kg=weight.decimal if weight else None,
        gln=text("414"),
        gln_extension=text("254"),
        hri="".join(element.as_hri() for element in elements),
    )


def _shown(text: str, limit: int = 20) -> str:
    """``text`` for a 40-column message: GS made visible, cut to ``limit`` characters."""
    visible = text.replace(GS, "<GS>")
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"
