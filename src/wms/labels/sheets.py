"""Place laid-out labels on pages: a grid on a sheet, or one label per page on a roll."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from wms.labels.layout import Drawing, layout
from wms.labels.model import Label, LabelStock

Progress = Callable[[int], None]
"""Called with the number of labels just laid out, so a caller can advance a progress bar."""


@dataclass(frozen=True)
class Page:
    """One page: its size and the labels on it, each at its top-left offset (mm)."""

    width: float
    height: float
    labels: tuple[tuple[float, float, Drawing], ...]


def drawings(
    labels: Iterable[Label], stock: LabelStock, progress: Progress | None = None
) -> Iterator[Drawing]:
    """Lay each label out, reporting progress one label at a time."""
    for label in labels:
        yield layout(label, stock)
        if progress is not None:
            progress(1)


def paginate(laid_out: Iterable[Drawing], stock: LabelStock) -> Iterator[Page]:
    """Group drawings into pages, row by row across the stock's grid."""
    page_w, page_h = stock.page_size_mm
    per_page = stock.columns * stock.rows
    batch: list[tuple[float, float, Drawing]] = []
    for drawing in laid_out:
        i = len(batch)
        col, row = i % stock.columns, i // stock.columns
        x = stock.margin_left_mm + col * (stock.width_mm + stock.gap_x_mm)
        y = stock.margin_top_mm + row * (stock.height_mm + stock.gap_y_mm)
        batch.append((x, y, drawing))
        if len(batch) == per_page:
            yield Page(page_w, page_h, tuple(batch))
            batch = []
    if batch:
        yield Page(page_w, page_h, tuple(batch))


def pages(
    labels: Sequence[Label], stock: LabelStock, progress: Progress | None = None
) -> Iterator[Page]:
    """Lay out and paginate ``labels`` on ``stock``."""
    return paginate(drawings(labels, stock, progress), stock)
