"""``wms enroll`` and ``wms sync``: the terminal's side of the hub, for people and for timers.

Exit codes (for cron and systemd): 0 ok · 75 hub unreachable, retry later · 76 upgrade
required · 77 device revoked or unknown to the hub · 78 not enrolled · 79 another sync of this
store is still running.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from wms.config import default_db_path

if TYPE_CHECKING:
    import httpx
    from sqlalchemy import Engine

_T = TypeVar("_T")

DbOption = Annotated[
    Path | None, typer.Option("--db", help="Store file (default: $WMS_DB or the data dir).")
]
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout", min=1, help="Seconds to wait for the hub on any one request before giving up."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object instead of text.")]

app = typer.Typer()


def _open(db: Path | None) -> Engine:
    from wms.store.migrate import StoreVersionError, open_store

    try:
        return open_store(db or default_db_path())
    except StoreVersionError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(76) from None


@app.callback(invoke_without_command=True)
def sync(
    ctx: typer.Context,
    *,
    db: DbOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only failures.")] = False,
    new_epoch: Annotated[
        bool, typer.Option("--new-epoch", help="After restoring this store from a backup.")
    ] = False,
    timeout: TimeoutOption = 30,
    wait: Annotated[
        float,
        typer.Option(
            "--wait", min=0, help="Seconds to wait for another sync of this store to end (79)."
        ),
    ] = 300,
) -> None:
    """Push this terminal's operations to the hub, then pull its warehouse.

    Only one sync of a store runs at a time: this one waits for another (the app's, or a
    timer's) to end, and gives up with exit code 79 after --wait seconds.
    """
    if ctx.invoked_subcommand is not None:
        return
    # Lazily, here and below: `wms --help` must not load httpx or the store.
    import httpx

    from wms.sync.client import SyncClient, SyncFailed
    from wms.sync.client import timeout as limit

    engine = _open(db)

    def waiting() -> None:
        if not quiet:
            typer.echo(f"Another sync of this store is running: waiting up to {wait:g} s", err=True)

    try:
        with (
            httpx.Client(timeout=limit(timeout)) as http,
            typer.progressbar(length=1, label="Sync", hidden=quiet) as bar,
        ):
            client = SyncClient(engine, http)

            def progress(stage: str, done: int, _total: int | None) -> None:
                bar.label = f"{stage} {done}"
                bar.update(0)

            # --new-epoch: before any new op, the restored numbers may already be at the hub.
            summary = client.sync(progress, wait=wait, on_wait=waiting, new_epoch=new_epoch)
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


_LABELS = {
    "hub": "Hub",
    "warehouse": "Warehouse",
    "device": "Device",
    "stream": "Stream",
    "epoch": "Epoch",
    "last_seq": "Last op",
    "queued": "Queued ops",
    "oldest_queued_at": "Oldest queued",
    "last_push": "Last push",
    "last_pull": "Last pull",
    "cursor": "Cursor",
    "full_read_pending": "Full read pending",
}


@app.command()
def status(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Where this terminal's sync stands: queue, stream, cursor, hub and device.

    Hub, device, stream, queued ops, last push and pull, pull cursor, and whether a full read
    of the hub is pending. Never the token."""
    from wms.sync.state import report

    engine = _open(db)
    try:
        found = report(engine)
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps(found))
        return
    if not found["enrolled"]:
        typer.echo("Not enrolled: `wms enroll --hub URL --code CODE`")
    for key, label in _LABELS.items():
        if found[key] is not None or key in ("last_push", "last_pull"):
            typer.echo(f"{label + ':':<19}{_shown(found[key])}")


def _shown(value: Any) -> str:
    if value is None:
        return "never"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _at_hub(
    db: Path | None,
    timeout: float,
    failure: str,
    action: Callable[[Engine, httpx.Client], _T],
) -> _T:
    """Run ``action`` on the store and its hub while no sync runs on the store; a failure is
    told as ``failure: why`` and exits with the sync's exit code."""
    import httpx

    from wms.sync.client import SyncBusy, SyncFailed
    from wms.sync.client import timeout as limit
    from wms.sync.lock import LockUnavailable, sync_lock

    engine = _open(db)
    try:
        with sync_lock(engine) as held, httpx.Client(timeout=limit(timeout)) as http:
            if not held:
                raise SyncBusy("a sync of this store is running: try again when it ends")
            return action(engine, http)
    except LockUnavailable as e:
        typer.echo(f"{failure}: {e}", err=True)
        raise typer.Exit(75) from None
    except SyncFailed as e:
        typer.echo(f"{failure}: {e}", err=True)
        raise typer.Exit(e.exit_code) from None
    finally:
        engine.dispose()


@app.command("set-hub")
def set_hub(
    url: Annotated[str, typer.Argument(help="The hub's new URL, e.g. https://hub2.example:8750")],
    db: DbOption = None,
    timeout: TimeoutOption = 30,
    as_json: JsonOption = False,
) -> None:
    """Point this terminal at its hub's new address, without enrolling again.

    The hub there must know this terminal's token; queued ops, pull cursor and token are
    kept."""
    from wms.sync.client import set_hub as repoint

    found = _at_hub(db, timeout, "Hub not changed", lambda engine, http: repoint(engine, http, url))
    if as_json:
        typer.echo(json.dumps({"hub": url.rstrip("/"), **found.model_dump()}))
    else:
        typer.echo(f"This terminal (device {found.device}) now syncs with {url.rstrip('/')}")


def enroll(
    hub: Annotated[str, typer.Option("--hub", help="Hub URL, e.g. https://hub.example:8750")],
    code: Annotated[str, typer.Option("--code", help="One-time code from `wms hub enroll`.")],
    db: DbOption = None,
    timeout: TimeoutOption = 30,
    as_json: JsonOption = False,
) -> None:
    """Register this terminal with the hub once; the token is stored, never printed.

    Safe to run again with the same code when the reply was lost: the hub gives this terminal
    the same device."""
    from wms.sync.client import enroll as enroll_device

    done = _at_hub(
        db, timeout, "Enrolment failed", lambda engine, http: enroll_device(engine, http, hub, code)
    )
    if as_json:
        out = {"device": done.device, "warehouse": done.warehouse, "hub": hub.rstrip("/")}
        typer.echo(json.dumps(out))
    else:
        typer.echo(
            f"Enrolled as device {done.device} of warehouse {done.warehouse}; run `wms sync`."
        )
