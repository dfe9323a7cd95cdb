"""PDF output through reportlab: vector bars and the standard Helvetica fonts.

Vector matters: the printer driver rasterises bars at the device's own resolution, whereas
a bitmap made at another resolution is resampled and bar widths drift.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from wms.labels.sheets import Page

FONTS = {False: "Helvetica", True: "Helvetica-Bold"}


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
                canvas.setFont(FONTS[t.bold], t.size * mm)
                canvas.drawCentredString((ox + t.x) * mm, top - (oy + t.y) * mm, t.text)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()
