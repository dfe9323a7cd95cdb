"""A background writer (the sync, applying pulled data) never fails an operator's operation.

Write units take SQLite's write lock at BEGIN (BEGIN IMMEDIATE) and wait on the busy timeout,
so neither side can hit "database is locked" half-way through a read-then-write.
"""

from __future__ import annotations

import threading

from sqlalchemy import text

from tests.store_helpers import op_count, qty_at
from wms.seed.gtins import ean13
from wms.services.context import Actor, Context
from wms.services.receiving import Receive, receive
from wms.store.uow import UnitOfWork


def test_operations_succeed_while_another_connection_writes(ctx: Context, alice: Actor) -> None:
    stop = threading.Event()
    writes: list[int] = []
    errors: list[BaseException] = []

    def background_writer() -> None:
        try:
            while not stop.is_set():
                with UnitOfWork(ctx.engine) as uow:
                    # Read, then write: the pattern that fails under deferred transactions.
                    n = uow.session.execute(text("SELECT count(*) FROM counter")).scalar_one()
                    uow.session.execute(
                        text("INSERT OR REPLACE INTO counter (name, value) VALUES ('sync', :n)"),
                        {"n": n + len(writes)},
                    )
                    uow.commit()
                writes.append(1)
        except BaseException as exc:
            errors.append(exc)

    before = op_count(ctx)
    worker = threading.Thread(target=background_writer)
    worker.start()
    try:
        for _ in range(150):
            receive(ctx, alice, Receive(ean13(1401), 1, location="DOCK-01"))
    finally:
        stop.set()
        worker.join()
    assert errors == []
    assert writes, "the background writer never got a turn"
    assert op_count(ctx) == before + 150
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == 150
