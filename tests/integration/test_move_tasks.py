"""Recalled stock the hub wants in quarantine becomes a task on the terminal, closed by the
moves that empty the bin of it."""

from __future__ import annotations

from tests.store_helpers import qty_at
from wms.seed.gtins import ean13
from wms.services.context import Actor, Context
from wms.services.moving import Move, move
from wms.services.views import open_move_tasks
from wms.sync.documents import apply_document
from wms.workflows.info import MessagesWorkflow

COSMETIC = ean13(301)
RECALL_MOVE = {
    "number": "RM-7-1",
    "recall": "7",
    "to": "QA-01",
    "location": "A-01-02-A-1",
    "sku": "SKU-00301",
    "lot": "C-RC1",
    "container": None,
    "qty": 10,
}


def test_a_recall_move_is_listed_until_the_bin_is_emptied_of_the_lot(
    ctx: Context, alice: Actor
) -> None:
    for _ in range(2):  # a pull applied twice creates one task
        with ctx.engine.begin() as conn:
            apply_document(conn, "recall_move", RECALL_MOVE)
    task = "MOVE 10 SKU-00301 lot C-RC1 from A-01-02-A-1 to QA-01"
    assert open_move_tasks(ctx) == [task]
    # Recalled stock to move comes first among the operator's tasks: it must not be picked.
    assert MessagesWorkflow(ctx, alice).context()[1] == task
    move(ctx, alice, Move(COSMETIC, 4, "A-01-02-A-1", "QA-01", lot="C-RC1"))
    assert open_move_tasks(ctx) == [task]  # 6 recalled units are still in the bin
    move(ctx, alice, Move(COSMETIC, 6, "A-01-02-A-1", "QA-01", lot="C-RC1"))
    assert open_move_tasks(ctx) == []
    assert qty_at(ctx, "QA-01", "SKU-00301", lot="C-RC1", status="recalled") == 10
    assert qty_at(ctx, "A-01-02-A-1", "SKU-00301", lot="C-OK1") == 20  # the good lot stays
