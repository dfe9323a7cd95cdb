"""``wms db``: create, upgrade and inspect the terminal store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wms.config import default_db_path

app = typer.Typer(help="The terminal's local store.", no_args_is_help=True)

DbOption = Annotated[
    Path | None, typer.Option("--db", help="Store file (default: $WMS_DB or the data dir).")
]


@app.command("upgrade")
def upgrade_cmd(db: DbOption = None) -> None:
    """Migrate the store to this version's schema, backing the file up first (a damaged store
    is refused: it is neither backed up nor migrated)."""
    from wms.store.migrate import StoreDamaged, head_revision, upgrade  # lazily: `wms --help`

    path = db or default_db_path()
    try:
        saved = upgrade(path)
    except StoreDamaged as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    if saved:
        typer.echo(f"Backed up to {saved}")
    typer.echo(f"{path} is at {head_revision()}")


@app.command("status")
def status_cmd(db: DbOption = None) -> None:
    """Check the store (SQLite's quick_check) and show its schema revision against the one
    this version needs; exit 1 when it is missing, damaged or at another revision."""
    from wms.store.engine import make_engine  # lazily: `wms --help` stays light
    from wms.store.migrate import current_revision, damage, damaged_message, head_revision

    path = db or default_db_path()
    if not path.is_file():
        typer.echo(f"{path} does not exist: run `wms db upgrade --db {path}`")
        raise typer.Exit(1)
    problem = damage(path)
    if problem is not None:
        typer.echo(f"{path}: damaged. {damaged_message(path, problem)}")
        raise typer.Exit(1)
    engine = make_engine(path)
    current = current_revision(engine)
    engine.dispose()
    head = head_revision()
    typer.echo(f"{path}: sound, at {current or 'nothing'}, this wms needs {head}")
    if current != head:
        raise typer.Exit(1)
