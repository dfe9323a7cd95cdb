"""PDF output through reportlab: vector bars, and text in the labels' font, embedded.

Vector matters: the printer driver rasterises bars at the device's own resolution, whereas
a bitmap made at another resolution is resampled and bar widths drift. The font is embedded
(as a subset), so the text is set as it was measured on any machine; bold is drawn by stroking
the glyphs' outline as well (the font has no bold face). Text beyond its reach (a consignee in
Chinese on a shipping label) is set in Adobe's Song CID font, which every PDF viewer and
printer driver supplies, so nothing more is embedded.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import cache

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from wms.labels.fonts import FONT_PATH
from wms.labels.sheets import Page

FONT = "WmsLabelFont"
BOLD_STROKE = 0.04  # outline width of bold text, in font sizes


CJK_FONT = "STSong-Light"
_LATIN = 0x24F  # the end of Latin Extended-B: the labels' font reaches that far and more


@cache
def _font() -> str:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_PATH)))
    return FONT


@cache
def _cjk_font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT


def _font_for(text: str) -> str:
    return _cjk_font() if any(ord(ch) > _LATIN for ch in text) else _font()


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
                font = _font_for(t.text)
                text.setFont(font, t.size * mm)
                text.setTextRenderMode(2 if t.bold else 0)  # 2: fill, then stroke the outline
                canvas.setLineWidth(t.size * mm * BOLD_STROKE)
                width = 0.0 if t.left else pdfmetrics.stringWidth(t.text, font, t.size * mm)
                text.setTextOrigin((ox + t.x) * mm - width / 2, top - (oy + t.y) * mm)
                text.textOut(t.text)
                canvas.drawText(text)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()
