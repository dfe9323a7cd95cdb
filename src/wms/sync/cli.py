"""``wms enroll`` and ``wms sync``: the terminal's side of the hub, for people and for timers.

Exit codes (for cron and systemd): 0 ok · 75 hub unreachable, retry later · 76 upgrade
required · 77 device revoked or unknown to the hub · 78 not enrolled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wms.config import default_db_path

DbOption = Annotated[
    Path | None, typer.Option("--db", help="Store file (default: $WMS_DB or the data dir).")
]


def sync(
    db: DbOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only failures.")] = False,
    new_epoch: Annotated[
        bool, typer.Option("--new-epoch", help="After restoring this store from a backup.")
    ] = False,
) -> None:
    """Push this terminal's operations to the hub, then pull its warehouse."""
    # Lazily, here and in enroll: `wms --help` must not load httpx or the store.
    import httpx

    from wms.store.migrate import StoreVersionError, open_store
    from wms.sync import outbox
    from wms.sync.client import TIMEOUT, SyncClient, SyncFailed

    try:
        engine = open_store(db or default_db_path())
    except StoreVersionError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(76) from None
    if new_epoch:  # before any new op: the restored numbers may already be at the hub
        outbox.start_new_epoch(engine)
    try:
        with (
            httpx.Client(timeout=TIMEOUT) as http,
            typer.progressbar(length=1, label="Sync", hidden=quiet) as bar,
        ):

            def progress(stage: str, done: int, _total: int | None) -> None:
                bar.label = f"{stage} {done}"
                bar.update(0)

            summary = SyncClient(engine, http).sync(progress)
            bar.update(1)
    except SyncFailed as e:
        typer.echo(f"Sync failed: {e}", err=True)
        raise typer.Exit(e.exit_code) from None
    finally:
        engine.dispose()
    for line in summary.rejected:
        typer.echo(f"Rejected by the hub: {line}", err=True)
    if not quiet:
        typer.echo(summary.report())


def enroll(
    hub: Annotated[str, typer.Option("--hub", help="Hub URL, e.g. https://hub.example:8750")],
    code: Annotated[str, typer.Option("--code", help="One-time code from `wms hub enroll`.")],
    db: DbOption = None,
) -> None:
    """Register this terminal with the hub once; the token is stored, never printed."""
    import httpx

    from wms.store.migrate import open_store
    from wms.sync.client import TIMEOUT, SyncFailed
    from wms.sync.client import enroll as enroll_device

    engine = open_store(db or default_db_path())
    try:
        with httpx.Client(timeout=TIMEOUT) as http:
            done = enroll_device(engine, http, hub, code)
    except SyncFailed as e:
        typer.echo(f"Enrolment failed: {e}", err=True)
        raise typer.Exit(e.exit_code) from None
    finally:
        engine.dispose()
    typer.echo(f"Enrolled as device {done.device} of warehouse {done.warehouse}; run `wms sync`.")
