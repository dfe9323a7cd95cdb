"""Writing stock: every change is a ledger row plus the on-hand projection plus one op-log row,
all inside the caller's unit of work."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from wms.domain.errors import StockUnavailable
from wms.store.people import DeviceIdentity


@dataclass(frozen=True)
class StockKey:
    """Where a quantity of stock is and what it is."""

    product_id: int
    location_id: int
    lot_id: int | None
    container_id: int | None
    status: str


def ensure_device(session: Session, now: datetime) -> DeviceIdentity:
    """This store's device identity, created with a fresh id on first use."""
    device = session.execute(select(DeviceIdentity)).scalars().first()
    if device is None:
        device = DeviceIdentity(device_id=str(uuid.uuid4()), epoch=1, created_at=now)
        session.add(device)
        session.flush()
    assert isinstance(device, DeviceIdentity)
    return device


# The journal runs on every operation: fixed SQL on the DB-API cursor of the unit of work's own
# connection (same transaction). Each statement through SQLAlchemy's execution layer cost ~60 us,
# more than the durable commit itself (bench/ops); the values here are plain ints and strings.
_LEDGER = (
    "INSERT INTO stockledger (op_seq, product_id, location_id, lot_id, container_id, status,"
    " delta, at) VALUES (:seq, :product_id, :location_id, :lot_id, :container_id, :status,"
    " :delta, :at)"
)
_FIND = (
    "SELECT id, qty FROM onhand WHERE product_id = :product_id AND location_id = :location_id"
    " AND lot_id IS :lot_id AND container_id IS :container_id AND status = :status"
)
_ADD = (
    "INSERT INTO onhand (product_id, location_id, lot_id, container_id, status, qty)"
    " VALUES (:product_id, :location_id, :lot_id, :container_id, :status, :qty)"
)
_SET = "UPDATE onhand SET qty = :qty WHERE id = :id"
_DROP = "DELETE FROM onhand WHERE id = :id"
# One row per store; SQLite >= 3.35 returns the new value in the same statement.
_NEXT_SEQ = "UPDATE deviceidentity SET last_seq = last_seq + 1 RETURNING device_id, last_seq"
_OPLOG = (
    "INSERT INTO oplog (device_id, seq, type, payload, operator, occurred_at, acked)"
    " VALUES (:device_id, :seq, :type, :payload, :operator, :occurred_at, 0)"
)


RAW_CONNECTION = "wms_raw_connection"
"""Where a unit of work keeps its DB-API connection in ``Session.info`` while its transaction
is open: asking the Session for it costs more than the statement run on it (bench/ops)."""


def cursor(s: Session) -> sqlite3.Cursor:
    """A DB-API cursor on the session's connection, inside its open transaction."""
    raw = s.info.get(RAW_CONNECTION) or s.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw.cursor()


def post_stock(s: Session, seq: int, key: StockKey, delta: int, now: datetime) -> None:
    """Write one ledger row and bring the on-hand projection along; never below zero.

    ``seq`` is the op-log seq of the operation (0 for stock loaded from the hub).
    """
    if delta == 0:
        return
    cur = cursor(s)
    params: dict[str, Any] = dict(key.__dict__)
    cur.execute(_LEDGER, {**params, "seq": seq, "delta": delta, "at": utc_text(now)})
    row = cur.execute(_FIND, params).fetchone()
    qty = (row[1] if row else 0) + delta
    if qty < 0:
        raise StockUnavailable(f"Only {qty - delta} here, cannot take {-delta}")
    if row is None:
        cur.execute(_ADD, {**params, "qty": qty})
    elif qty == 0:
        cur.execute(_DROP, {"id": row[0]})
    else:
        cur.execute(_SET, {"id": row[0], "qty": qty})


def utc_text(moment: datetime) -> str:
    """Timestamps in the form SQLModel's UTCDateTime stores, so ORM reads see the same value."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class Op:
    """One operation being written: its ledger postings and, at the end, its op-log row."""

    def __init__(self, session: Session, op_type: str, operator: str, now: datetime) -> None:
        self._session = session
        self.type = op_type
        self.operator = operator
        self.now = now
        # The counter lives in the device row so that pruning acked op-log rows keeps seq gapless.
        row = cursor(session).execute(_NEXT_SEQ).fetchone()
        if row is None:
            ensure_device(session, now)
            row = cursor(session).execute(_NEXT_SEQ).fetchone()
        self.device_id: str = row[0]
        self.seq: int = row[1]

    def post(self, key: StockKey, delta: int) -> None:
        """Add ``delta`` to the stock at ``key``; refuse to take it below zero."""
        post_stock(self._session, self.seq, key, delta, self.now)

    def record(self, payload: dict[str, Any]) -> int:
        """Append the op-log row that tells the hub what happened; returns its seq."""
        cursor(self._session).execute(
            _OPLOG,
            {
                "device_id": self.device_id,
                "seq": self.seq,
                "type": self.type,
                "payload": json.dumps(payload, default=str, sort_keys=True),
                "operator": self.operator,
                "occurred_at": utc_text(self.now),
            },
        )
        return self.seq
