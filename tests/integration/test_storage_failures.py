"""A store that cannot write (a full disk) refuses the operation whole, in words an operator
reads, and works again once there is room."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event

from tests.conftest import NOW
from tests.store_helpers import op_count, qty_at
from wms.domain.errors import NotRecorded
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.context import Actor, Context
from wms.services.receiving import Receive, receive
from wms.store.engine import make_engine


def _full_disk_context(path: Path) -> Context:
    """The store, with SQLite told it may not grow: every new page fails as on a full disk."""
    engine = make_engine(path)

    @event.listens_for(engine, "connect")
    def _cap(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    return Context(engine, clock=lambda: NOW)


def _receive_until_refused(ctx: Context, actor: Actor) -> tuple[int, NotRecorded]:
    for done in range(5_000):  # until the store needs a page it may not have
        try:
            receive(ctx, actor, Receive(ean13(1401), 1, location="DOCK-01"))
        except NotRecorded as refusal:
            return done, refusal
    raise AssertionError("the capped store never filled up")


def test_a_full_disk_refuses_the_scan_whole_and_says_so(ctx: Context) -> None:
    path = Path(str(ctx.engine.url.database))
    full = _full_disk_context(path)
    alice = logon_badge(full, "OP0001")
    recorded, refusal = _receive_until_refused(full, alice)
    full.engine.dispose()
    assert refusal.message == "NOT RECORDED: terminal disk full. Call a supervisor"
    assert op_count(ctx) == recorded
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == recorded
    receive(ctx, alice, Receive(ean13(1401), 1, location="DOCK-01"))  # room again: it works
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == recorded + 1
