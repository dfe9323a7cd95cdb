"""Parcel SSCCs and pool carriers' waybill numbers, taken from the blocks the hub handed this
terminal (hardware/SHIPPING.md), never from a counter of its own: several pack stations pack at
once, offline, and a store restored from a backup never hands out a number twice.

Only blocks addressed to the store's *current* stream are used: a restored store starts a new
stream (wms.sync.outbox), so the numbers it handed out after the backup was taken, which the
restored file no longer remembers, stay unused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from wms.domain.errors import NoNumbers
from wms.domain.packing import SSCC, block_number
from wms.services.context import Context
from wms.store.journal import cursor, ensure_device

_NEXT = (
    "SELECT id, first, last, used, spec FROM numberblock WHERE stream = ? AND kind = ?"
    " AND carrier IS ? AND first + used <= last ORDER BY id LIMIT 1"
)
_USE = "UPDATE numberblock SET used = used + 1 WHERE id = ?"
_LEFT = (
    "SELECT kind, carrier, SUM(last - first + 1 - used) FROM numberblock WHERE stream = ?"
    " GROUP BY kind, carrier ORDER BY kind, carrier"
)


def take_number(s: Session, kind: str, carrier: str | None, now: datetime) -> str:
    """The next unused number of this stream's blocks of ``kind`` (and ``carrier``), marked
    used in the caller's transaction; NoNumbers when none is left."""
    stream = ensure_device(s, now).device_id
    cur = cursor(s)
    row = cur.execute(_NEXT, (stream, kind, carrier)).fetchone()
    if row is None:
        what = "parcel numbers (SSCC)" if kind == SSCC else f"{carrier} waybill numbers"
        raise NoNumbers(f"No {what} left on this terminal: sync to get more")
    block, first, last, used, spec = row
    cur.execute(_USE, (block,))
    return block_number(kind, json.loads(spec), int(first), int(last), int(first) + int(used))


@dataclass(frozen=True)
class NumbersLeft:
    """Numbers this terminal may still hand out: ``kind``, ``carrier`` (None for SSCCs)."""

    kind: str
    carrier: str | None
    left: int


def numbers_left(ctx: Context) -> list[NumbersLeft]:
    """What is left of this stream's blocks, per kind and carrier."""
    with ctx.uow(write=False) as uow:
        cur = cursor(uow.session)
        row = cur.execute("SELECT device_id FROM deviceidentity").fetchone()
        if row is None:
            return []
        return [NumbersLeft(k, c, int(n)) for k, c, n in cur.execute(_LEFT, (row[0],))]


def mark_packing_terminal(ctx: Context) -> bool:
    """This terminal packs: its next syncs ask the hub to keep it topped up with numbers (a
    terminal not enrolled has no hub to ask: nothing to mark). True when it was not marked
    before: a sync now brings its first numbers."""
    with ctx.uow() as uow:
        marked = cursor(uow.session).execute("UPDATE syncstate SET packs = 1 WHERE packs = 0")
        uow.commit()
        return bool(marked.rowcount)
