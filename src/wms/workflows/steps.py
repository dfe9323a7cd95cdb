"""What a step accepts: the one place a scan or a typed line is checked against the step it
arrives at, before any workflow code sees it.

Each workflow declares, per step, an `Accepts`: what the step wants in words (named in every
refusal), the kinds of scan it takes (`Takes`; for documents, which schemes), and the format of
a typed line, if it takes one (`TextFormat`). `Workflow.scan` and `Workflow.text`
(wms.workflows.base) apply it, so a step's handler only ever receives what the step declared:

    STEPS = {
        "bin": Accepts("Scan the bin", Takes.BIN),
        "lot": Accepts("Scan or type the lot", Takes.LOT, text=LOT),
        "task": Accepts("Scan the pick task", Takes.DOCUMENT, documents=(DocumentType.PICK_TASK,)),
    }

Anything else is refused with "<want>, not <what it was>" ("Scan or type the lot, not a product
barcode"). A typed line that reads as one of the warehouse's labels (a product, bin, pallet,
document, badge or command) is treated as that scan, so a typed or wedge-typed EAN is never
taken as a lot or a quantity; other text must fit the step's `TextFormat`. A scan the decoder
could not read goes the same way as typed text: a step that takes text takes its label's text
(a lot printed as a plain Code 128), any other refuses it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from wms.domain.errors import InvalidQuantity
from wms.domain.scan import Scan, ScanKind
from wms.domain.scan_schemes import DocumentType
from wms.domain.scan_words import described, product_code

MAX_QTY = 99_999  # more in one entry is a mistyped or misread number, not a quantity
MAX_LOT = 20  # GS1 AI (10) and (21): up to 20 characters


class Takes(Enum):
    """A kind of scan a step may take."""

    PRODUCT = "product"  # an EAN/UPC, a GS1 label with a GTIN, a case label (02 + 37)
    LOT = "lot"  # a GS1 label that carries a lot (10)
    SERIAL = "serial"  # a GS1 label that carries a serial number (21)
    EXPIRY = "expiry"  # a GS1 label that carries an expiry date (17)
    BIN = "bin"  # a location label
    PALLET = "pallet"  # an SSCC or an LPN
    BADGE = "badge"
    DOCUMENT = "document"  # of the schemes `Accepts.documents` names
    TOTE = "tote"  # a tote on a picking cart (TOTE0001)
    PARCEL = "parcel"  # a parcel's shipping label: its SSCC (AI 00)
    LOAD = "load"  # a load at the outbound dock (LD-...)


def _takes(takes: Takes, scan: Scan) -> bool:
    kind = scan.kind
    match takes:
        case Takes.PRODUCT:
            return product_code(scan) is not None
        case Takes.LOT:
            return kind is ScanKind.GS1 and bool(scan.lot)
        case Takes.SERIAL:
            return kind is ScanKind.GS1 and bool(scan.serial)
        case Takes.EXPIRY:
            return kind is ScanKind.GS1 and scan.expiry is not None
        case Takes.BIN:
            return kind is ScanKind.LOCATION
        case Takes.PALLET:
            return kind is ScanKind.CONTAINER
        case Takes.BADGE:
            return kind is ScanKind.BADGE
        case Takes.DOCUMENT:
            return kind is ScanKind.DOCUMENT
        case Takes.TOTE:
            return kind is ScanKind.TOTE
        case Takes.PARCEL:
            return kind is ScanKind.CONTAINER and scan.sscc is not None
        case Takes.LOAD:
            return kind is ScanKind.DOCUMENT and scan.document_type is DocumentType.LOAD
    return False  # pragma: no cover - every member is matched above


def reads_as_label(scan: Scan) -> bool:
    """True when a typed line decodes as one of the warehouse's labels: it is a scan, then."""
    if scan.kind in (ScanKind.UNKNOWN, ScanKind.INVALID):
        return False
    return scan.kind is not ScanKind.GS1 or product_code(scan) is not None


@dataclass(frozen=True)
class TextFormat:
    """What a typed line must look like: ``problem`` returns the refusal, or None when the text
    fits."""

    what: str
    problem: Callable[[str], str | None]


def parse_qty(text: str) -> int:
    """A typed quantity: a positive whole number."""
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_QTY:
        raise InvalidQuantity(f"Not a quantity: {text[:20]}")
    return int(text)


def parse_expiry(text: str) -> date:
    """A typed expiry date, as YYMMDD (the GS1 form) or YYYY-MM-DD."""
    for fmt in ("%y%m%d", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidQuantity(f"Not a date: {text[:20]} (YYMMDD)")


def _parses(parse: Callable[[str], object]) -> Callable[[str], str | None]:
    def problem(text: str) -> str | None:
        try:
            parse(text)
        except InvalidQuantity as refusal:
            return refusal.message
        return None

    return problem


def _code(what: str) -> Callable[[str], str | None]:
    # Printable ASCII without spaces: what a scanner reads back from a GS1 field.
    def problem(text: str) -> str | None:
        ok = 0 < len(text) <= MAX_LOT and all("!" <= ch <= "~" for ch in text)
        return None if ok else f"Not {what}: {text[:20]} (1-{MAX_LOT} letters/digits)"

    return problem


def _words(text: str) -> str | None:
    ok = 0 < len(text) <= 100 and text.isprintable() and not text.isspace()
    return None if ok else "Type a few words (up to 100 characters)"


def choice(*options: str) -> TextFormat:
    """One of ``options`` (any case)."""
    listed = ", ".join(options)

    def problem(text: str) -> str | None:
        return None if text.lower() in options else f"Type one of: {listed}"

    return TextFormat(f"one of {listed}", problem)


QUANTITY = TextFormat("a quantity", _parses(parse_qty))
EXPIRY_DATE = TextFormat("a date", _parses(parse_expiry))
LOT = TextFormat("a lot", _code("a lot"))
SERIAL = TextFormat("a serial number", _code("a serial number"))
WORDS = TextFormat("a few words", _words)
ANY_TEXT = TextFormat("text", lambda text: None if text.isprintable() else "Unprintable text")


@dataclass(frozen=True)
class Accepts:
    """What one step takes: ``want`` says it in words (the refusal names it), ``scans`` the
    kinds of scan, ``documents`` which document schemes a `Takes.DOCUMENT` step takes (all when
    empty), ``text`` the format of a typed line (None: the step takes no typed line)."""

    want: str
    scans: tuple[Takes, ...] = ()
    documents: tuple[DocumentType, ...] = ()
    text: TextFormat | None = None

    def __init__(
        self,
        want: str,
        *scans: Takes,
        documents: tuple[DocumentType, ...] = (),
        text: TextFormat | None = None,
    ) -> None:
        object.__setattr__(self, "want", want)
        object.__setattr__(self, "scans", scans)
        object.__setattr__(self, "documents", documents)
        object.__setattr__(self, "text", text)

    def takes(self, scan: Scan) -> bool:
        """True when ``scan`` is one of the kinds this step takes."""
        wrong_scheme = scan.kind is ScanKind.DOCUMENT and scan.document_type not in self.documents
        if self.documents and wrong_scheme:
            return False
        return any(_takes(t, scan) for t in self.scans)

    def refusal(self, scan: Scan) -> str:
        """The message refusing ``scan``: what the step wants, and what the scan was."""
        if scan.kind is ScanKind.INVALID and scan.message:
            return scan.message  # a misread (bad check digit): that is what to say
        if not self.scans:
            return self.want
        return f"{self.want}, not {described(scan)}"

    def text_problem(self, text: str) -> str | None:
        """Why a typed line does not fit this step, or None when it does."""
        if self.text is None:
            return f"{self.want}, not typed text"
        return self.text.problem(text)


Steps = Mapping[str, Accepts]
"""What each step of a workflow accepts, by step name."""

NOTHING = Accepts("Nothing to scan here: F3 to go back")
"""A step (or a screen) that takes no scan and no typed line; commands still work."""
