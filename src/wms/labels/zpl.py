"""ZPL II for Zebra thermal printers, drawn from the same Drawing as the PDF and SVG.

Bars are ``^GB`` boxes at the exact dots of the layout rather than the printer's own
barcode commands: one encoder (python-barcode, guarded and decode-tested) serves every
output, and printer-side quirks cannot change the data (``^BE`` recomputes an EAN check
digit; ``>`` starts an invocation code inside ``^BC`` data).

All text goes through ``^FH`` hex escapes, so no field can carry ``^`` or ``~`` (the
command prefixes; ``~`` commands act even inside field data) and inject printer commands.
"""

from __future__ import annotations

from collections.abc import Iterable

from wms.labels.errors import LabelError
from wms.labels.layout import MM_PER_INCH, Drawing
from wms.labels.model import LabelStock

# Bytes sent as themselves; everything else (^ ~ _ \ and all non-ASCII) as _XX hex.
_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -.,:/()+#*=")
# Cap height of ZPL font 0 relative to its cell, to put ^FO (the top) above the baseline.
ASCENT = 0.8


def escape_field(text: str) -> str:
    """Field data for ``^FH^FD``: safe ASCII as is, every other UTF-8 byte as ``_XX``.

    ``^FB`` reads a backslash as the start of a control sequence, so it is doubled first.
    """
    raw = text.replace("\\", "\\\\").encode()
    return "".join(chr(b) if b in _SAFE else f"_{b:02X}" for b in raw)


# Font 0 draws Latin script; anything beyond it (a consignee's name and address in Chinese)
# is drawn in the SimSun font of Zebra's Asian font kit, which the printer must hold
# (hardware/SHIPPING.md).
CJK_FONT = "E:SIMSUN.FNT"
_LATIN = 0x24F  # the end of Latin Extended-B


def _font(text: str, height: int, width: int) -> str:
    if any(ord(ch) > _LATIN for ch in text):
        return f"^A@N,{height},{height},{CJK_FONT}"
    return f"^A0N,{height},{width}"


def label_zpl(drawing: Drawing, dpi: int, copies: int = 1) -> str:
    """One ``^XA … ^XZ`` label format for ``drawing`` at the printer's ``dpi``."""
    scale = dpi / MM_PER_INCH

    def d(mm: float) -> int:
        return round(mm * scale)

    out = ["^XA", "^CI28", f"^PW{d(drawing.width)}", f"^LL{d(drawing.height)}", "^LH0,0"]
    for b in drawing.bars:
        w, h = d(b.x + b.width) - d(b.x), d(b.y + b.height) - d(b.y)
        out.append(f"^FO{d(b.x)},{d(b.y)}^GB{w},{h},{min(w, h)}^FS")
    for t in drawing.texts:
        # Left-aligned text runs to the right edge; centred text is as wide on both sides.
        half = min(t.x, drawing.width - t.x)
        x, width, justify = (
            (t.x, drawing.width - t.x, "L") if t.left else (t.x - half, 2 * half, "C")
        )
        top = d(t.y - t.size * ASCENT)
        out.append(
            # Font 0 has no bold: bold text is drawn a little wider instead.
            f"^FO{d(x)},{top}{_font(t.text, d(t.size), d(t.size * (1.1 if t.bold else 1.0)))}"
            f"^FB{d(width)},1,0,{justify}"
            f"^FH^FD{escape_field(t.text)}^FS"
        )
    if copies != 1:
        out.append(f"^PQ{copies}")
    out.append("^XZ")
    return "\n".join(out) + "\n"


def render_zpl(drawings: Iterable[Drawing], stock: LabelStock, copies: int = 1) -> str:
    """ZPL for a thermal roll: one label format per drawing, each printed ``copies`` times."""
    if stock.is_sheet:
        raise LabelError(f"ZPL is for thermal printers; {stock.name} is a sheet (use pdf)")
    if not 1 <= copies <= 999:
        raise LabelError("copies must be 1-999")
    return "".join(label_zpl(drawing, stock.dpi, copies) for drawing in drawings)
