"""The ``wms`` command: one composition root for the terminal, the scanner, labels and the hub."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="wms",
    help="Warehouse management for the floor.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def main() -> None:
    """Entry point of the ``wms`` console script."""
    app()
