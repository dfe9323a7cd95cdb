"""The exceptions queue: what sync raised, with its facts; a supervisor resolves each, the
resolution is audited and reaches the terminals at their next sync."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.hub.conftest import Terminal
from tests.hub.hub_queries import hub_stock, terminal_stock
from tests.hub.supervisor_helpers import decisions, supervisor_headers
from tests.store_helpers import on_cart, qty_at
from wms.cli import app
from wms.hub.supervision.decisions import change_status
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.counting import Counted, record_count, start_count
from wms.services.picking import Pick, pick, short_pick
from wms.services.stock_control import adjust
from wms.services.views import recent_exceptions

SKU, BIN = "SKU-01401", "A-01-03-A-1"  # 25 units in the demo


def _go_negative(make_terminal: Callable[[], Terminal]) -> list[Terminal]:
    """Two offline terminals each write off 20 of the same 25 units."""
    terminals = [make_terminal(), make_terminal()]
    for t in terminals:
        adjust(t.ctx, logon_badge(t.ctx, "OP0009"), BIN, SKU, delta=-20, reason="damaged")
    for t in terminals:
        t.client().sync()
    return terminals


def _queue(hub: TestClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    reply = hub.get("/v1/supervisor/exceptions", params={"warehouse": "DEMO"}, headers=headers)
    assert reply.status_code == 200, reply.text
    return list(reply.json())


def _resolve(hub: TestClient, headers: dict[str, str], exc: int, **body: object) -> Any:
    return hub.post(f"/v1/supervisor/exceptions/{exc}/resolve", json=body, headers=headers)


def test_negative_stock_adjusted_by_a_supervisor_reaches_both_terminals(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminals = _go_negative(make_terminal)
    headers = supervisor_headers(hub_engine)
    [negative] = [e for e in _queue(hub, headers) if e["kind"] == "negative_stock"]
    assert negative["details"] == {
        "sku": SKU,
        "location": BIN,
        "lot": "",
        "container": "",
        "status": "available",
        "qty": -15,
    }
    why = "found 15 more in the overflow bin"
    reply = _resolve(hub, headers, negative["id"], action="adjust", delta=15, why=why)
    assert reply.status_code == 200, reply.text
    assert negative["id"] not in [e["id"] for e in _queue(hub, headers)]
    for t in terminals:
        t.client().sync()
        assert qty_at(t.ctx, BIN, SKU) == 0
        assert terminal_stock(t.ctx.engine) == hub_stock(hub_engine)
    assert decisions(hub_engine) == [("resolve_adjust", "maria", why)]
    again = _resolve(hub, headers, negative["id"], action="accept", why="twice")
    assert again.json()["code"] == "cannot_resolve"
    with hub_engine.connect() as conn:  # kept, marked, tied to the decision: nothing deleted
        row = conn.execute(
            text("SELECT resolved, resolution, decision FROM hub_exception WHERE id = :i"),
            {"i": negative["id"]},
        ).one()
    assert (row.resolved, row.resolution) == (True, "adjust")
    assert row.decision is not None


def test_a_recount_ordered_for_a_held_pick_becomes_a_count_task_on_the_terminal(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    terminal.client().sync()
    with hub_engine.begin() as conn:
        change_status(conn, "DEMO", "SKU-00001", "recalled", lot="L2601")
    alice = logon_badge(terminal.ctx, "OP0001")
    on_cart(terminal.ctx, "PT-0001", "CART-01", "TOTE0001")
    pick(terminal.ctx, alice, Pick("PT-0001", 1, "A-01-01-A-1", ean13(1), 4, lot="L2601"))
    terminal.client().sync()
    headers = supervisor_headers(hub_engine)
    [held] = [e for e in _queue(hub, headers) if e["kind"] == "pick_of_held_stock"]
    reply = _resolve(hub, headers, held["id"], action="recount", why="check what is left")
    assert reply.status_code == 200, reply.text
    terminal.client().sync()
    with terminal.ctx.engine.connect() as conn:
        task = conn.execute(
            text(
                "SELECT loc.code, p.sku FROM counttask c"
                " JOIN location loc ON loc.id = c.location_id"
                " JOIN product p ON p.id = c.product_id WHERE c.number = :n"
            ),
            {"n": f"CT-X{held['id']}"},
        ).one()
    assert tuple(task) == ("A-01-01-A-1", "SKU-00001")


def test_write_off_and_accept_from_the_command_line(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine, hub_db: str
) -> None:
    terminals = _go_negative(make_terminal)
    supervisor_headers(hub_engine)  # creates maria
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    listed = CliRunner().invoke(app, ["hub", "exceptions", "--json"], env=env)
    assert "negative_stock" in listed.output
    with hub_engine.connect() as conn:
        negative = conn.execute(
            text("SELECT id FROM hub_exception WHERE kind = 'negative_stock'")
        ).scalar_one()
    done = CliRunner().invoke(
        app,
        [
            "hub",
            "exceptions",
            "resolve",
            str(negative),
            "--action",
            "write_off",
            "--by",
            "maria",
            "--why",
            "loss booked by finance",
        ],
        env=env,
    )
    assert done.exit_code == 0, done.output
    terminals[0].client().sync()
    assert qty_at(terminals[0].ctx, BIN, SKU) == 0
    refused = CliRunner().invoke(
        app,
        [
            "hub",
            "exceptions",
            "resolve",
            str(negative),
            "--action",
            "accept",
            "--by",
            "maria",
            "--why",
            "again",
        ],
        env=env,
    )
    assert refused.exit_code == 1
    assert [d[0] for d in decisions(hub_engine)] == ["resolve_write_off"]


def test_short_picks_and_count_variances_reach_the_queue_with_their_facts(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    alice = logon_badge(terminal.ctx, "OP0001")
    short_pick(terminal.ctx, alice, "PT-0001", 3, "bin empty")  # 3 × SKU-01401 at A-01-03-A-1
    for _ in range(2):  # the books say 25: a variance, a recount, then accepted at 20
        start_count(terminal.ctx, alice, "CT-0002", BIN)
        record_count(terminal.ctx, alice, "CT-0002", [Counted(SKU, 20)])
    terminal.client().sync()
    headers = supervisor_headers(hub_engine)
    queue = {e["kind"]: e for e in _queue(hub, headers)}
    assert queue["short_pick"]["details"] | {"count_task": None} == {
        "sku": SKU,
        "location": BIN,
        "lot": "",
        "container": "",
        "status": "available",
        "short": 3,
        "reason": "bin empty",
        "task": "PT-0001",
        "count_task": None,
    }
    assert queue["count_variance"]["details"]["variance"] == -5
    for kind in ("short_pick", "count_variance"):
        why = "the count settled it"
        assert _resolve(hub, headers, queue[kind]["id"], action="accept", why=why).is_success
    assert _queue(hub, headers) == []
    assert hub_stock(hub_engine)[(SKU, BIN, "", "", "available")] == 20  # accept changes nothing


def test_the_operator_sees_a_supervisors_resolution_on_their_own_message(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal, other = make_terminal(), make_terminal()
    alice = logon_badge(terminal.ctx, "OP0001")
    short_pick(terminal.ctx, alice, "PT-0001", 3, "bin empty")
    terminal.client().sync()
    other.client().sync()
    headers = supervisor_headers(hub_engine)
    [short] = [e for e in _queue(hub, headers) if e["kind"] == "short_pick"]
    why = "stock was in the overflow bin"
    assert _resolve(hub, headers, short["id"], action="accept", why=why).is_success
    terminal.client().sync()
    other.client().sync()
    [line] = recent_exceptions(terminal.ctx)  # the terminal's own record, not a second one
    assert line.endswith(f"Short 3 {SKU} at {BIN}: bin empty — ACCEPT by maria: {why}")
    assert recent_exceptions(other.ctx) == []  # another terminal's exception is not for this one


def test_an_exception_the_hub_raised_about_a_terminals_op_reaches_that_terminal(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    first, second = _go_negative(make_terminal)
    for t in (first, second):
        t.client().sync()
    # The second terminal's write-off took the hub's stock below zero: it is told so.
    assert recent_exceptions(first.ctx) == []
    [line] = recent_exceptions(second.ctx)
    assert f"{SKU} at {BIN} is -15" in line
    headers = supervisor_headers(hub_engine)
    [negative] = [e for e in _queue(hub, headers) if e["kind"] == "negative_stock"]
    why = "loss booked by finance"
    assert _resolve(hub, headers, negative["id"], action="write_off", why=why).is_success
    second.client().sync()
    assert recent_exceptions(second.ctx) == [f"{line} — WRITE OFF by maria: {why}"]
