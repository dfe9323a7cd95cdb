"""Documents and tasks reach terminals; a pick task is walked by one terminal at a time."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, text

from tests.hub.conftest import Terminal
from wms.hub.documents import save
from wms.services.inquiry import inquire
from wms.sync.client import TaskLeased


def _task_status(t: Terminal, number: str) -> str:
    with t.ctx.engine.connect() as conn:
        q = text("SELECT status FROM picktask WHERE number = :n")
        return str(conn.execute(q, {"n": number}).scalar_one())


def test_a_receipt_created_at_the_hub_reaches_the_terminal(
    make_terminal: Callable[[], Terminal], hub_engine: Engine
) -> None:
    terminal = make_terminal()
    with hub_engine.begin() as conn:
        body = {
            "number": "PO-2026-0100",
            "kind": "po",
            "supplier": "Nordic Dairy AB",
            "expected_date": "2026-11-24",
            "dock": "DOCK-02",
            "customs_declaration": None,
            "lines": [{"line_no": 1, "sku": "SKU-00001", "expected_qty": 60}],
        }
        save(conn, "DEMO", "receipt", body)
    terminal.client().sync()
    assert (
        inquire(terminal.ctx, "PO-2026-0100").title
        == "Receipt PO-2026-0100 from Nordic Dairy AB: open"
    )
    terminal.client().sync()  # applying it again changes nothing
    with terminal.ctx.engine.connect() as conn:
        lines = conn.execute(
            text(
                "SELECT count(*) FROM inboundline l JOIN inbounddocument d"
                " ON d.id = l.document_id WHERE d.number = 'PO-2026-0100'"
            )
        )
        assert lines.scalar_one() == 1


def test_a_pick_task_is_leased_to_one_terminal_at_a_time(
    make_terminal: Callable[[], Terminal],
) -> None:
    first, second = make_terminal(), make_terminal()
    first.client().lease("PT-0001")
    with pytest.raises(TaskLeased, match="another terminal"):
        second.client().lease("PT-0001")
    second.client().sync()
    first.client().sync()
    assert _task_status(second, "PT-0001") == "leased"
    assert _task_status(first, "PT-0001") == "open"
