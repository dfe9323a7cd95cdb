"""GS1 element strings for GS1-128: validation, FNC1 separators and the human-readable line.

python-barcode checks none of this (it only prepends the leading FNC1), so every AI is
validated here before a bar is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from wms.domain.gtin import is_valid_gtin, is_valid_sscc
from wms.labels.errors import LabelError
from wms.labels.model import GS1_CSET82, MAX_LOT_LENGTH

# python-barcode's FNC1 character inside Code 128 data.
FNC1 = "\xf1"
# GS1 General Specifications fig. 5.10.1-2: AIs starting with these two digits have a
# predefined length and never need an FNC1 after them. Every other AI does, unless last.
PREDEFINED_LENGTH_PREFIXES = frozenset(
    [
        "00",
        "01",
        "02",
        "03",
        "04",
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "20",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "41",
    ]
)
# GS1-128 carries at most 48 data characters (AIs, data and separating FNC1s).
MAX_DATA_CHARACTERS = 48

DATE_AIS = frozenset({"11", "13", "15", "16", "17"})

Element = tuple[str, str]


def gs1_date(day: date) -> str:
    """A date as GS1 YYMMDD (AI 11-17)."""
    return day.strftime("%y%m%d")


def _check(ai: str, value: str) -> None:
    if ai == "00" and not is_valid_sscc(value):
        raise LabelError(f"(00) {value}: not an SSCC")
    if ai in ("01", "02") and not (len(value) == 14 and is_valid_gtin(value)):
        raise LabelError(f"({ai}) {value}: not a GTIN-14")
    if ai in DATE_AIS and not (len(value) == 6 and value.isdigit()):
        raise LabelError(f"({ai}) {value}: not a YYMMDD date")
    if ai in ("10", "21"):
        if not 1 <= len(value) <= MAX_LOT_LENGTH or not set(value) <= GS1_CSET82:
            raise LabelError(f"({ai}) {value!r}: 1-{MAX_LOT_LENGTH} GS1 characters")
    elif ai not in ("00", "01", "02", *DATE_AIS):
        raise LabelError(f"AI ({ai}) is not supported on our labels")


def element_string(elements: Sequence[Element]) -> str:
    """The Code 128 data for ``elements`` (after the leading FNC1 python-barcode adds).

    An FNC1 follows each variable-length field except the last, so a scanner knows where it
    ends; it transmits that FNC1 as GS (0x1d).
    """
    if not elements:
        raise LabelError("a GS1-128 label needs at least one element")
    parts: list[str] = []
    for i, (ai, value) in enumerate(elements):
        _check(ai, value)
        parts.append(ai + value)
        is_last = i == len(elements) - 1
        if not is_last and ai[:2] not in PREDEFINED_LENGTH_PREFIXES:
            parts.append(FNC1)
    data = "".join(parts)
    if len(data) > MAX_DATA_CHARACTERS:
        raise LabelError(f"GS1-128 holds at most {MAX_DATA_CHARACTERS} characters")
    return data


def hri(elements: Sequence[Element]) -> str:
    """The human-readable interpretation printed under the bars: ``(01)…(17)…(10)…``."""
    return "".join(f"({ai}){value}" for ai, value in elements)
