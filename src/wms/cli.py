"""The ``wms`` command: one composition root for the terminal, the scanner, labels and the hub."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session, func, select

from wms import db_cli
from wms.config import demo_db_path
from wms.labels.cli import app as labels_app
from wms.scanner.cli import app as scanner_app
from wms.seed.demo import OPERATORS
from wms.seed.setup import ensure_demo_store
from wms.store.catalog import Location, Product
from wms.store.documents import CountTask, InboundDocument, PickTask
from wms.store.stock import OnHand

app = typer.Typer(
    name="wms",
    help="Warehouse management for the floor.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db_cli.app, name="db")
app.add_typer(scanner_app, name="scanner")
app.add_typer(labels_app, name="labels")


@app.command()
def demo(
    db: Annotated[Path | None, typer.Option("--db", help="Demo store file.")] = None,
) -> None:
    """Create (once) and open the demo warehouse store, and show what is in it."""
    path = db or demo_db_path()
    engine = ensure_demo_store(path)
    with Session(engine) as s:

        def count(table: type) -> int:
            return int(s.exec(select(func.count()).select_from(table)).one())

        typer.echo(f"Demo store: {path}")
        typer.echo(
            f"  {count(Location)} locations, {count(Product)} products, "
            f"{count(OnHand)} stock rows, {count(InboundDocument)} receipts, "
            f"{count(PickTask)} pick tasks, {count(CountTask)} count tasks"
        )
    engine.dispose()
    typer.echo("  Operators (badge / ID + PIN):")
    for op in OPERATORS:
        typer.echo(f"    {op.badge}  {op.code} + {op.pin}  {op.name} ({op.role})")
    typer.echo("The terminal app opens here once it exists (issue: the terminal app).")


def main() -> None:
    """Entry point of the ``wms`` console script."""
    app()
