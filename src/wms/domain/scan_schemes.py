"""The warehouse's own barcode schemes: what our printed labels look like.

Every label the warehouse prints follows one of these rules (hardware/SCANNERS.md shows them to
installers, and `wms.domain.scan.decode` checks them in this order):

- command barcodes: ``#`` + a `Command` name, e.g. ``#DONE``, ``#SHORT``, ``#MENU3``;
- operator badges: ``OP`` + 4 to 6 digits, e.g. ``OP0001``;
- internal LPNs (licence plates): ``LPN`` + 8 digits, e.g. ``LPN00000001``;
- totes (the reusable boxes on a picking cart): ``TOTE`` + 4 to 6 digits, e.g. ``TOTE0001``;
- documents: a `DocumentType` prefix + ``-`` + reference, e.g. ``PO-2024-0017``, ``PT-88``;
- locations: a regex the warehouse may configure;
  `wms.domain.locations.DEFAULT_LOCATION_PATTERN` matches bins such as ``A-01-03-B-2``
  (zone, aisle, bay, level, position) and short codes such as ``DOCK-01``: the codes
  `wms.domain.locations.parse_location` accepts.

Documents are checked before locations because ``PO-12`` also looks like a short location code.
"""

from __future__ import annotations

import re
from enum import Enum

COMMAND_PREFIX = "#"


class Command(Enum):
    """A command barcode: ``#`` + the member's name. Each mirrors a function key on the terminal."""

    DONE = "done"
    BACK = "back"
    SHORT = "short"
    EMPTY = "empty bin"
    DAMAGED = "damaged"
    CANCEL = "cancel"
    HELP = "help"
    NEXT = "next"
    YES = "yes"
    NO = "no"
    LOGOFF = "log off"
    MENU1 = "menu 1"
    MENU2 = "menu 2"
    MENU3 = "menu 3"
    MENU4 = "menu 4"
    MENU5 = "menu 5"
    MENU6 = "menu 6"
    MENU7 = "menu 7"
    MENU8 = "menu 8"
    MENU9 = "menu 9"
    MENU10 = "menu 10"
    MENU11 = "menu 11"
    MENU12 = "menu 12"
    MENU13 = "menu 13"

    @property
    def barcode(self) -> str:
        """The text to print in the command's barcode, e.g. ``#DONE``."""
        return COMMAND_PREFIX + self.name


class DocumentType(Enum):
    """Document kinds by the prefix of their number (the value)."""

    PURCHASE_ORDER = "PO"
    ASN = "ASN"
    SALES_ORDER = "SO"
    REEXPORT_ORDER = "RX"
    PICK_TASK = "PT"
    COUNT_TASK = "CT"
    RMA = "RMA"
    LOAD = "LD"  # a load at the outbound dock (hardware/SHIPPING.md)


# [0-9], not \d: \d also matches Arabic-Indic and other Unicode digits.
BADGE_PATTERN = re.compile(r"OP[0-9]{4,6}")
LPN_PATTERN = re.compile(r"LPN[0-9]{8}")
TOTE_PATTERN = re.compile(r"TOTE[0-9]{4,6}")
DOCUMENT_PATTERN = re.compile(
    r"(?P<prefix>" + "|".join(t.value for t in DocumentType) + r")-[0-9A-Z][0-9A-Z./_-]*"
)


def parse_command(text: str) -> Command | None:
    """The command a ``#NAME`` barcode stands for, or None when ``NAME`` is not a command."""
    if not text.startswith(COMMAND_PREFIX):
        return None
    return Command.__members__.get(text[len(COMMAND_PREFIX) :])


def document_type(text: str) -> DocumentType | None:
    """The document kind when ``text`` is a document number such as ``PO-17``, else None."""
    match = DOCUMENT_PATTERN.fullmatch(text)
    return DocumentType(match["prefix"]) if match else None
