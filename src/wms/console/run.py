"""Build the console the way ``wms hub console`` runs it: settings, database, checks."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine

from wms.console.actions import Refused, Supervisor
from wms.console.app import ConsoleApp
from wms.console.queries import active_supervisor, warehouses
from wms.hub.db import SchemaMismatch, embedded_url, open_database
from wms.hub.settings import load_settings
from wms.hub.supervision.supervisors import scope_of


def hub_database(config: Path | None) -> Engine:
    """The configured hub database (embedded when no URL, migrated on the spot); a configured
    one must be at this wms's schema already: it is migrated by `wms hub migrate` alone, after
    a backup. Refused otherwise."""
    settings = load_settings(config)
    url = settings.database_url or embedded_url(settings.data_dir.resolve())
    try:
        return open_database(url, embedded=not settings.database_url)
    except SchemaMismatch as e:
        raise Refused(f"Cannot use this hub database: {e}") from None


def console_warehouse(conn: Connection, by: str, warehouse: str | None) -> str:
    """The warehouse supervisor ``by`` sees: their own, else ``warehouse``, else the hub's only
    one. Refused when ``by`` is no active supervisor, or the warehouse is not theirs, unknown
    or ambiguous."""
    if not active_supervisor(conn, by):
        raise Refused(f"No active supervisor {by}: `wms hub supervisor add {by}`")
    scope = scope_of(conn, by)
    if scope is not None and warehouse not in (None, scope):
        raise Refused(f"{by} supervises {scope} only, not {warehouse}")
    known = warehouses(conn)
    chosen = warehouse or scope
    if chosen is None and len(known) != 1:
        raise Refused(f"Choose a warehouse with --warehouse: {', '.join(known) or 'none yet'}")
    chosen = chosen or known[0]
    if chosen not in known:
        raise Refused(f"No warehouse {chosen} at this hub")
    return chosen


def open_console(config: Path | None, by: str, warehouse: str | None = None) -> ConsoleApp:
    """The console of supervisor ``by`` on the configured hub database, showing one warehouse
    (see :func:`console_warehouse`)."""
    engine = hub_database(config)
    try:
        with engine.connect() as conn:
            chosen = console_warehouse(conn, by, warehouse)
    except Refused:
        engine.dispose()
        raise
    return ConsoleApp(Supervisor(engine, by), chosen)
