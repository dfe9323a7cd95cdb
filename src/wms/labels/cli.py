"""``wms labels …``: print location, product, SSCC, lot and LPN labels, and retry the spool."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wms.config import default_db_path
from wms.domain.errors import DomainError
from wms.labels.errors import LabelError
from wms.labels.model import STOCKS, LabelStock, LpnLabel, SsccLabel, stock_named

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
    png = "png"
    zpl = "zpl"


# Stand-ins with the length of the numbers a job will issue: a job is laid out with them, and
# refused if it does not fit, before any number is used up.
_SAMPLE_SSCC = "0" * 18
_SAMPLE_LPN = "LPN00000000"


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
    else:  # SVG has no pages, a PNG is one label: one file each, numbered
        paths = [
            out.with_name(f"{out.stem}-{i:03d}.{fmt.value}") for i in range(1, len(documents) + 1)
        ]
    for path, document in zip(paths, documents, strict=True):
        path.write_bytes(document)
    return paths


@dataclass(frozen=True)
class _Target:
    """Where a job goes: a file of ``fmt`` (``out``), or a printer (``fmt`` None), and the
    stock its labels are laid out on."""

    fmt: OutputFormat | None
    stock: LabelStock
    out: Path | None = None
    printer: str | None = None


def _target(
    fmt: OutputFormat | None,
    stock: str | None,
    out: Path | None,
    printer: str | None,
    *,
    sheet_stock: str = "thermal-100x150",
    roll_stock: str = "thermal-100x150",
) -> _Target:
    """Check the output options and name the target, before anything (an SSCC number…) is
    used up: an unknown ``--out`` suffix, or one that contradicts ``--format``, is refused."""
    if out is None and (fmt is not None or stock is not None):
        raise typer.BadParameter("--format and --stock go with --out; a printer has its own")
    if out is not None and printer is not None:
        raise typer.BadParameter("give --out or --printer, not both")
    if out is None:
        config = _labeller().settings.printer(printer)  # refuses an unknown printer now
        return _Target(None, stock_named(config.stock).at_dpi(config.dpi), printer=printer)
    suffix = out.suffix.lstrip(".").lower()
    formats = ", ".join(f".{f.value}" for f in OutputFormat)
    if suffix not in OutputFormat.__members__ and fmt is None:
        raise LabelError(f"--out {out.name}: name a {formats} file (or give --format)")
    if suffix in OutputFormat.__members__ and fmt is not None and OutputFormat(suffix) != fmt:
        raise LabelError(f"--out {out.name} is not {fmt.value}: give a .{fmt.value} file")
    fmt = fmt or OutputFormat(suffix)
    name = stock or (roll_stock if fmt is OutputFormat.zpl else sheet_stock)
    return _Target(fmt, stock_named(name), out)


def _check_fits(sample: Label, target: _Target) -> None:
    """Lay one label of the job out on the target's stock: LabelDoesNotFit if it cannot."""
    from wms.labels.layout import layout

    layout(sample, target.stock)


def _emit(labels: Sequence[Label], target: _Target, *, copies: int = 1) -> None:
    """Write ``labels`` to the target file, or send them to its printer through the spool."""
    from wms.labels.render import render

    if target.fmt is None or target.out is None:
        with _progress(len(labels)) as progress:
            _labeller().print(labels, printer=target.printer, copies=copies, progress=progress)
        _err().print(f"Sent {len(labels)} label(s) x{copies} to the printer")
        return
    fmt = target.fmt
    with _progress(len(labels)) as progress:
        documents = render(labels, target.stock, fmt.value, copies=copies, progress=progress)
    for path in _write(documents, target.out, fmt):
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

        target = _target(fmt, stock, out, printer, sheet_stock="a4-3x8", roll_stock="thermal-50x25")
        _emit(location_labels(engine, zone, aisle), target)


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

        target = _target(fmt, stock, out, printer, sheet_stock="a4-3x8", roll_stock="thermal-50x25")
        _emit([product_label(engine, sku, gtin)], target, copies=copies)


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
    """Pallet labels with new SSCCs (GS1-128, AI 00); numbers are never reused, and none is
    used up by a job that is refused (a label too narrow, a wrong output)."""
    with _refusals():
        target = _target(fmt, stock, out, printer)
        _check_fits(SsccLabel(_SAMPLE_SSCC, tuple(line or ())), target)
        codes = _labeller().new_ssccs(count)
        for code in codes:
            typer.echo(code)
        _emit([SsccLabel(code, tuple(line or ())) for code in codes], target)


@app.command()
def lpn(
    *,
    count: Annotated[int, typer.Option("--count", min=1, max=10_000, help="How many")] = 1,
    fmt: FormatOpt = None,
    stock: StockOpt = None,
    out: OutOpt = None,
    printer: PrinterOpt = None,
) -> None:
    """Internal licence-plate labels with new LPNs (Code 128); numbers are never reused, and
    none is used up by a job that is refused."""
    with _refusals():
        target = _target(fmt, stock, out, printer)
        _check_fits(LpnLabel(_SAMPLE_LPN), target)
        codes = _labeller().new_lpns(count)
        for code in codes:
            typer.echo(code)
        _emit([LpnLabel(code) for code in codes], target)


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

        target = _target(fmt, stock, out, printer)
        _emit([lot_label(engine, sku, lot, expiry.date(), gtin)], target, copies=copies)


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
