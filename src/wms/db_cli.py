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
    """Migrate the store to this version's schema, backing the file up first."""
    from wms.store.migrate import head_revision, upgrade  # lazily: `wms --help` stays light

    path = db or default_db_path()
    saved = upgrade(path)
    if saved:
        typer.echo(f"Backed up to {saved}")
    typer.echo(f"{path} is at {head_revision()}")


@app.command("status")
def status_cmd(db: DbOption = None) -> None:
    """Show the store's schema revision against the one this version needs."""
    from wms.store.engine import make_engine  # lazily: `wms --help` stays light
    from wms.store.migrate import current_revision, head_revision

    path = db or default_db_path()
    if not path.exists():
        typer.echo(f"{path} does not exist: run `wms db upgrade --db {path}`")
        raise typer.Exit(1)
    engine = make_engine(path)
    current = current_revision(engine)
    engine.dispose()
    head = head_revision()
    typer.echo(f"{path}: at {current or 'nothing'}, this wms needs {head}")
    if current != head:
        raise typer.Exit(1)
