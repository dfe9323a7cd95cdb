"""The status bar's unsynced count is every operation the hub has not acknowledged."""

from __future__ import annotations

from wms.seed.gtins import ean13
from wms.services.context import Actor, Context
from wms.services.receiving import Receive, receive
from wms.services.sync_status import sync_status


def test_each_operation_adds_one_unsynced(ctx: Context, alice: Actor) -> None:
    assert sync_status(ctx).unsynced == 0
    receive(ctx, alice, Receive(ean13(1401), 1, location="DOCK-01"))
    receive(ctx, alice, Receive(ean13(1401), 2, location="DOCK-01"))
    status = sync_status(ctx)
    assert status.unsynced == 2
    assert status.last_sync is None
