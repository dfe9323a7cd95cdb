"""SVG output: one document per page, in millimetres (viewBox units are mm)."""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from wms.labels.fonts import FONT_NAME, text_width
from wms.labels.sheets import Page

FONT = f"{FONT_NAME}, monospace"


def _n(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def page_svg(page: Page) -> bytes:
    """Render one page as a standalone SVG document."""
    w, h = _n(page.width), _n(page.height)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" '
        f'viewBox="0 0 {w} {h}">',
        f'<rect width="{w}" height="{h}" fill="#fff"/>',
        f'<g fill="#000" font-family={quoteattr(FONT)} text-anchor="middle">',
    ]
    for ox, oy, drawing in page.labels:
        out.append(f'<g transform="translate({_n(ox)} {_n(oy)})">')
        out.extend(
            f'<rect x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.width)}" height="{_n(b.height)}"/>'
            for b in drawing.bars
        )
        for t in drawing.texts:
            weight = ' font-weight="bold"' if t.bold else ""
            weight += ' text-anchor="start"' if t.left else ""
            # Pinned to the width the layout measured: another font is stretched or squeezed
            # to it, never cut off at the label's edge.
            length = (
                f' textLength="{_n(text_width(t.text, t.size))}" lengthAdjust="spacingAndGlyphs"'
            )
            out.append(
                f'<text x="{_n(t.x)}" y="{_n(t.y)}" font-size="{_n(t.size)}"{weight}{length}>'
                f"{escape(t.text)}</text>"
            )
        out.append("</g>")
    out += ["</g>", "</svg>", ""]
    return "\n".join(out).encode()


def render_svg(pages: Iterable[Page]) -> list[bytes]:
    """Render each page as its own SVG document (SVG has no pages)."""
    return [page_svg(page) for page in pages]
