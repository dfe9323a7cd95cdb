"""What this terminal knows about its hub: where it is, its token, and how far it has pulled."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

__all__ = ["EnrolAttempt", "PullSeen", "SyncState"]


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
    # The hub's number for this device (None: enrolled before the hub said), and when a push
    # and a pull last completed.
    device: int | None = None
    last_push: datetime | None = None
    last_pull: datetime | None = None
    # This terminal packs parcels: its pulls ask the hub for number blocks (hardware/SHIPPING.md).
    packs: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


class PullSeen(SQLModel, table=True):
    """An on-hand key the hub mentioned during the full read under way (see SyncState)."""

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(index=True)
    location_id: int
    lot_id: int | None = None
    container_id: int | None = None
    status: str = Field(max_length=20)


class EnrolAttempt(SQLModel, table=True):
    """An enrolment this store has started: a retry with the same code sends the same ``nonce``,
    so a reply lost on the way gets this terminal its device again, not a new one."""

    code_digest: str = Field(primary_key=True, max_length=64)
    nonce: str = Field(max_length=64)
