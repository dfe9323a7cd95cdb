"""Waves: open orders released by rule (carrier, cut-off, trade mode, priority, zone, how many),
short orders held back, tasks with their reserved lots, and scheduled rules run by whichever
hub process claims them."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.hub.planning_helpers import (
    BONDED,
    RESERVE,
    RESERVE2,
    RESERVE3,
    SHIRT,
    SOCKS,
    order_body,
    order_status,
    put_stock,
    take,
)
from tests.hub.supervisor_helpers import supervisor_headers
from wms.hub.demo import load_demo_orders
from wms.hub.planning.waves import WaveRule, add_schedule, run_due, run_one_due


def _release(hub: TestClient, engine: Engine, **rule: Any) -> Any:
    return hub.post(
        "/v1/waves", json={"warehouse": "DEMO", **rule}, headers=supervisor_headers(engine)
    )


def _waves(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM wave")).scalar_one())


def _task(engine: Engine, number: str) -> dict[str, Any]:
    with engine.connect() as conn:
        q = text("SELECT body FROM document WHERE kind = 'pick_task' AND number = :n")
        body: dict[str, Any] = conn.execute(q, {"n": number}).scalar_one()
        return body


def test_a_rule_releases_only_the_orders_it_matches(hub: TestClient, hub_engine: Engine) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 50)
    soon = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    later = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    with hub_engine.begin() as conn:
        take(
            conn,
            order_body("SF-SOON", (SHIRT, 1), ship_by=soon),
            order_body("SF-LATER", (SHIRT, 1), ship_by=later),
            order_body("YTO-1", (SHIRT, 1), carrier="YTO", ship_by=soon),
            order_body("SF-URGENT", (SHIRT, 1), priority=9, ship_by=later),
        )
    cutoff = (datetime.now(UTC) + timedelta(hours=6)).isoformat()
    reply = _release(hub, hub_engine, carrier="SF", cutoff=cutoff)
    assert reply.status_code == 201, reply.text
    assert reply.json()["orders"] == ["SF-SOON"]
    # Most urgent first: priority, then ship-by.
    assert _release(hub, hub_engine, max_orders=2).json()["orders"] == ["SF-URGENT", "YTO-1"]
    assert _release(hub, hub_engine, min_priority=1).status_code == 409
    assert order_status(hub_engine, "SF-LATER") == "open"


def test_a_rule_that_matches_nothing_is_refused_and_writes_nothing(
    hub: TestClient, hub_engine: Engine
) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 5)
    with hub_engine.begin() as conn:
        take(conn, order_body("SO-1", (SHIRT, 1)))
    reply = _release(hub, hub_engine, carrier="DHL", trade_mode="re_export")
    assert reply.status_code == 409
    assert reply.json() == {
        "detail": "no open order in DEMO matches: carrier DHL, trade mode re_export",
        "code": "nothing_to_release",
    }
    assert _waves(hub_engine) == 0
    assert order_status(hub_engine, "SO-1") == "open"
    bad = _release(hub, hub_engine, max_lines=5)  # cart limits without a cart
    assert bad.status_code == 422


def test_a_zone_rule_takes_orders_picked_wholly_in_that_zone(
    hub: TestClient, hub_engine: Engine
) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 5)  # zone A
    put_stock(hub_engine, SOCKS, RESERVE3, 5)  # zone B
    with hub_engine.begin() as conn:
        take(conn, order_body("IN-A", (SHIRT, 1)), order_body("A-AND-B", (SHIRT, 1), (SOCKS, 1)))
    assert _release(hub, hub_engine, zone="A").json()["orders"] == ["IN-A"]
    assert _release(hub, hub_engine, zone="B").status_code == 409


def test_orders_short_of_stock_wait_unless_partial_orders_are_allowed(
    hub: TestClient, hub_engine: Engine
) -> None:
    with hub_engine.begin() as conn:
        take(conn, order_body("SO-LATE-STOCK", (SHIRT, 3)), order_body("SO-SHORT", (SOCKS, 4)))
    put_stock(hub_engine, SHIRT, RESERVE, 3)  # arrives after the orders
    put_stock(hub_engine, SOCKS, RESERVE2, 1)
    reply = _release(hub, hub_engine).json()
    # The backorder is retried at release: stock that arrived since is reserved then.
    assert reply["orders"] == ["SO-LATE-STOCK"]
    assert reply["held_back"] == ["SO-SHORT"]
    partial = _release(hub, hub_engine, allow_partial=True).json()
    assert partial["orders"] == ["SO-SHORT"]
    assert _task(hub_engine, partial["tasks"][0])["lines"][0]["qty"] == 1
    with hub_engine.connect() as conn:
        assert (
            conn.execute(
                text("SELECT backordered FROM order_line WHERE order_number = 'SO-SHORT'")
            ).scalar()
            == 3
        )


def test_task_lines_carry_the_reserved_lot_in_walking_order(
    hub: TestClient, hub_engine: Engine
) -> None:
    cream = "SKU-00303"
    put_stock(hub_engine, cream, RESERVE2, 5, lot="CR-LATE", expiry="2029-01-01")
    put_stock(hub_engine, cream, RESERVE3, 5, lot="CR-EARLY", expiry="2028-06-01")
    put_stock(hub_engine, SHIRT, RESERVE, 5)
    with hub_engine.begin() as conn:
        take(conn, order_body("SO-LOT", (cream, 7), (SHIRT, 1)))
    (number,) = _release(hub, hub_engine).json()["tasks"]
    lines = _task(hub_engine, number)["lines"]
    assert [(ln["seq"], ln["location"], ln["sku"], ln["lot"], ln["qty"]) for ln in lines] == [
        (1, RESERVE, SHIRT, "", 1),
        (2, RESERVE2, cream, "CR-LATE", 2),
        (3, RESERVE3, cream, "CR-EARLY", 5),  # FEFO took all of the earlier lot
    ]
    assert [ln["order_line"] for ln in lines] == [2, 1, 1]


def test_a_bonded_retail_wave_takes_only_bonded_retail_orders(
    hub: TestClient, hub_engine: Engine
) -> None:
    formula = "SKU-00003"
    put_stock(
        hub_engine, formula, BONDED, 10, lot="F-B", expiry="2028-06-01", status="customs_hold"
    )
    put_stock(hub_engine, SHIRT, RESERVE, 5)
    with hub_engine.begin() as conn:
        take(
            conn,
            order_body("BR-1", (formula, 2), trade_mode="bonded_retail"),
            order_body("SO-1", (SHIRT, 1)),
        )
    assert _release(hub, hub_engine, trade_mode="bonded_retail").json()["orders"] == ["BR-1"]


def test_a_scheduled_rule_runs_once_per_due_time_whatever_the_processes(hub_engine: Engine) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    with hub_engine.begin() as conn:
        take(conn, order_body("SO-1", (SHIRT, 1)), order_body("SO-2", (SHIRT, 1)))
        add_schedule(
            conn, "DEMO", "hourly-sf", WaveRule(carrier="SF"), every_minutes=60, who="maria"
        )
    due = datetime.now(UTC) + timedelta(minutes=61)
    results: list[Any] = []
    barrier = threading.Barrier(2)

    def worker() -> None:  # two hub processes, each on its own connection
        with hub_engine.begin() as conn:
            barrier.wait()
            results.append(run_one_due(conn, due))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    ran = [r for r in results if r is not None]
    assert len(ran) == 1, results  # the other found it claimed and skipped it
    assert ran[0][1].startswith("wave ")
    assert "2 orders" in ran[0][1]
    assert _waves(hub_engine) == 1
    assert run_due(hub_engine, due) == []  # next run is an hour later
    with hub_engine.connect() as conn:
        row = conn.execute(text("SELECT schedule, released_by FROM wave")).one()
    assert tuple(row) == ("hourly-sf", "schedule hourly-sf")


def test_the_demo_hub_has_orders_ready_to_wave(hub: TestClient, hub_engine: Engine) -> None:
    with hub_engine.begin() as conn:
        numbers = load_demo_orders(conn)
        load_demo_orders(conn)  # served again: the same orders, nothing new
        backordered = conn.execute(text("SELECT SUM(backordered) FROM order_line")).scalar()
    assert len(numbers) == 6
    assert backordered == 0  # every line has its stock
    first = _release(hub, hub_engine, carrier="SF", cluster_totes=4).json()
    assert sorted(first["orders"]) == [
        "SO-2026-0101",
        "SO-2026-0102",
        "SO-2026-0104",
        "SO-2026-0105",
    ]
    assert len(first["tasks"]) == 1  # one cart of four totes
    assert _release(hub, hub_engine).json()["orders"] == ["SO-2026-0103", "SO-2026-0106"]
