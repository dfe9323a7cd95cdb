"""What a label says (one dataclass per kind) and what it is printed on (a label stock).

Each label validates itself when built, so a wrong check digit or an unprintable code is refused
before anything is rendered: python-barcode would otherwise silently "fix" it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from wms.domain.errors import InvalidBarcode
from wms.domain.gtin import is_valid_sscc, normalize_gtin
from wms.domain.scan_schemes import LPN_PATTERN
from wms.labels.errors import LabelError

# Longest location / LPN code the store holds (Location.code, Container.code).
MAX_CODE_LENGTH = 30
# GS1 AI (10) batch/lot: up to 20 characters of GS1 character set 82.
MAX_LOT_LENGTH = 20
GS1_CSET82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)


def _check_code128_text(code: str, what: str) -> None:
    # Printable ASCII is Code 128 subset B; control characters would not survive a scanner's
    # keyboard or serial output, and edge spaces are invisible on the printed text.
    if not code or len(code) > MAX_CODE_LENGTH:
        raise InvalidBarcode(f"{what} must be 1-{MAX_CODE_LENGTH} characters")
    if not all(" " <= ch <= "~" for ch in code) or code != code.strip():
        raise InvalidBarcode(f"{what} {code!r}: printable ASCII only, no edge spaces")


@dataclass(frozen=True)
class LocationLabel:
    """A bin or rack label: the location code in Code 128 with large text."""

    code: str

    def __post_init__(self) -> None:
        _check_code128_text(self.code, "location code")


@dataclass(frozen=True)
class LpnLabel:
    """An internal licence plate (container) number in Code 128: ``LPN`` + 8 digits, the
    scheme the scanner recognises (wms.domain.scan_schemes)."""

    code: str

    def __post_init__(self) -> None:
        if not LPN_PATTERN.fullmatch(self.code):
            raise InvalidBarcode(f"{self.code!r} is not an LPN (LPN + 8 digits)")


@dataclass(frozen=True)
class ProductLabel:
    """A product label: EAN-13, UPC-A, EAN-8 or ITF-14, chosen from the GTIN.

    ``gtin`` is stored as GTIN-14; a wrong check digit raises InvalidBarcode.
    """

    gtin: str
    sku: str
    name: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "gtin", normalize_gtin(self.gtin))


@dataclass(frozen=True)
class SsccLabel:
    """A pallet (logistic unit) label: GS1-128 with AI (00), plus free text lines above it."""

    sscc: str
    lines: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not is_valid_sscc(self.sscc):
            raise InvalidBarcode(f"{self.sscc}: not an SSCC (18 digits, valid check digit)")


@dataclass(frozen=True)
class LotLabel:
    """A lot label: GS1-128 with AI (01) GTIN, (17) expiry and (10) lot."""

    gtin: str
    lot: str
    expiry: date
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "gtin", normalize_gtin(self.gtin))
        if not 1 <= len(self.lot) <= MAX_LOT_LENGTH or not set(self.lot) <= GS1_CSET82:
            raise InvalidBarcode(
                f"lot {self.lot!r}: 1-{MAX_LOT_LENGTH} GS1 characters (A-Z a-z 0-9 - . / …)"
            )


# Longest line of the consignee block; longer ones shrink, then are cut.
MAX_ADDRESS_LINE = 120


def _plain(text: str, what: str, *, max_length: int = MAX_ADDRESS_LINE) -> str:
    """One printable line: control characters (a newline from an address form) refused."""
    if len(text) > max_length or not text.isprintable():
        raise InvalidBarcode(
            f"{what} must be one printable line of at most {max_length} characters"
        )
    return text.strip()


@dataclass(frozen=True)
class ShipTo:
    """The consignee block of a shipping label: personal data, printed and nowhere else on the
    floor's paper. ``address`` is one or more lines (street, district)."""

    name: str
    address: tuple[str, ...]
    country: str
    phone: str = ""
    city: str = ""
    province: str = ""
    postcode: str = ""

    def __post_init__(self) -> None:
        if not self.name.strip() or not any(line.strip() for line in self.address):
            raise InvalidBarcode("a shipping label needs the consignee's name and address")
        for what, value in (
            ("consignee name", self.name),
            ("phone", self.phone),
            ("city", self.city),
            ("province", self.province),
            ("postcode", self.postcode),
            ("country", self.country),
            *(("address line", line) for line in self.address),
        ):
            _plain(value, what)

    def lines(self) -> list[str]:
        """The block as printed: name, phone, street lines, postcode and city, country."""
        place = " ".join(p for p in (self.postcode, self.city, self.province) if p.strip())
        out = [self.name, *(a for a in self.address if a.strip()), place, self.country]
        if self.phone.strip():
            out.insert(1, f"Tel {self.phone}")
        return [line.strip() for line in out if line.strip()]


@dataclass(frozen=True)
class ShippingLabel:
    """A parcel's 100 x 150 mm shipping label: the carrier's waybill number in Code 128, the
    consignee, the parcel's SSCC in GS1-128 (AI 00), its weight, the carrier and service, and
    the order. ``parcel``/``parcels``: this parcel's place in its order (1 of 2)."""

    waybill: str
    sscc: str
    carrier: str
    ship_to: ShipTo
    weight_g: int
    order: str
    service: str = ""
    parcel: int = 1
    parcels: int = 1
    sender: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not is_valid_sscc(self.sscc):
            raise InvalidBarcode(f"{self.sscc}: not an SSCC (18 digits, valid check digit)")
        _check_code128_text(self.waybill, "waybill number")
        if not 0 < self.weight_g <= 1_000_000:
            raise InvalidBarcode(f"parcel weight {self.weight_g} g is not a parcel's weight")
        if not 1 <= self.parcel <= self.parcels <= 999:
            raise InvalidBarcode(f"parcel {self.parcel} of {self.parcels}?")
        for what, value in (("carrier", self.carrier), ("service", self.service)):
            _plain(value, what, max_length=40)
        _plain(self.order, "order number", max_length=40)
        for line in self.sender:
            _plain(line, "sender line")


Label = LocationLabel | LpnLabel | ProductLabel | SsccLabel | LotLabel | ShippingLabel


@dataclass(frozen=True)
class LabelStock:
    """The media: one label's size, and for sheets the page and the grid of labels on it.

    ``dpi`` is the printer's resolution: bar widths are whole printer dots so that every bar
    of the same width prints the same width.
    """

    name: str
    width_mm: float
    height_mm: float
    dpi: int = 203
    padding_mm: float = 2.0
    columns: int = 1
    rows: int = 1
    page_width_mm: float | None = None
    page_height_mm: float | None = None
    margin_left_mm: float = 0.0
    margin_top_mm: float = 0.0
    gap_x_mm: float = 0.0
    gap_y_mm: float = 0.0

    @property
    def is_sheet(self) -> bool:
        """True for a page holding a grid of labels (laser/inkjet), False for a thermal roll."""
        return self.page_width_mm is not None

    @property
    def page_size_mm(self) -> tuple[float, float]:
        """The page size: the sheet, or one label on a roll."""
        if self.page_width_mm is None or self.page_height_mm is None:
            return self.width_mm, self.height_mm
        return self.page_width_mm, self.page_height_mm

    def at_dpi(self, dpi: int) -> LabelStock:
        """The same stock for a printer of another resolution."""
        return replace(self, dpi=dpi)


STOCKS: dict[str, LabelStock] = {
    # 3 x 8 labels of 70 x 37 mm fill an A4 page; 600 dpi matches office laser printers.
    "a4-3x8": LabelStock(
        "a4-3x8",
        70.0,
        37.0,
        dpi=600,
        padding_mm=3.0,
        columns=3,
        rows=8,
        page_width_mm=210.0,
        page_height_mm=297.0,
        margin_top_mm=0.5,
    ),
    # A6-ish shipping label: the size GS1 recommends as a minimum for logistic labels.
    "thermal-100x150": LabelStock("thermal-100x150", 100.0, 150.0),
    "thermal-50x25": LabelStock("thermal-50x25", 50.0, 25.0, padding_mm=1.5),
}


def stock_named(name: str) -> LabelStock:
    """Look a stock up by name, with an error that lists the known ones."""
    try:
        return STOCKS[name]
    except KeyError:
        raise LabelError(f"unknown label stock {name!r}: {', '.join(STOCKS)}") from None
