"""The ``wms`` command: one composition root for the terminal, the scanner, labels and the hub."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wms import db_cli
from wms.config import default_db_path, demo_db_path
from wms.hub.cli.main import app as hub_app
from wms.labels.cli import app as labels_app
from wms.scanner.cli import app as scanner_app
from wms.sync import cli as sync_cli

if TYPE_CHECKING:
    from sqlalchemy import Engine

app = typer.Typer(
    name="wms",
    help="Warehouse management for the floor.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db_cli.app, name="db")
app.add_typer(scanner_app, name="scanner")
app.add_typer(labels_app, name="labels")
app.add_typer(hub_app, name="hub")
app.add_typer(sync_cli.app, name="sync")
app.command("enroll")(sync_cli.enroll)


@app.command()
def demo(
    db: Annotated[Path | None, typer.Option("--db", help="Demo store file.")] = None,
) -> None:
    """Open the terminal app on the demo warehouse (created once) with a simulated scanner.

    F2 lists barcodes that make sense at each step; choosing one sends it through the serial path.
    """
    from wms.tui.run import run_demo  # lazily: `wms --help` must not load Textual

    run_demo(db or demo_db_path())


@app.command()
def terminal(
    db: Annotated[Path | None, typer.Option("--db", help="Store file.")] = None,
    scanner: Annotated[
        str | None,
        typer.Option(
            help="Scanner profile: a built-in name or a .toml file "
            "[default: the one chosen on the Settings screen, else wms]."
        ),
    ] = None,
    idle_lock: Annotated[
        float, typer.Option(min=10, help="Seconds without input before the screen locks.")
    ] = 300,
    sync_every: Annotated[
        float, typer.Option(min=0, help="Seconds between background syncs with the hub (0: off).")
    ] = 300,
    scale: Annotated[
        str | None,
        typer.Option(
            help="A pack station's serial scale: a built-in profile (mt-sics) or a .toml file"
            " (hardware/SCALES.md) [default: none, weights are typed]."
        ),
    ] = None,
) -> None:
    """Run the floor terminal on this terminal's store and scanner (and scale)."""
    from wms.tui.run import run_terminal  # lazily: `wms --help` must not load Textual

    run_terminal(db or default_db_path(), scanner, idle_lock, sync_every, scale)


def console(
    *,
    by: Annotated[
        str | None,
        typer.Option("--by", help="Supervisor name (wms hub supervisor add); not with --serve."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Settings file (WMS_HUB_* lines).")
    ] = None,
    warehouse: Annotated[
        str | None,
        typer.Option("--warehouse", help="The warehouse shown (default: theirs, or the only one)."),
    ] = None,
    serve: Annotated[
        bool,
        typer.Option("--serve", help="Serve it to browsers on 127.0.0.1; each signs in."),
    ] = False,
    # Not 0: the page names the port in its own links, so it must be known before serving.
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port for --serve.")] = 8030,
    sessions: Annotated[
        int, typer.Option("--sessions", min=1, max=64, help="Consoles running at once (--serve).")
    ] = 4,
    public_url: Annotated[
        str | None,
        typer.Option("--public-url", help="The URL a reverse proxy publishes it at (--serve)."),
    ] = None,
) -> None:
    """The supervisor console: exceptions, holds and clearance, recalls, scorecard, terminals."""
    from wms.console.actions import Refused  # lazily: `wms --help` must not load Textual

    try:
        if serve:
            from wms.console.serve import console_server

            server = console_server(
                config, warehouse, port, max_sessions=sessions, public_url=public_url
            )
            server.hub()  # refuse a database it cannot use before serving anything
            server.serve()
            return
        if by is None:
            typer.echo("Name the supervisor taking the decisions: --by NAME", err=True)
            raise typer.Exit(2)
        from wms.console.run import open_console

        open_console(config, by, warehouse).run()
    except Refused as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from None


# Registered from here, the composition root: wms.hub must not know about Textual.
hub_app.command("console")(console)


@app.command()
def replay(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Scans and keys.")],
    operator: Annotated[str | None, typer.Option(help="Badge to log on with first.")] = None,
    db: Annotated[Path | None, typer.Option("--db", help="Store file.")] = None,
    stop_on_error: Annotated[
        bool, typer.Option("--stop-on-error", help="Stop at the first refused step.")
    ] = False,
) -> None:
    """Feed a file of scans and keys through the workflows, headless, printing every step.

    Exits 1 when a step was refused. Format: see `wms.workflows.replay`.
    """
    from wms.labels.labeller import Labeller  # lazily: `wms --help` must not load the store
    from wms.services.context import Context
    from wms.store.migrate import StoreVersionError, damage, damaged_message, open_store
    from wms.workflows.base import Level
    from wms.workflows.menu import default_menu
    from wms.workflows.printing import LabellerPort
    from wms.workflows.replay import feed, refused
    from wms.workflows.replay import replay as run_replay
    from wms.workflows.session import Session

    path = db or default_db_path()
    try:
        engine = open_store(path)
        problem = damage(path)  # a batch is worth a quick check before its first scan
    except StoreVersionError as exc:  # missing, empty, old or unreadable: one line
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    if problem is not None:
        engine.dispose()
        typer.echo(damaged_message(path, problem), err=True)
        raise typer.Exit(1)
    try:
        session = Session(Context(engine), default_menu(labels=LabellerPort(Labeller())))
        if operator and feed(session, operator).level is Level.ERROR:
            typer.echo(f"log on {operator}: {session.view().result}", err=True)
            raise typer.Exit(1)
        lines = file.read_text(encoding="utf-8").splitlines()
        sync = partial(_sync_once, engine)
        steps = run_replay(session, lines, typer.echo, stop_on_error=stop_on_error, sync=sync)
        failures = refused(steps)
    finally:
        engine.dispose()
    if failures:
        typer.echo(f"{len(failures)} step(s) refused", err=True)
        raise typer.Exit(1)


def _sync_once(engine: Engine) -> str:
    from wms.sync.client import sync_once  # lazily: httpx loads only when a replay syncs

    return sync_once(engine)


def main() -> None:
    """Entry point of the ``wms`` console script."""
    app()
