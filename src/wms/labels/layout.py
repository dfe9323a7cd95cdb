"""Lay a label out on its stock: a Drawing of bars and text lines, in millimetres.

Every output (SVG, PDF, PNG, ZPL) draws the same Drawing, so the geometry the decode tests
check is the geometry that is printed. X is a whole number of printer dots and the symbol
starts on a dot, so every bar edge falls on the printer's dot grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from wms.labels.errors import LabelDoesNotFit
from wms.labels.fonts import ADVANCE_EM, text_width
from wms.labels.model import (
    Label,
    LabelStock,
    LocationLabel,
    LotLabel,
    LpnLabel,
    ProductLabel,
    ShippingLabel,
    SsccLabel,
)
from wms.labels.symbols import Symbol, symbol_for

MM_PER_INCH = 25.4
MIN_TEXT_MM = 1.8
LINE_GAP = 0.25  # space between lines, in font sizes


@dataclass(frozen=True)
class Bar:
    """A filled black rectangle (a bar or a bearer bar); x, y is its top-left corner."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Text:
    """One line of text with its baseline at ``y``; ``size`` is the em. Centred on ``x``, or
    starting at ``x`` when ``left`` (the shipping label's address block)."""

    x: float
    y: float
    size: float
    text: str
    bold: bool = False
    left: bool = False


@dataclass(frozen=True)
class Drawing:
    """Everything drawn on one label, in mm from the label's top-left corner."""

    width: float
    height: float
    bars: tuple[Bar, ...]
    texts: tuple[Text, ...]


def fit_text(text: str, size: float, width: float) -> tuple[str, float]:
    """``text`` at ``size`` or smaller so it fits ``width``, measured with the font every output
    sets it in (wms.labels.fonts); below the smallest legible size, cut instead (an ellipsis)."""
    size = min(size, width / max(text_width(text, 1.0), ADVANCE_EM))
    if size >= MIN_TEXT_MM:
        return text, size
    keep = max(int(width / (ADVANCE_EM * MIN_TEXT_MM)) - 1, 1)
    return text[:keep] + "…", MIN_TEXT_MM


def _lines(label: Label, box_h: float) -> list[tuple[str, float, bool]]:
    """The text above the barcode: (text, wanted size in mm, bold)."""
    if isinstance(label, LocationLabel):
        return [(label.code, box_h * 0.38, True)]
    if isinstance(label, LpnLabel):
        return [("LPN", box_h * 0.12, False), (label.code, box_h * 0.22, True)]
    if isinstance(label, ProductLabel):
        return [(label.name, box_h * 0.14, True), (f"SKU {label.sku}", box_h * 0.11, False)]
    if isinstance(label, LotLabel):
        return [
            (label.name, box_h * 0.07, True),
            (f"LOT {label.lot}", box_h * 0.07, True),
            (f"EXP {label.expiry.isoformat()}", box_h * 0.07, True),
        ]
    assert isinstance(label, SsccLabel)  # a shipping label is laid out on its own
    # SSCC: free lines, then the SSCC as text >= 7 mm where the stock allows (GS1 §6.6.4).
    lines = [(line, box_h * 0.05, False) for line in label.lines]
    return [*lines, ("SSCC", box_h * 0.04, False), (label.sscc, min(7.0, box_h * 0.07), True)]


def x_dimension(symbol: Symbol, width: float, dpi: int) -> float:
    """The widest X (whole dots, within the spec) whose symbol fits ``width``."""
    spec = symbol.spec
    dot = MM_PER_INCH / dpi
    span_x = len(symbol.modules) / spec.modules_per_x + spec.quiet_left_x + spec.quiet_right_x
    limit = width if spec.max_length_mm is None else min(width, spec.max_length_mm)
    step = spec.modules_per_x  # dots per X must split evenly into modules
    dots = math.floor(min(spec.x_max_mm, limit / span_x) / dot / step) * step
    if dots * dot < spec.x_min_mm - 1e-9:
        need = span_x * math.ceil(spec.x_min_mm / dot / step) * step * dot
        raise LabelDoesNotFit(
            f"{spec.name} {symbol.hri} needs {need:.0f} mm of width; label has {width:.0f} mm"
        )
    return float(dots * dot)


def symbol_bars(symbol: Symbol, x0: float, y0: float, module: float, height: float) -> list[Bar]:
    """The bars of ``symbol`` drawn from (``x0``, ``y0``), ``module`` mm per module."""
    bars = []
    start = None
    for i, m in enumerate(symbol.modules + "0"):
        if m == "1" and start is None:
            start = i
        elif m != "1" and start is not None:
            bars.append(Bar(x0 + start * module, y0, (i - start) * module, height))
            start = None
    return bars


def layout(label: Label, stock: LabelStock) -> Drawing:
    """Lay ``label`` out on one label of ``stock``. Raises LabelDoesNotFit if it cannot."""
    if isinstance(label, ShippingLabel):
        # Its own module: two barcodes and an address block (imported here, it imports us).
        from wms.labels.shipping import lay_out_shipping

        return lay_out_shipping(label, stock)
    pad = stock.padding_mm
    box_w, box_h = stock.width_mm - 2 * pad, stock.height_mm - 2 * pad
    symbol = symbol_for(label)
    spec = symbol.spec
    x_dim = x_dimension(symbol, box_w, stock.dpi)
    module = x_dim / spec.modules_per_x
    dot = MM_PER_INCH / stock.dpi
    texts: list[Text] = []
    y = pad
    for wanted_text, wanted_size, bold in _lines(label, box_h):
        text, size = fit_text(wanted_text, wanted_size, box_w)
        y += size
        texts.append(Text(stock.width_mm / 2, y, size, text, bold))
        y += size * LINE_GAP
    show_hri = not isinstance(label, LocationLabel | LpnLabel)  # their text is the code
    hri_text, hri_size = fit_text(symbol.hri, max(x_dim * 7, 2.5), box_w)
    hri_h = hri_size * (1 + LINE_GAP) if show_hri else 0.0
    bearer = 2 * x_dim if spec.bearer_bars else 0.0
    bars_h = min(spec.max_height_mm, stock.height_mm - pad - y - hri_h - 2 * bearer)
    if bars_h < spec.min_height_mm - 1e-9:
        raise LabelDoesNotFit(
            f"{spec.name} needs {spec.min_height_mm:g} mm of bar height; "
            f"{stock.name} leaves {max(bars_h, 0):.1f} mm"
        )
    width_mm = len(symbol.modules) * module
    # The symbol sits at the bottom (GS1: lowest part of a logistic label), on a dot, centred
    # with its quiet zones (EAN-13's are 11X left and 7X right).
    skew = (spec.quiet_left_x - spec.quiet_right_x) * x_dim
    x0 = round((stock.width_mm - width_mm + skew) / 2 / dot) * dot
    y0 = round((stock.height_mm - pad - hri_h - bearer - bars_h) / dot) * dot
    bars = symbol_bars(symbol, x0, y0, module, bars_h)
    if spec.bearer_bars:
        quiet = spec.quiet_left_x * x_dim
        span = width_mm + 2 * quiet
        bars += [
            Bar(x0 - quiet, y0 - bearer, span, bearer),
            Bar(x0 - quiet, y0 + bars_h, span, bearer),
        ]
    if show_hri:
        texts.append(Text(stock.width_mm / 2, y0 + bars_h + bearer + hri_size, hri_size, hri_text))
    return Drawing(stock.width_mm, stock.height_mm, tuple(bars), tuple(texts))
