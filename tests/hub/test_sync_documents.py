"""Documents and tasks reach terminals; a pick task is walked by one terminal at a time."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import nullcontext

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.hub.conftest import Terminal
from tests.hub.faults import faulty_client
from tests.store_helpers import on_cart
from wms.cli import app
from wms.domain.errors import DocumentClosed
from wms.hub.documents import save
from wms.hub.sync.progress import task_progress
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.inquiry import inquire
from wms.services.picking import Pick, pick, short_pick
from wms.services.receipt_closing import close_receipt
from wms.services.receiving import Receive, receive
from wms.sync.claims import HubClaims
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


def _hub_task(engine: Engine, number: str) -> tuple[str, int | None]:
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT status, leased_to FROM document WHERE kind = 'pick_task' AND number = :n"),
            {"n": number},
        ).one()
    return str(row.status), row.leased_to


def test_a_task_picked_offline_is_leased_to_its_picker_and_released_when_done(
    make_terminal: Callable[[], Terminal], hub_engine: Engine
) -> None:
    first, second = make_terminal(), make_terminal()
    second.client().sync()
    alice = logon_badge(first.ctx, "OP0001")
    on_cart(first.ctx, "PT-0001", "CART-01", "TOTE0001")
    pick(first.ctx, alice, Pick("PT-0001", 1, "A-01-01-A-1", ean13(1), 4, lot="L2601"))
    first.client().sync()  # no lease was asked for: the first pick to arrive takes it
    status, holder = _hub_task(hub_engine, "PT-0001")
    assert (status, holder) == ("in_progress", first.device)
    with hub_engine.connect() as conn:
        row = conn.execute(text("SELECT body FROM document WHERE number = 'PT-0001'")).one()
        done = task_progress(conn, "DEMO", "PT-0001", row.body, status)
    assert (done.done, done.due, done.lines_done, done.lines) == (4, 9, 1, 3)
    second.client().sync()
    assert _task_status(second, "PT-0001") == "leased"
    bob = logon_badge(second.ctx, "OP0002")
    with pytest.raises(DocumentClosed, match="being picked on another terminal"):
        pick(second.ctx, bob, Pick("PT-0001", 2, "A-01-02-A-1", ean13(301), 2, lot="C-OK1"))

    pick(first.ctx, alice, Pick("PT-0001", 2, "A-01-02-A-1", ean13(301), 2, lot="C-OK1"))
    short_pick(first.ctx, alice, "PT-0001", 3, "bin empty")
    first.client().sync()
    assert _hub_task(hub_engine, "PT-0001") == ("done", None)
    second.client().sync()
    assert _task_status(second, "PT-0001") == "done"  # not offered on the other terminal


def test_a_receipt_closed_on_the_floor_is_closed_at_the_hub_with_its_progress(
    make_terminal: Callable[[], Terminal], hub_db: str
) -> None:
    terminal = make_terminal()
    alice = logon_badge(terminal.ctx, "OP0001")
    receive(terminal.ctx, alice, Receive(ean13(1401), 10, document="PO-2026-0001"))
    close_receipt(terminal.ctx, alice, "PO-2026-0001")
    terminal.client().sync()
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    shown = CliRunner().invoke(app, ["hub", "documents", "--kind", "receipt", "--json"], env=env)
    assert shown.exit_code == 0, shown.output
    rows = {r["number"]: r for r in map(json.loads, shown.output.splitlines())}
    assert rows["PO-2026-0001"] == {
        "warehouse": "DEMO",
        "number": "PO-2026-0001",
        "status": "closed",
        "done": 10,
        "due": 46,
        "lines_done": 1,
        "lines": 3,
    }


def _claims(t: Terminal, hub: TestClient) -> HubClaims:
    return HubClaims(t.ctx.engine, lambda: nullcontext(hub))


def test_starting_a_task_claims_it_and_another_terminal_is_told_at_once(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    first, second = make_terminal(), make_terminal()
    _claims(first, hub).claim("PT-0001")
    assert _hub_task(hub_engine, "PT-0001")[1] == first.device
    with pytest.raises(DocumentClosed, match="leased to another terminal"):
        _claims(second, hub).claim("PT-0001")
    assert _task_status(second, "PT-0001") == "leased"  # set aside here before any sync
    bob = logon_badge(second.ctx, "OP0002")
    with pytest.raises(DocumentClosed, match="being picked on another terminal"):
        pick(second.ctx, bob, Pick("PT-0001", 1, "A-01-01-A-1", ean13(1), 4, lot="L2601"))


def test_a_claim_the_hub_cannot_answer_lets_the_operator_work_on(
    make_terminal: Callable[[], Terminal], hub: TestClient
) -> None:
    terminal = make_terminal()
    http, faults = faulty_client(hub)
    faults.drop_requests = 1
    HubClaims(terminal.ctx.engine, lambda: nullcontext(http)).claim("PT-0001")  # no refusal
    assert _task_status(terminal, "PT-0001") == "open"


def test_a_finished_task_cannot_be_claimed(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    with hub_engine.begin() as conn:
        conn.execute(text("UPDATE document SET status = 'done' WHERE number = 'PT-0001'"))
    with pytest.raises(DocumentClosed, match="task PT-0001 is done"):
        _claims(make_terminal(), hub).claim("PT-0001")
