"""PDF output through reportlab: vector bars, and text in the labels' font, embedded.

Vector matters: the printer driver rasterises bars at the device's own resolution, whereas
a bitmap made at another resolution is resampled and bar widths drift. The font is embedded
(as a subset), so the text is set as it was measured on any machine; bold is drawn by stroking
the glyphs' outline as well (the font has no bold face).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import cache

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from wms.labels.fonts import FONT_PATH
from wms.labels.sheets import Page

FONT = "WmsLabelFont"
BOLD_STROKE = 0.04  # outline width of bold text, in font sizes


@cache
def _font() -> str:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH)))
    return FONT


def render_pdf(pages: Iterable[Page]) -> bytes:
    """Render pages into one PDF document."""
    buf = io.BytesIO()
    # invariant=True: no timestamps or random ids, so the same labels give the same bytes.
    canvas = Canvas(buf, invariant=True, pageCompression=1)
    canvas.setTitle("wms labels")
    for page in pages:
        canvas.setPageSize((page.width * mm, page.height * mm))
        top = page.height * mm
        for ox, oy, drawing in page.labels:
            for b in drawing.bars:
                x, y = (ox + b.x) * mm, top - (oy + b.y + b.height) * mm
                canvas.rect(x, y, b.width * mm, b.height * mm, stroke=0, fill=1)
            for t in drawing.texts:
                text = canvas.beginText()
                text.setFont(_font(), t.size * mm)
                text.setTextRenderMode(2 if t.bold else 0)  # 2: fill, then stroke the outline
                canvas.setLineWidth(t.size * mm * BOLD_STROKE)
                width = pdfmetrics.stringWidth(t.text, FONT, t.size * mm)
                text.setTextOrigin((ox + t.x) * mm - width / 2, top - (oy + t.y) * mm)
                text.textOut(t.text)
                canvas.drawText(text)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()
