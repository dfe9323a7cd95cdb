"""Operators, this device's identity, the op log (the sync outbox), exceptions, counters."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

__all__ = ["Counter", "DeviceIdentity", "ExceptionRecord", "OpLog", "Operator", "PinLockout"]


class Operator(SQLModel, table=True):
    """A person who logs on by badge, or by ID and PIN (the PIN is stored as a scrypt hash)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    badge: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=100)
    role: str = Field(default="operator", max_length=12)
    pin_hash: str | None = Field(default=None, max_length=200)
    active: bool = True


class PinLockout(SQLModel, table=True):
    """Wrong PINs typed on this terminal for one ID (known or not, so a lock tells nothing);
    the ID is locked while ``locked_until`` (UTC) is ahead. Badges still log on."""

    code: str = Field(primary_key=True, max_length=40)
    failures: int = 0
    locked_until: datetime | None = None


class DeviceIdentity(SQLModel, table=True):
    """Who this store is to the hub. ``device_id`` changes with every install or restore."""

    id: int | None = Field(default=None, primary_key=True)
    device_id: str = Field(max_length=40)
    epoch: int = 1
    last_seq: int = 0
    created_at: datetime


class OpLog(SQLModel, table=True):
    """One row per operation, written in the operation's transaction; ``seq`` has no gaps."""

    device_id: str = Field(primary_key=True, max_length=40)
    seq: int = Field(primary_key=True)
    type: str = Field(max_length=20)
    payload: str
    operator: str = Field(max_length=20)
    occurred_at: datetime
    acked: bool = Field(default=False, index=True)


class ExceptionRecord(SQLModel, table=True):
    """Something a supervisor must decide on (a short pick, a variance...).

    Raised here (``hub_id`` empty until the hub's copy arrives) or at the hub about one of this
    terminal's ops (``op_seq``); the supervisor's resolution comes back by sync.
    """

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    op_seq: int
    message: str = Field(max_length=200)
    details: str
    created_at: datetime
    hub_id: int | None = Field(default=None, unique=True)
    resolution: str | None = Field(default=None, max_length=12)
    resolved_by: str | None = Field(default=None, max_length=40)
    resolved_why: str | None = Field(default=None, max_length=500)


class Counter(SQLModel, table=True):
    """A named counter for this store's own document numbers (e.g. count tasks raised by short
    picks). SSCCs and LPNs are not counted here: wms.labels allocates them from a counter that
    survives restoring a store backup, so a restore can never reissue a printed number."""

    name: str = Field(primary_key=True, max_length=20)
    value: int = 0
