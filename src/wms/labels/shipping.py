"""The parcel's shipping label, laid out on 100 x 150 mm: carrier and service, order and parcel
number on top, the waybill number in Code 128, the consignee, the weight, and the parcel's SSCC
in GS1-128 at the bottom (GS1: the logistic barcode is the label's lowest part).

It is the one label carrying two barcodes, so it is laid out here and handed to every output
(ZPL, PDF, SVG, PNG) as an ordinary :class:`~wms.labels.layout.Drawing`.
"""

from __future__ import annotations

from wms.labels.errors import LabelDoesNotFit
from wms.labels.layout import (
    LINE_GAP,
    MM_PER_INCH,
    Bar,
    Drawing,
    Text,
    fit_text,
    symbol_bars,
    x_dimension,
)
from wms.labels.model import LabelStock, ShippingLabel
from wms.labels.symbols import GS1_128_LOGISTIC, Symbol, code128_symbol, gs1_symbol

# The waybill's bars: tall enough for a scan across a parcel, short enough to leave the
# address its room.
WAYBILL_BAR_MM = 20.0
RULE_MM = 0.5  # horizontal rules between the label's sections
MIN_WIDTH_MM, MIN_HEIGHT_MM = 90.0, 140.0


def weight_text(grams: int) -> str:
    """A parcel's weight as printed: kilograms with three decimals."""
    return f"{grams / 1000:.3f} kg"


class _Page:
    """A cursor down the label: lines and barcodes placed one under the other."""

    def __init__(self, stock: LabelStock) -> None:
        self.stock = stock
        self.pad = stock.padding_mm
        self.width = stock.width_mm - 2 * self.pad
        self.dot = MM_PER_INCH / stock.dpi
        self.y = self.pad
        self.bars: list[Bar] = []
        self.texts: list[Text] = []

    def line(self, text: str, size: float, *, bold: bool = False, left: bool = True) -> None:
        fitted, size = fit_text(text, size, self.width)
        self.y += size
        x = self.pad if left else self.stock.width_mm / 2
        self.texts.append(Text(x, self.y, size, fitted, bold, left))
        self.y += size * LINE_GAP

    def rule(self) -> None:
        self.y += 0.8
        self.bars.append(Bar(self.pad, self._on_dot(self.y), self.width, RULE_MM))
        self.y += RULE_MM + 1.2

    def _on_dot(self, mm: float) -> float:
        return round(mm / self.dot) * self.dot

    def barcode(self, symbol: Symbol, height: float, y: float | None = None) -> float:
        """Draw ``symbol`` centred, its bars ``height`` tall from ``y`` (default: the cursor),
        with its human-readable text under it; returns the y under that text."""
        spec = symbol.spec
        x_dim = x_dimension(symbol, self.width, self.stock.dpi)
        module = x_dim / spec.modules_per_x
        span = len(symbol.modules) * module
        skew = (spec.quiet_left_x - spec.quiet_right_x) * x_dim
        x0 = self._on_dot((self.stock.width_mm - span + skew) / 2)
        y0 = self._on_dot(self.y if y is None else y)
        self.bars += symbol_bars(symbol, x0, y0, module, height)
        hri, size = fit_text(symbol.hri, max(x_dim * 7, 3.0), self.width)
        bottom = y0 + height + size
        self.texts.append(Text(self.stock.width_mm / 2, bottom, size, hri, True))
        return bottom + size * LINE_GAP


def lay_out_shipping(label: ShippingLabel, stock: LabelStock) -> Drawing:
    """Lay a shipping label out on ``stock`` (at least 90 x 140 mm); LabelDoesNotFit when the
    address pushes into the SSCC's space."""
    if stock.width_mm < MIN_WIDTH_MM or stock.height_mm < MIN_HEIGHT_MM:
        raise LabelDoesNotFit(
            f"a shipping label needs 100 x 150 mm; {stock.name} is"
            f" {stock.width_mm:g} x {stock.height_mm:g} mm"
        )
    page = _Page(stock)
    page.line(f"{label.carrier}  {label.service}".strip(), 7.0, bold=True)
    of = f"   parcel {label.parcel}/{label.parcels}" if label.parcels > 1 else ""
    page.line(f"Order {label.order}{of}", 3.5)
    page.rule()
    page.y = page.barcode(code128_symbol(label.waybill), WAYBILL_BAR_MM)
    page.rule()
    page.line("TO", 2.5, bold=True)
    name, *rest = label.ship_to.lines()
    page.line(name, 5.0, bold=True)
    for line in rest:
        page.line(line, 3.8)
    if label.sender:
        page.y += 1.0
        page.line("FROM " + ", ".join(label.sender), 2.5)
    page.rule()
    page.line(f"Weight {weight_text(label.weight_g)}", 5.0, bold=True)
    # The SSCC from the bottom up: bars at GS1's logistic height, its text under them.
    sscc = gs1_symbol([("00", label.sscc)], GS1_128_LOGISTIC)
    hri_room = max(x_dimension(sscc, page.width, stock.dpi) * 7, 3.0) * (1 + LINE_GAP)
    top = stock.height_mm - page.pad - hri_room - GS1_128_LOGISTIC.min_height_mm
    caption = 2.5 * (1 + LINE_GAP)
    if top - caption < page.y:
        raise LabelDoesNotFit("the consignee's address is too long for the shipping label")
    page.y = top - caption
    page.line("SSCC", 2.5, left=False)
    page.barcode(sscc, GS1_128_LOGISTIC.min_height_mm, y=top)
    return Drawing(stock.width_mm, stock.height_mm, tuple(page.bars), tuple(page.texts))
