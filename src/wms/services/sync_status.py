"""What the terminal shows about sync: operations waiting to go to the hub, and the last sync."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, func, select

from wms.services.context import Context
from wms.store.people import OpLog
from wms.store.sync_state import SyncState


@dataclass(frozen=True)
class SyncStatus:
    """Unsynced operation count and when the last successful sync finished (None: never)."""

    unsynced: int
    last_sync: datetime | None


def sync_status(ctx: Context) -> SyncStatus:
    """Read the sync state for the status bar; cheap enough to call after every operation."""
    with ctx.uow(write=False) as uow:
        unsynced = uow.session.exec(
            select(func.count()).select_from(OpLog).where(col(OpLog.acked).is_(False))
        ).one()
        last_sync = uow.session.exec(select(SyncState.last_sync)).first()
    return SyncStatus(unsynced=int(unsynced), last_sync=last_sync)
