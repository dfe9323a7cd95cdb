"""One entry point from labels to printable documents in any output format."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from wms.labels.errors import LabelError
from wms.labels.model import Label, LabelStock

if TYPE_CHECKING:
    from wms.labels.sheets import Progress

Format = Literal["pdf", "svg", "png", "zpl"]
FORMATS: tuple[Format, ...] = ("pdf", "svg", "png", "zpl")


def render(
    labels: Sequence[Label],
    stock: LabelStock,
    fmt: Format,
    *,
    copies: int = 1,
    progress: Progress | None = None,
) -> list[bytes]:
    """Render ``labels`` (each ``copies`` times) on ``stock`` as ``fmt``.

    Returns one document for PDF and ZPL, one per page for SVG and one per label (and copy)
    for PNG, at the stock's resolution. ``progress`` is called
    once per label laid out. Raises LabelError (or a subclass) before any output is made
    if a label is refused.
    """
    # The layout and its barcode fonts load on the first render: `wms --help` imports this
    # package (through wms.labels.cli) and must stay light.
    from wms.labels.sheets import drawings, pages
    from wms.labels.svg import render_svg
    from wms.labels.zpl import render_zpl

    if not 1 <= copies <= 999:
        raise LabelError("copies must be 1-999")
    if fmt == "zpl":
        # ZPL repeats a label with ^PQ, so each is laid out once.
        return [render_zpl(drawings(labels, stock, progress), stock, copies).encode()]
    repeated = [label for label in labels for _ in range(copies)]
    if fmt == "png":
        from wms.labels.png import render_png

        return [render_png(d, stock.dpi) for d in drawings(repeated, stock, progress)]
    if fmt == "pdf":
        # reportlab is imported only for PDF sheets: terminals print ZPL and start faster.
        from wms.labels.pdf import render_pdf

        return [render_pdf(pages(repeated, stock, progress))]
    return render_svg(pages(repeated, stock, progress))
