"""``wms hub``: serve the API, enrol and revoke devices, read stock, import (supervisor decisions
and the exceptions queue: :mod:`wms.hub.cli.supervisor`; orders, waves, replenishment and count
plans: :mod:`wms.hub.cli.planning`)."""

from __future__ import annotations

import gc
import json
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wms.hub.cli.customs import register as register_customs
from wms.hub.cli.integration import register as register_integration
from wms.hub.cli.planning import register as register_planning
from wms.hub.cli.shipping import register as register_shipping
from wms.hub.cli.supervisor import register

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from wms.hub.settings import HubSettings

app = typer.Typer(help="The back end: sync API on PostgreSQL, and supervisor commands.")

ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Settings file (WMS_HUB_* lines).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")]


def _url(settings: HubSettings) -> str:
    from wms.hub.db import embedded_url

    return settings.database_url or embedded_url(settings.data_dir.resolve())


def _open(config: Path | None, **overrides: Any) -> tuple[HubSettings, Engine]:
    """Settings (``overrides`` win over the environment and ``config``) and an engine on a
    database at the current schema.

    The embedded database (no URL configured: demos, trials) is migrated on the spot; a
    configured one is migrated only by ``wms hub migrate``, which an admin runs after a backup.
    """
    from wms.hub.db import SchemaMismatch, open_database
    from wms.hub.settings import load_settings

    settings = load_settings(config).model_copy(update=overrides)
    try:
        engine = open_database(_url(settings), embedded=not settings.database_url)
    except SchemaMismatch as e:
        typer.echo(f"Cannot use this hub database: {e}", err=True)
        raise typer.Exit(1) from None
    return settings, engine


def _rows(engine: Engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    from sqlalchemy import text

    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text(sql), params)]


def _no_warehouse(code: str) -> str:
    return (
        f"No warehouse {code} at this hub (see `wms hub warehouse list`);"
        f" to create it: wms hub warehouse add {code} --name NAME"
    )


def _show(rows: list[dict[str, Any]], as_json: bool) -> None:
    for r in rows:
        line = json.dumps(r, default=str) if as_json else "  ".join(str(v) for v in r.values())
        typer.echo(line)


@app.command()
def serve(
    config: ConfigOption = None,
    demo: Annotated[bool, typer.Option("--demo", help="Load the demo warehouse first.")] = False,
    port: Annotated[
        int | None, typer.Option("--port", min=1, max=65535, help="Overrides WMS_HUB_PORT.")
    ] = None,
    host: Annotated[str | None, typer.Option("--host", help="Overrides WMS_HUB_HOST.")] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Overrides WMS_HUB_DATA_DIR (the embedded database)."),
    ] = None,
) -> None:
    """Serve the sync API (OpenAPI at /openapi.json) until interrupted.

    Settings come from WMS_HUB_* environment variables or --config FILE (same names, one per
    line): DATABASE_URL (empty: embedded PostgreSQL in DATA_DIR), DATA_DIR (wms-hub-data),
    HOST (127.0.0.1), PORT (8750), MIN_PROTOCOL, MAX_PROTOCOL, STORE_REVISIONS (a JSON list),
    MAX_BODY_BYTES (16 MiB), MAX_OPS_PER_PUSH (5000), MAX_PULL_ROWS (5000),
    ENROL_CODE_MINUTES (60), WAVE_CHECK_SECONDS (30), BOOKING_SECONDS (10), NUMBER_BLOCK (100),
    CUSTOMS_SECONDS (5; 0: this process hands nothing to customs and reads no inbox),
    WEBHOOK_POLL_SECONDS (1; 0: this process delivers no webhooks), WEBHOOK_TIMEOUT_SECONDS
    (10), WEBHOOK_MAX_ATTEMPTS (30), WEBHOOK_RETRY_BASE_SECONDS (5), WEBHOOK_RETRY_CAP_SECONDS
    (3600), WEBHOOK_IN_FLIGHT (256), WEBHOOK_KEEP_DAYS (7), WEBHOOK_PRIVATE_TARGETS (false:
    no endpoints on loopback or private networks). See hardware/SYNC.md,
    hardware/SHIPPING.md, hardware/INTEGRATION.md and hardware/CUSTOMS.md.
    """
    import uvicorn
    from sqlalchemy import text

    from wms.hub.api.app import create_app
    from wms.hub.logs import configure_logging

    overrides = {"port": port, "host": host, "data_dir": data_dir}
    settings, engine = _open(config, **{k: v for k, v in overrides.items() if v is not None})
    configure_logging()
    if demo:
        from wms.hub.demo import load_demo, load_demo_orders, load_demo_shipping

        with engine.begin() as conn:
            if conn.execute(text("SELECT count(*) FROM product")).scalar_one() == 0:
                warehouse = load_demo(conn)
                load_demo_shipping(conn, warehouse)
                load_demo_orders(conn, warehouse)
    # uvicorn re-raises SIGTERM after a graceful shutdown; exiting normally instead lets the
    # embedded PostgreSQL be stopped by its exit handler.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    import threading

    if settings.wave_check_seconds:
        from wms.hub.planning.waves import schedule_loop

        args = (engine, settings.wave_check_seconds, threading.Event())
        threading.Thread(target=schedule_loop, args=args, daemon=True, name="waves").start()
    if settings.booking_seconds:
        from wms.hub.shipping.booking import booking_loop

        args = (engine, settings.booking_seconds, threading.Event())
        threading.Thread(target=booking_loop, args=args, daemon=True, name="booking").start()
    if settings.customs_seconds:
        from wms.hub.customs.handover import customs_loop

        args = (engine, settings.customs_seconds, threading.Event())
        threading.Thread(target=customs_loop, args=args, daemon=True, name="customs").start()
    _integration_threads(engine, settings)
    api = create_app(engine, settings)
    # Everything loaded so far lives as long as the server: keeping it out of the collector's
    # full passes stops each push's thousands of parsed ops from triggering long GC pauses.
    gc.collect()
    gc.freeze()
    # The event loop answers every request (a health probe too) between pushes applied in
    # worker threads: hand it the interpreter every millisecond, not every five.
    sys.setswitchinterval(0.001)
    uvicorn.run(api, host=settings.host, port=settings.port, log_config=None)


def _integration_threads(engine: Engine, settings: HubSettings) -> None:
    """Webhook delivery and integration upkeep in the background (hardware/INTEGRATION.md)."""
    import threading
    from datetime import timedelta

    from wms.hub.integration.delivery import Policy, delivery_loop
    from wms.hub.integration.upkeep import upkeep_loop

    stop = threading.Event()
    if settings.webhook_poll_seconds:
        args = (engine, Policy.of(settings), stop)
        threading.Thread(target=delivery_loop, args=args, daemon=True, name="webhooks").start()
    keep = timedelta(days=settings.webhook_keep_days)
    threading.Thread(
        target=upkeep_loop, args=(engine, keep, 600.0, stop), daemon=True, name="upkeep"
    ).start()


@app.command()
def migrate(config: ConfigOption = None) -> None:
    """Bring the hub database to this wms's schema (back it up first); says from which
    revision to which."""
    from wms.hub.db import SchemaMismatch, upgrade
    from wms.hub.settings import load_settings

    url = _url(load_settings(config))
    try:
        before, after = upgrade(url)
    except SchemaMismatch as e:
        typer.echo(f"Not migrated: {e}", err=True)
        raise typer.Exit(1) from None
    if before == after:
        typer.echo(f"Hub database already at revision {after}")
    else:
        typer.echo(f"Hub database migrated from revision {before or 'none (empty)'} to {after}")


@app.command()
def enroll(
    warehouse: Annotated[str, typer.Option("--warehouse", help="Warehouse code, e.g. DEMO.")],
    replaces: Annotated[
        int | None,
        typer.Option(
            "--replaces",
            help="A device this terminal was enrolled as before (revoked now): its queued ops"
            " and leases pass to the new device.",
        ),
    ] = None,
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
) -> None:
    """Print a one-time code a terminal uses with `wms enroll --hub URL --code CODE`."""
    from wms.hub.master import warehouse_exists
    from wms.hub.sync.devices import new_enrolment

    settings, engine = _open(config)
    with engine.begin() as conn:
        if not warehouse_exists(conn, warehouse):
            typer.echo(_no_warehouse(warehouse), err=True)
            raise typer.Exit(1)
        try:
            device, code = new_enrolment(conn, warehouse, settings.enrol_code_minutes, replaces)
        except LookupError as e:
            typer.echo(f"Cannot replace device {replaces}: {e}", err=True)
            raise typer.Exit(1) from None
    minutes = settings.enrol_code_minutes
    if as_json:
        out = {"device": device, "warehouse": warehouse, "code": code, "minutes": minutes}
        typer.echo(json.dumps(out | {"replaces": replaces}))
        return
    succeeds = f", takes over device {replaces} (revoked)" if replaces is not None else ""
    typer.echo(f"Device {device}: code {code} (valid {minutes} minutes, once){succeeds}")


@app.command()
def devices(config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """Enrolled devices, their streams and how far each has synced, and the device each one
    replaces (a terminal enrolled again)."""
    _, engine = _open(config)
    _show(
        _rows(
            engine,
            "SELECT d.id, d.warehouse, d.revoked, d.enrolled_at, d.last_seen, d.last_pull,"
            " COALESCE(MAX(s.last_seq), 0) AS last_seq, COUNT(s.stream_id) AS epochs,"
            " d.replaces"
            " FROM device d LEFT JOIN op_stream s ON s.device = d.id GROUP BY d.id ORDER BY d.id",
        ),
        as_json,
    )


@app.command()
def revoke(device: int, config: ConfigOption = None) -> None:
    """Revoke a device: its token stops working at once."""
    from wms.hub.sync.devices import revoke as revoke_device

    _, engine = _open(config)
    with engine.begin() as conn:
        if not revoke_device(conn, device):
            typer.echo(f"No device {device}", err=True)
            raise typer.Exit(1)
    typer.echo(f"Device {device} revoked")


@app.command()
def stock(
    sku: Annotated[str | None, typer.Option("--sku", help="One product only.")] = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """On-hand stock at the hub per bin, lot and status."""
    _, engine = _open(config)
    sql = (
        "SELECT warehouse, sku, location, lot, container, status, qty FROM on_hand"
        " WHERE (CAST(:sku AS text) IS NULL OR sku = :sku) ORDER BY warehouse, sku, location"
    )
    _show(_rows(engine, sql, sku=sku), as_json)


@app.command("import")
def import_(
    kind: Annotated[
        str,
        typer.Argument(
            help="products, locations, operators, receipts, orders, face_limits, cartons,"
            " customs_products"
        ),
    ],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or JSON file")],
    warehouse: Annotated[
        str | None,
        typer.Option("--warehouse", help="The warehouse they belong to (all but products)."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Import master data, documents and orders: every line is checked first; one bad line
    imports nothing. Orders are allocated as they arrive; an order imported again is skipped."""
    from wms.hub.imports import MODELS, SHARED, ImportFailed, load, parse
    from wms.hub.master import warehouse_exists

    if kind not in MODELS:
        typer.echo(f"Cannot import {kind}: choose one of {', '.join(MODELS)}", err=True)
        raise typer.Exit(2)
    if kind in SHARED and warehouse:
        typer.echo(f"{kind.capitalize()} are shared by every warehouse: drop --warehouse", err=True)
        raise typer.Exit(2)
    if kind not in SHARED and not warehouse:
        typer.echo(f"{kind.capitalize()} belong to a warehouse: add --warehouse CODE", err=True)
        raise typer.Exit(2)
    try:
        rows = parse(kind, file)
    except ImportFailed as e:
        for line in e.errors:
            typer.echo(f"{file}: {line}", err=True)
        typer.echo(f"{e}", err=True)
        raise typer.Exit(1) from None
    from sqlalchemy.exc import IntegrityError

    _, engine = _open(config)
    try:
        with engine.begin() as conn:
            if warehouse and not warehouse_exists(conn, warehouse):
                typer.echo(_no_warehouse(warehouse), err=True)
                raise typer.Exit(1)
            count = load(conn, kind, rows, warehouse or "*")
    except ImportFailed as e:
        for line in e.errors:
            typer.echo(f"{file}: {line}", err=True)
        raise typer.Exit(1) from None
    except IntegrityError as e:  # named by its constraint only: the values may be secrets
        constraint = getattr(getattr(e.orig, "diag", None), "constraint_name", None) or "?"
        typer.echo(f"{file}: nothing imported, it conflicts with the hub's {constraint}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Imported {count} {kind}")


warehouse_app = typer.Typer(help="The warehouses this hub serves.", no_args_is_help=True)
app.add_typer(warehouse_app, name="warehouse")


@warehouse_app.command("add")
def warehouse_add(
    code: Annotated[str, typer.Argument(help="Short code, e.g. HKG (letters, digits, - or _).")],
    name: Annotated[str, typer.Option("--name", help="Its name, e.g. 'Hong Kong DC'.")],
    config: ConfigOption = None,
) -> None:
    """Create a warehouse: imports, enrolments and supervisors then name it."""
    from wms.hub.master import add_warehouse

    _, engine = _open(config)
    try:
        with engine.begin() as conn:
            add_warehouse(conn, code, name)
    except ValueError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Warehouse {code} created")


@warehouse_app.command("list")
def warehouse_list(config: ConfigOption = None, as_json: JsonOption = False) -> None:
    """Every warehouse at this hub."""
    _, engine = _open(config)
    _show(_rows(engine, "SELECT code, name FROM warehouse ORDER BY code"), as_json)


register(app, _open)
register_planning(app, _open)
register_integration(app, _open)
register_shipping(app, _open)
register_customs(app, _open)
