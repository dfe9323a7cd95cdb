"""Waves on the floor, end to end: orders imported at the hub, a wave released, terminals pull
the tasks, pick them (or not), and the hub follows: orders picked, short lines backordered,
cancelled orders' lines withdrawn and their picked goods put back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.hub.conftest import Terminal
from tests.hub.hub_queries import exception_kinds
from tests.hub.planning_helpers import (
    RESERVE,
    RESERVE2,
    SHIRT,
    SOCKS,
    channel_headers,
    order_body,
    order_status,
    put_stock,
    reservations,
    take,
)
from tests.hub.supervisor_helpers import supervisor_headers
from tests.store_helpers import on_cart
from wms.cli import app
from wms.domain.errors import DocumentClosed
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.carts import cart_setup
from wms.services.picking import Pick, next_stop, pick, short_pick
from wms.services.views import open_move_tasks, open_pick_tasks

runner = CliRunner()
SHIRT_EAN, SOCKS_EAN = ean13(1402), ean13(1403)
CSV_HEADER = (
    "number,channel,shop,trade_mode,carrier,currency,consignee_name,consignee_phone,"
    "consignee_address,consignee_country,sku,qty,unit_price\n"
)


def _csv_line(number: str, sku: str, qty: int) -> str:
    header = "tmall,Tmall Global,domestic,SF,CNY,Li Wei,+86 138 0013 8000,88 Century Ave,CN"
    return f"{number},{header},{sku},{qty},59.90\n"


def _release(hub: TestClient, engine: Engine, **rule: object) -> dict[str, object]:
    reply = hub.post(
        "/v1/waves", json={"warehouse": "DEMO", **rule}, headers=supervisor_headers(engine)
    )
    assert reply.status_code == 201, reply.text
    body: dict[str, object] = reply.json()
    return body


def _line_status(t: Terminal, task: str, seq: int) -> str:
    with t.ctx.engine.connect() as conn:
        q = text(
            "SELECT l.status FROM picktaskline l JOIN picktask t ON t.id = l.task_id"
            " WHERE t.number = :n AND l.seq = :s"
        )
        return str(conn.execute(q, {"n": task, "s": seq}).scalar_one())


def test_orders_imported_released_and_picked_with_wms_replay(
    make_terminal: Callable[[], Terminal], hub_db: str, hub_engine: Engine, tmp_path: Path
) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    put_stock(hub_engine, SOCKS, RESERVE2, 5)
    orders = tmp_path / "orders.csv"
    orders.write_text(
        CSV_HEADER
        + _csv_line("SO-E1", SHIRT, 3)
        + _csv_line("SO-E1", SOCKS, 2)
        + _csv_line("SO-E2", SHIRT, 1),
        encoding="utf-8",
    )
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    imported = runner.invoke(
        app, ["hub", "import", "orders", str(orders), "--warehouse", "DEMO"], env=env
    )
    assert imported.exit_code == 0, imported.output
    assert "Imported 2 orders" in imported.output
    runner.invoke(app, ["hub", "supervisor", "add", "maria", "--warehouse", "DEMO"], env=env)
    wave = runner.invoke(
        app, ["hub", "waves", "release", "--warehouse", "DEMO", "--by", "maria"], env=env
    )
    assert wave.exit_code == 0, wave.output
    assert ": 2 orders, 3 lines, 2 tasks" in wave.output
    task = wave.output.split("pick task ")[1].split()[0]  # SO-E1's: its walk starts first

    terminal = make_terminal()
    terminal.client().sync()
    assert task in open_pick_tasks(terminal.ctx)
    script = tmp_path / "pick.txt"
    script.write_text(
        f"start pick\n{task}\nCART-01\nTOTE0001\n{RESERVE}\ntype 3\n{SHIRT_EAN}\n{RESERVE2}\n"
        f"type 2\n{SOCKS_EAN}\n",
        encoding="utf-8",
    )
    db = str(terminal.ctx.engine.url.database)
    replayed = runner.invoke(app, ["replay", str(script), "--operator", "OP0001", "--db", db])
    assert replayed.exit_code == 0, replayed.output
    terminal.client().sync()

    shown = runner.invoke(app, ["hub", "orders", "show", "SO-E1", "--warehouse", "DEMO"], env=env)
    assert "picked" in shown.output.splitlines()[0]
    assert f"{SHIRT}" in shown.output
    assert "3 ordered  0 reserved  3 picked  0 backordered" in shown.output
    assert order_status(hub_engine, "SO-E1") == "picked"
    # Picked units stay promised to their order, in the tote on the cart, until they ship.
    assert reservations(hub_engine, "SO-E1") == [
        (SHIRT, "CART-01", "", 3),
        (SOCKS, "CART-01", "", 2),
    ]
    assert order_status(hub_engine, "SO-E2") == "released"  # not picked yet


def test_a_cluster_task_reaches_terminals_in_its_own_format_with_a_slot_per_order(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    put_stock(hub_engine, SOCKS, RESERVE2, 5)
    with hub_engine.begin() as conn:
        take(conn, order_body("SO-C1", (SOCKS, 1), (SHIRT, 1)), order_body("SO-C2", (SHIRT, 2)))
    done = _release(hub, hub_engine, cluster_totes=4)
    assert done["tasks"]
    assert len(done["tasks"]) == 1
    (number,) = done["tasks"]  # type: ignore[misc]
    with hub_engine.connect() as conn:
        body = conn.execute(
            text("SELECT body FROM document WHERE number = :n"), {"n": number}
        ).scalar_one()
    assert body["format"] == "cluster"
    assert body["order_number"] is None
    assert body["orders"] == [
        {"tote": 1, "order_number": "SO-C1"},
        {"tote": 2, "order_number": "SO-C2"},
    ]
    # One walk for the cart: both orders' shirts at the first bin, then the socks.
    walk = [
        (ln["location"], ln["sku"], ln["tote"], ln["order_number"], ln["qty"])
        for ln in body["lines"]
    ]
    assert walk == [
        (RESERVE, SHIRT, 1, "SO-C1", 1),
        (RESERVE, SHIRT, 2, "SO-C2", 2),
        (RESERVE2, SOCKS, 1, "SO-C1", 1),
    ]
    terminal = make_terminal()
    terminal.client().sync()
    assert number in open_pick_tasks(terminal.ctx)
    setup = cart_setup(terminal.ctx, number)
    assert setup.cluster
    assert [(sl.slot, sl.order, sl.tote) for sl in setup.slots] == [
        (1, "SO-C1", None),
        (2, "SO-C2", None),
    ]
    stop = next_stop(terminal.ctx, number)
    assert stop is not None
    assert (stop.location, stop.sku, stop.slot, stop.order, stop.qty) == (
        RESERVE,
        SHIRT,
        1,
        "SO-C1",
        1,
    )


def test_a_cancelled_orders_open_lines_are_refused_on_the_floor(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    put_stock(hub_engine, SOCKS, RESERVE2, 5)
    headers = channel_headers(hub_engine)
    hub.post("/v1/orders", json=order_body("SO-X", (SHIRT, 3), (SOCKS, 2)), headers=headers)
    (task,) = _release(hub, hub_engine)["tasks"]  # type: ignore[misc]
    terminal = make_terminal()
    terminal.client().sync()
    alice = logon_badge(terminal.ctx, "OP0001")
    on_cart(terminal.ctx, task, "CART-01", "TOTE0001")
    pick(terminal.ctx, alice, Pick(task, 1, RESERVE, SHIRT_EAN, 3))  # line 1 picked
    terminal.client().sync()

    reply = hub.post(
        "/v1/orders/SO-X/cancel", json={"why": "customer changed mind"}, headers=headers
    )
    assert reply.status_code == 200, reply.text
    cancelled = reply.json()
    assert cancelled["released_units"] == 5  # the 2 socks in their bin, the 3 shirts in the tote
    assert cancelled["withdrawn_lines"] == [f"{task}/2"]
    (put_back,) = cancelled["put_back_tasks"]
    assert order_status(hub_engine, "SO-X") == "cancelled"
    assert (
        hub.get("/v1/available-to-sell?sku=" + SOCKS, headers=headers).json()[0][
            "available_to_sell"
        ]
        == 5
    )

    terminal.client().sync()
    assert _line_status(terminal, task, 2) == "withdrawn"
    with pytest.raises(DocumentClosed, match="was withdrawn: its order was cancelled"):
        pick(terminal.ctx, alice, Pick(task, 2, RESERVE2, SOCKS_EAN, 2))
    assert task not in open_pick_tasks(terminal.ctx)  # nothing left to pick: done
    # The 3 shirts already picked go back from the cart (their tote) to their bin.
    assert open_move_tasks(terminal.ctx) == [
        f"MOVE 3 {SHIRT} from CART-01 to {RESERVE} (put back: order SO-X cancelled)"
    ]
    again = hub.post("/v1/orders/SO-X/cancel", headers=headers).json()
    assert again["already_cancelled"] is True
    assert put_back.startswith("PB-")


def test_a_pick_of_a_withdrawn_line_made_offline_is_kept_and_put_back(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    headers = channel_headers(hub_engine)
    hub.post("/v1/orders", json=order_body("SO-X", (SHIRT, 3)), headers=headers)
    (task,) = _release(hub, hub_engine)["tasks"]  # type: ignore[misc]
    terminal = make_terminal()
    terminal.client().sync()
    hub.post("/v1/orders/SO-X/cancel", headers=headers)
    # The picker had not pulled since: the pick is a fact, the hub raises it and plans a put-back.
    on_cart(terminal.ctx, task, "CART-01", "TOTE0001")
    pick(terminal.ctx, logon_badge(terminal.ctx, "OP0001"), Pick(task, 1, RESERVE, SHIRT_EAN, 3))
    terminal.client().sync()
    assert "pick_of_withdrawn_line" in exception_kinds(hub_engine)
    with hub_engine.connect() as conn:
        moves = conn.execute(text("SELECT kind, qty, to_location FROM move_task")).all()
        line = conn.execute(text("SELECT picked, cancelled FROM order_line")).one()
    assert [tuple(m) for m in moves] == [("put_back", 3, RESERVE)]
    assert tuple(line) == (3, 0)


def test_a_short_pick_backorders_what_was_missing(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    hub.post("/v1/orders", json=order_body("SO-S", (SHIRT, 4)), headers=channel_headers(hub_engine))
    (task,) = _release(hub, hub_engine)["tasks"]  # type: ignore[misc]
    terminal = make_terminal()
    terminal.client().sync()
    alice = logon_badge(terminal.ctx, "OP0001")
    on_cart(terminal.ctx, task, "CART-01", "TOTE0001")
    pick(terminal.ctx, alice, Pick(task, 1, RESERVE, SHIRT_EAN, 1))
    short_pick(terminal.ctx, alice, task, 1, "damaged")
    terminal.client().sync()
    with hub_engine.connect() as conn:
        line = conn.execute(text("SELECT picked, backordered FROM order_line")).one()
    assert tuple(line) == (1, 3)
    assert reservations(hub_engine, "SO-S") == [(SHIRT, "CART-01", "", 1)]  # the one picked
    assert order_status(hub_engine, "SO-S") == "picked"


def test_cancelling_a_packed_order_is_refused(hub: TestClient, hub_engine: Engine) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    headers = channel_headers(hub_engine)
    hub.post("/v1/orders", json=order_body("SO-P", (SHIRT, 2)), headers=headers)
    with hub_engine.begin() as conn:
        conn.execute(text("UPDATE sales_order SET status = 'packed'"))
    reply = hub.post("/v1/orders/SO-P/cancel", headers=headers)
    assert reply.status_code == 409
    assert reply.json()["code"] == "too_late"
    assert reservations(hub_engine, "SO-P") == [(SHIRT, RESERVE, "", 2)]
    assert hub.post("/v1/orders/SO-NONE/cancel", headers=headers).status_code == 404


def test_a_recall_of_promised_stock_backorders_the_promise(
    hub: TestClient, hub_engine: Engine
) -> None:
    cream = "SKU-00303"
    put_stock(hub_engine, cream, RESERVE, 5, lot="CR-BAD", expiry="2028-06-01")
    put_stock(hub_engine, cream, RESERVE2, 5, lot="CR-GOOD", expiry="2028-09-01")
    headers = channel_headers(hub_engine)
    hub.post("/v1/orders", json=order_body("SO-R", (cream, 4)), headers=headers)
    assert reservations(hub_engine, "SO-R") == [(cream, RESERVE, "CR-BAD", 4)]  # FEFO
    recall = {"warehouse": "DEMO", "sku": cream, "lot": "CR-BAD", "why": "supplier recall"}
    sv = supervisor_headers(hub_engine)
    assert hub.post("/v1/supervisor/recalls", json=recall, headers=sv).status_code == 200
    # The promise on recalled stock is withdrawn and the line backordered; the wave's retry
    # then takes the good lot.
    line = hub.get("/v1/orders/SO-R", headers=headers).json()["lines"][0]
    assert (line["reserved"], line["backordered"]) == (0, 4)
    figures = hub.get(f"/v1/available-to-sell?sku={cream}", headers=headers).json()[0]
    assert (figures["on_hand"], figures["reserved"], figures["held"]) == (10, 0, 5)
    assert figures["available_to_sell"] == 5
    _release(hub, hub_engine)
    assert reservations(hub_engine, "SO-R") == [(cream, RESERVE2, "CR-GOOD", 4)]
