"""Keeping integration's tables small: delivered messages are dropped after some days, and the
available-to-sell feed keeps one row per product. Safe from any number of hub processes at
once (each statement only deletes what is no longer needed)."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import Connection, Engine, text

from wms.hub.integration.ats import compact

log = logging.getLogger("wms.hub")

_PURGE = text(
    "DELETE FROM webhook_message WHERE state = 'delivered' AND delivered_at < now() - :keep"
)


def upkeep(conn: Connection, keep: timedelta) -> tuple[int, int]:
    """Drop messages delivered more than ``keep`` ago and superseded feed rows; returns how
    many of each."""
    purged = int(conn.execute(_PURGE, {"keep": keep}).rowcount)
    return purged, compact(conn)


def upkeep_loop(
    engine: Engine, keep: timedelta, every_seconds: float, stop: threading.Event
) -> None:
    """Upkeep every ``every_seconds`` until ``stop`` (a hub process's background thread)."""
    while not stop.wait(every_seconds):
        try:
            with engine.begin() as conn:
                upkeep(conn, keep)
        except Exception:  # a database hiccup must not end the loop: try again next time
            log.exception("integration upkeep failed")
