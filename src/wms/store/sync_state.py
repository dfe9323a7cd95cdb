"""What this terminal knows about its hub: where it is, its token, and how far it has pulled."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

__all__ = ["PullSeen", "SyncState"]


class SyncState(SQLModel, table=True):
    """One row once the terminal is enrolled. The token is a bearer secret: never logged."""

    id: int | None = Field(default=None, primary_key=True)
    hub_url: str = Field(max_length=200)
    token: str = Field(max_length=100)
    warehouse: str = Field(max_length=20)
    pull_cursor: str | None = Field(default=None, max_length=100)
    last_sync: datetime | None = None
    # Reading the whole feed (first pull, or the hub said start over): at its end, stock the
    # hub did not mention is swept to this terminal's own unsynced deltas.
    full_read: bool = False


class PullSeen(SQLModel, table=True):
    """An on-hand key the hub mentioned during the full read under way (see SyncState)."""

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(index=True)
    location_id: int
    lot_id: int | None = None
    container_id: int | None = None
    status: str = Field(max_length=20)
