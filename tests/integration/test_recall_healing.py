"""A pick of a lot made before the terminal heard of its recall leaves its statuses split
("recalled 30 / customs hold -6" for 24 units that are there); a recount heals it."""

from __future__ import annotations

from sqlalchemy import text

from tests.store_helpers import qty_at
from tests.tui.session_helpers import run_ok, session_at
from wms.services.context import Context
from wms.store.uow import UnitOfWork
from wms.sync.apply import apply_page, warehouse_id
from wms.sync.documents import apply_document
from wms.sync.wire import Change

BIN, LOT = "BND-01-01-A-1", "L2610"
RECALLED_LOT = "(01)02000000000022(10)L2610"


def _pulled(status: str, qty: int) -> Change:
    return Change(kind="stock", key=f"SKU-00002|{BIN}|{LOT}||{status}", body={"qty": qty})


def test_a_recount_heals_the_split_a_recall_left(ctx: Context) -> None:
    # Offline, the picker takes 6 of the bonded lot for the re-export order.
    run_ok(session_at(ctx, "pick"), "PT-0002", "CART-02", "TOTE0002", BIN, "type 6", RECALLED_LOT)
    assert qty_at(ctx, BIN, "SKU-00002", status="customs_hold") == 24
    # The hub had recalled the lot meanwhile: the push is acked, the pull brings its figures.
    with UnitOfWork(ctx.engine) as uow:
        uow.session.connection().execute(text("UPDATE oplog SET acked = 1"))
        uow.commit()
    wh = warehouse_id(ctx.engine, "DEMO")
    apply_page(ctx.engine, [_pulled("recalled", 30), _pulled("customs_hold", -6)], wh)
    assert qty_at(ctx, BIN, "SKU-00002", status="recalled") == 30
    assert qty_at(ctx, BIN, "SKU-00002", status="customs_hold") == -6
    # A supervisor asks for a count of the bin; the counter finds the 24 that are there.
    with ctx.engine.begin() as conn:
        apply_document(conn, "count_task", {"number": "CT-X9", "location": BIN, "sku": None})
    view = run_ok(session_at(ctx, "count"), "CT-X9", BIN, RECALLED_LOT, "type 24", "key F4")
    assert view.result == "Count CT-X9 recorded"
    assert qty_at(ctx, BIN, "SKU-00002", status="recalled") == 24
    assert qty_at(ctx, BIN, "SKU-00002", status="customs_hold") == 0
    assert qty_at(ctx, BIN, "SKU-00002") == 24
