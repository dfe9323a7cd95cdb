"""PNG output (Pillow): one label as a 1-bit image at the stock's dpi, for previews and for
decoding labels back in tests."""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from wms.labels.fonts import FONT_PATH
from wms.labels.layout import MM_PER_INCH, Drawing


@cache
def _font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, px)


def render_png(drawing: Drawing, dpi: int) -> bytes:
    """Rasterise one label at ``dpi``; bar edges land on whole pixels as they do on a printer."""
    scale = dpi / MM_PER_INCH
    size = (round(drawing.width * scale), round(drawing.height * scale))
    image = Image.new("1", size, 1)
    draw = ImageDraw.Draw(image)
    for b in drawing.bars:
        left, top = round(b.x * scale), round(b.y * scale)
        right, bottom = round((b.x + b.width) * scale), round((b.y + b.height) * scale)
        draw.rectangle((left, top, right - 1, bottom - 1), fill=0)
    for t in drawing.texts:
        xy = (t.x * scale, t.y * scale)
        anchor = "ls" if t.left else "ms"
        draw.text(xy, t.text, fill=0, font=_font(max(round(t.size * scale), 1)), anchor=anchor)
    buf = io.BytesIO()
    image.save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()
