"""Build the console the way ``wms hub console`` runs it: settings, migrated database, checks."""

from __future__ import annotations

from pathlib import Path

from wms.console.actions import Refused, Supervisor
from wms.console.app import ConsoleApp
from wms.console.queries import active_supervisor, warehouses
from wms.hub.db import embedded_url, make_hub_engine, upgrade
from wms.hub.settings import load_settings
from wms.hub.supervision.supervisors import scope_of


def open_console(config: Path | None, by: str, warehouse: str | None = None) -> ConsoleApp:
    """The console of supervisor ``by`` on the configured hub database (embedded when no URL).

    ``warehouse`` defaults to the supervisor's own or the hub's only warehouse; Refused when it
    is ambiguous, unknown or not theirs, or when ``by`` is not an active supervisor.
    """
    settings = load_settings(config)
    url = settings.database_url or embedded_url(settings.data_dir.resolve())
    upgrade(url)
    engine = make_hub_engine(url)
    with engine.connect() as conn:
        known = warehouses(conn)
        if not active_supervisor(conn, by):
            raise Refused(f"No active supervisor {by}: `wms hub supervisor add {by}`")
        scope = scope_of(conn, by)
    if scope is not None and warehouse not in (None, scope):
        raise Refused(f"{by} supervises {scope} only, not {warehouse}")
    warehouse = warehouse or scope
    if warehouse is None and len(known) != 1:
        raise Refused(f"Choose a warehouse with --warehouse: {', '.join(known) or 'none yet'}")
    chosen = warehouse or known[0]
    if chosen not in known:
        raise Refused(f"No warehouse {chosen} at this hub")
    return ConsoleApp(Supervisor(engine, by), chosen)
