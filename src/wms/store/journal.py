"""Writing stock: every change is a ledger row plus the on-hand projection plus one op-log row,
all inside the caller's unit of work."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlmodel import Session, col

from wms.domain.errors import StockUnavailable
from wms.store.people import DeviceIdentity, OpLog
from wms.store.stock import OnHand, StockLedger


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


def same(column: Any, value: int | None) -> Any:
    """``column = value`` that also matches NULL when ``value`` is None."""
    return column.is_(None) if value is None else column == value


def post_stock(s: Session, seq: int, key: StockKey, delta: int, now: datetime) -> None:
    """Write one ledger row and bring the on-hand projection along; never below zero.

    ``seq`` is the op-log seq of the operation (0 for stock loaded from the hub).
    """
    if delta == 0:
        return
    s.execute(
        insert(StockLedger).values(
            op_seq=seq,
            product_id=key.product_id,
            location_id=key.location_id,
            lot_id=key.lot_id,
            container_id=key.container_id,
            status=key.status,
            delta=delta,
            at=now,
        )
    )
    row = s.execute(
        select(col(OnHand.id), col(OnHand.qty)).where(
            col(OnHand.product_id) == key.product_id,
            col(OnHand.location_id) == key.location_id,
            same(col(OnHand.lot_id), key.lot_id),
            same(col(OnHand.container_id), key.container_id),
            col(OnHand.status) == key.status,
        )
    ).first()
    qty = (row.qty if row else 0) + delta
    if qty < 0:
        raise StockUnavailable(f"Only {qty - delta} here, cannot take {-delta}")
    if row is None:
        s.execute(insert(OnHand).values(**key.__dict__, qty=qty))
    elif qty == 0:
        s.execute(delete(OnHand).where(col(OnHand.id) == row.id))
    else:
        s.execute(update(OnHand).where(col(OnHand.id) == row.id).values(qty=qty))


class Op:
    """One operation being written: its ledger postings and, at the end, its op-log row."""

    def __init__(self, session: Session, op_type: str, operator: str, now: datetime) -> None:
        self._session = session
        self.type = op_type
        self.operator = operator
        self.now = now
        device = ensure_device(session, now)
        self.device_id = device.device_id
        self.seq = device.last_seq + 1
        # The counter lives in the device row so that pruning acked op-log rows keeps seq gapless.
        session.execute(
            update(DeviceIdentity)
            .where(col(DeviceIdentity.id) == device.id)
            .values(last_seq=self.seq)
        )
        device.last_seq = self.seq

    def post(self, key: StockKey, delta: int) -> None:
        """Add ``delta`` to the stock at ``key``; refuse to take it below zero."""
        post_stock(self._session, self.seq, key, delta, self.now)

    def record(self, payload: dict[str, Any]) -> int:
        """Append the op-log row that tells the hub what happened; returns its seq."""
        self._session.execute(
            insert(OpLog).values(
                device_id=self.device_id,
                seq=self.seq,
                type=self.type,
                payload=json.dumps(payload, default=str, sort_keys=True),
                operator=self.operator,
                occurred_at=self.now,
                acked=False,
            )
        )
        return self.seq
