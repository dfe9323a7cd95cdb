"""AIM symbology identifiers: which barcode a scan came from (ISO/IEC 15424, GS1 GenSpecs 5.1.2).

A scanner set to send them puts ``]`` + code character + modifier in front of the data:
``]C1`` GS1-128, ``]C0`` plain Code 128, ``]E0`` EAN-13/UPC-A, ``]d2`` GS1 DataMatrix …
"""

from __future__ import annotations

import re
from enum import Enum


class Symbology(Enum):
    """The barcode symbology, as told by the AIM symbology identifier."""

    EAN_UPC = "EAN-13/UPC"
    EAN_8 = "EAN-8"
    EAN_ADD_ON = "EAN/UPC add-on"
    ITF = "ITF"
    ITF_14 = "ITF-14"
    CODE_128 = "Code 128"
    GS1_128 = "GS1-128"
    CODE_39 = "Code 39"
    CODE_93 = "Code 93"
    CODABAR = "Codabar"
    PDF417 = "PDF417"
    QR = "QR Code"
    GS1_QR = "GS1 QR Code"
    DATA_MATRIX = "Data Matrix"
    GS1_DATA_MATRIX = "GS1 DataMatrix"
    GS1_DATABAR = "GS1 DataBar"
    GS1_COMPOSITE = "GS1 Composite"
    AZTEC = "Aztec"
    GS1_DOTCODE = "GS1 DotCode"
    OTHER = "other"


# AIM id = "]" + code character + modifier (ISO/IEC 15424); GS1 ids from GS1 GenSpecs 5.1.2-2.
_AIM_ID = re.compile(r"\]([A-Za-z])([0-9A-Za-z])")
_AIM_EXACT = {
    "E0": Symbology.EAN_UPC,
    "E1": Symbology.EAN_ADD_ON,
    "E2": Symbology.EAN_ADD_ON,
    "E3": Symbology.EAN_ADD_ON,
    "E4": Symbology.EAN_8,
    "I1": Symbology.ITF_14,
    "C1": Symbology.GS1_128,
    "e0": Symbology.GS1_DATABAR,
    "e1": Symbology.GS1_COMPOSITE,
    "e2": Symbology.GS1_COMPOSITE,
    "d2": Symbology.GS1_DATA_MATRIX,
    "Q3": Symbology.GS1_QR,
    "J1": Symbology.GS1_DOTCODE,
}
_AIM_BY_CODE = {
    "A": Symbology.CODE_39,
    "C": Symbology.CODE_128,
    "F": Symbology.CODABAR,
    "G": Symbology.CODE_93,
    "I": Symbology.ITF,
    "L": Symbology.PDF417,
    "Q": Symbology.QR,
    "d": Symbology.DATA_MATRIX,
    "e": Symbology.GS1_DATABAR,
    "z": Symbology.AZTEC,
}
GS1_SYMBOLOGIES = frozenset(
    {
        Symbology.GS1_128,
        Symbology.GS1_DATABAR,
        Symbology.GS1_COMPOSITE,
        Symbology.GS1_DATA_MATRIX,
        Symbology.GS1_QR,
        Symbology.GS1_DOTCODE,
    }
)
GTIN_SYMBOLOGIES = frozenset({Symbology.EAN_UPC, Symbology.EAN_8, Symbology.ITF, Symbology.ITF_14})


def split_aim_id(raw: str) -> tuple[Symbology | None, str]:
    """``"]C1010950…"`` → ``(Symbology.GS1_128, "010950…")``; no AIM id → ``(None, raw)``."""
    match = _AIM_ID.match(raw)
    if match is None:
        return None, raw
    code, modifier = match.groups()
    symbology = _AIM_EXACT.get(code + modifier) or _AIM_BY_CODE.get(code, Symbology.OTHER)
    return symbology, raw[match.end() :]
