"""``wms labels …``: print location, product, SSCC, lot and LPN labels, and retry the spool."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wms.config import default_db_path
from wms.domain.errors import DomainError
from wms.labels.model import STOCKS, LpnLabel, SsccLabel, stock_named

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy import Engine

    from wms.labels.labeller import Labeller
    from wms.labels.model import Label

app = typer.Typer(
    help="Print labels: locations, products, SSCC pallets, lots and LPNs.", no_args_is_help=True
)
# Below this many labels a batch is quick enough not to need a progress bar.
PROGRESS_FROM = 100


class OutputFormat(StrEnum):
    """What ``--out`` gets."""

    pdf = "pdf"
    svg = "svg"
    zpl = "zpl"


FormatOpt = Annotated[
    OutputFormat | None, typer.Option("--format", help="Output format (default: from --out)")
]
StockOpt = Annotated[
    str | None,
    typer.Option("--stock", help=f"Label stock: {', '.join(STOCKS)}", show_default=False),
]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Write to this file instead")]
PrinterOpt = Annotated[
    str | None, typer.Option("--printer", help="Configured printer (default: default_printer)")
]
CopiesOpt = Annotated[int, typer.Option("--copies", min=1, max=999, help="Copies of each label")]
GtinOpt = Annotated[str | None, typer.Option("--gtin", help="Which of the product's GTINs")]


@cache
def _err() -> Console:
    # Rich, the renderers and the spool load only when a command runs: `wms --help` stays light.
    from rich.console import Console

    return Console(stderr=True)


def _labeller() -> Labeller:
    from wms.labels.labeller import Labeller

    return Labeller()


@contextmanager
def _refusals() -> Iterator[None]:
    # A refusal is an answer, not a crash: print its message and exit non-zero.
    try:
        yield
    except DomainError as exc:
        _err().print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from None


@contextmanager
def _store() -> Iterator[Engine]:
    """The terminal store. The store modules (SQLAlchemy, Alembic: a third of a second) are
    imported only by the commands that read it, so `wms` itself starts quickly."""
    from wms.store.migrate import StoreVersionError, open_store

    try:
        engine = open_store(default_db_path())
    except StoreVersionError as exc:
        _err().print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    from rich.progress import Progress

    with Progress(console=_err(), transient=True, disable=total < PROGRESS_FROM) as bar:
        task = bar.add_task("Rendering labels", total=total)
        yield lambda n: bar.advance(task, n)


def _write(documents: list[bytes], out: Path, fmt: OutputFormat) -> list[Path]:
    if len(documents) == 1:
        paths = [out]
    else:  # SVG has no pages: one file per page, numbered
        paths = [
            out.with_name(f"{out.stem}-{i:03d}.{fmt.value}") for i in range(1, len(documents) + 1)
        ]
    for path, document in zip(paths, documents, strict=True):
        path.write_bytes(document)
    return paths


def _check_output(
    fmt: OutputFormat | None, stock: str | None, out: Path | None, printer: str | None
) -> None:
    """Refuse conflicting output options before anything (an SSCC number…) is used up."""
    if out is None and (fmt is not None or stock is not None):
        raise typer.BadParameter("--format and --stock go with --out; a printer has its own")
    if out is not None and printer is not None:
        raise typer.BadParameter("give --out or --printer, not both")


def _emit(
    labels: Sequence[Label],
    *,
    fmt: OutputFormat | None,
    stock: str | None,
    out: Path | None,
    printer: str | None,
    copies: int = 1,
    sheet_stock: str = "thermal-100x150",
    roll_stock: str = "thermal-100x150",
) -> None:
    """Write ``labels`` to ``out``, or send them to a printer through the spool."""
    from wms.labels.render import render

    _check_output(fmt, stock, out, printer)
    if out is None:
        with _progress(len(labels)) as progress:
            _labeller().print(labels, printer=printer, copies=copies, progress=progress)
        _err().print(f"Sent {len(labels)} label(s) x{copies} to the printer")
        return
    suffix = out.suffix.lstrip(".").lower()
    fmt = fmt or (OutputFormat(suffix) if suffix in OutputFormat.__members__ else OutputFormat.pdf)
    name = stock or (roll_stock if fmt is OutputFormat.zpl else sheet_stock)
    with _progress(len(labels)) as progress:
        documents = render(labels, stock_named(name), fmt.value, copies=copies, progress=progress)
    for path in _write(documents, out, fmt):
        _err().print(f"Wrote {path}")


@app.command()
def locations(
    *,
    zone: Annotated[str, typer.Option("--zone", help="Zone code, e.g. A")],
    aisle: Annotated[str | None, typer.Option("--aisle", help="Only this aisle, e.g. 01")] = None,
    fmt: FormatOpt = None,
    stock: StockOpt = None,
    out: OutOpt = None,
    printer: PrinterOpt = None,
) -> None:
    """Location (bin) labels for a zone or an aisle, in Code 128."""
    with _refusals(), _store() as engine:
        from wms.labels.catalog import location_labels

        labels = location_labels(engine, zone, aisle)
        _emit(
            labels,
            fmt=fmt,
            stock=stock,
            out=out,
            printer=printer,
            sheet_stock="a4-3x8",
            roll_stock="thermal-50x25",
        )


@app.command()
def product(
    sku: str,
    *,
    copies: CopiesOpt = 1,
    gtin: GtinOpt = None,
    fmt: FormatOpt = None,
    stock: StockOpt = None,
    out: OutOpt = None,
    printer: PrinterOpt = None,
) -> None:
    """Product labels: EAN-13 / UPC-A / EAN-8, or ITF-14 for a case GTIN-14."""
    with _refusals(), _store() as engine:
        from wms.labels.catalog import product_label

        label = product_label(engine, sku, gtin)
        _emit(
            [label],
            fmt=fmt,
            stock=stock,
            out=out,
            printer=printer,
            copies=copies,
            sheet_stock="a4-3x8",
            roll_stock="thermal-50x25",
        )


@app.command()
def sscc(
    *,
    count: Annotated[int, typer.Option("--count", min=1, max=10_000, help="How many")] = 1,
    line: Annotated[list[str] | None, typer.Option("--line", help="Text above the barcode")] = None,
    fmt: FormatOpt = None,
    stock: StockOpt = None,
    out: OutOpt = None,
    printer: PrinterOpt = None,
) -> None:
    """Pallet labels with new SSCCs (GS1-128, AI 00); numbers are never reused."""
    _check_output(fmt, stock, out, printer)
    with _refusals():
        codes = _labeller().new_ssccs(count)
        for code in codes:
            typer.echo(code)
        labels = [SsccLabel(code, tuple(line or ())) for code in codes]
        _emit(labels, fmt=fmt, stock=stock, out=out, printer=printer)


@app.command()
def lpn(
    *,
    count: Annotated[int, typer.Option("--count", min=1, max=10_000, help="How many")] = 1,
    fmt: FormatOpt = None,
    stock: StockOpt = None,
    out: OutOpt = None,
    printer: PrinterOpt = None,
) -> None:
    """Internal licence-plate labels with new LPNs (Code 128); numbers are never reused."""
    _check_output(fmt, stock, out, printer)
    with _refusals():
        codes = _labeller().new_lpns(count)
        for code in codes:
            typer.echo(code)
        _emit([LpnLabel(code) for code in codes], fmt=fmt, stock=stock, out=out, printer=printer)


@app.command()
def lot(
    sku: str,
    lot: str,
    expiry: Annotated[datetime, typer.Argument(formats=["%Y-%m-%d"], help="YYYY-MM-DD")],
    *,
    copies: CopiesOpt = 1,
    gtin: GtinOpt = None,
    fmt: FormatOpt = None,
    stock: StockOpt = None,
    out: OutOpt = None,
    printer: PrinterOpt = None,
) -> None:
    """Lot labels: GS1-128 with (01) GTIN, (17) expiry and (10) lot."""
    with _refusals(), _store() as engine:
        from wms.labels.catalog import lot_label

        label = lot_label(engine, sku, lot, expiry.date(), gtin)
        _emit([label], fmt=fmt, stock=stock, out=out, printer=printer, copies=copies)


@app.command()
def retry() -> None:
    """Send the print jobs kept while a printer was offline, oldest first."""
    with _refusals():
        labeller = _labeller()
        waiting = len(labeller.pending())
        if not waiting:
            _err().print("No print jobs waiting")
            return
        outcome = labeller.retry()
        for name, problem in outcome.items():
            _err().print(f"{name}: {'sent' if problem is None else problem}")
        if any(problem is not None for problem in outcome.values()):
            raise typer.Exit(1)
