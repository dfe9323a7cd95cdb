"""What the terminal shows about sync: operations waiting to go to the hub, and the last sync."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from wms.services.context import Context
from wms.store.journal import cursor

# Shown after every operation: one fixed statement on the unit of work's cursor.
_STATUS = (
    "SELECT (SELECT count(*) FROM oplog WHERE acked = 0),"
    " (SELECT last_sync FROM syncstate ORDER BY id LIMIT 1)"
)


@dataclass(frozen=True)
class SyncStatus:
    """Unsynced operation count and when the last successful sync finished (None: never)."""

    unsynced: int
    last_sync: datetime | None


def sync_status(ctx: Context) -> SyncStatus:
    """Read the sync state for the status bar; cheap enough to call after every operation."""
    with ctx.uow(write=False) as uow:
        unsynced, last_sync = cursor(uow.session).execute(_STATUS).fetchone()
    at = None if last_sync is None else datetime.fromisoformat(str(last_sync))
    return SyncStatus(unsynced=int(unsynced), last_sync=at)
