"""The one font all label text is set in: DejaVu Sans Mono, the font python-barcode ships.

Every output uses it, so text measured once fits everywhere: the layout sizes text with its
metrics (`text_width`), the PDF embeds it, the PNG rasterises it, and the SVG names it and pins
each line to its measured length (``textLength``), so a viewer that substitutes another font
still fits the line to the label. ZPL prints with the printer's own font 0, which is narrower.
"""

from __future__ import annotations

from pathlib import Path

import barcode

FONT_NAME = "DejaVu Sans Mono"
FONT_PATH = Path(barcode.__file__).parent / "fonts" / "DejaVuSansMono.ttf"
# Every glyph of a monospaced font advances by the same width: 1233 of 2048 font units.
ADVANCE_EM = 1233 / 2048


def text_width(text: str, size: float) -> float:
    """The width of ``text`` set at ``size`` (same unit as the size: mm on a label)."""
    return len(text) * ADVANCE_EM * size
