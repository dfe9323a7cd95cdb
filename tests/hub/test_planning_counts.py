"""Cycle count plans: which bins each rule picks, how many a day, the coverage a plan shows, and
count tasks pulled and counted on a terminal as always."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.hub.conftest import Terminal
from tests.hub.planning_helpers import RESERVE, RESERVE2, SHIRT, put_stock
from tests.hub.supervisor_helpers import supervisor_headers
from tests.store_helpers import on_cart
from wms.hub.planning.counts import PlanIn, PlanRule, UnknownPlan, coverage, run_plan, save_plan
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.counting import record_count, start_count
from wms.services.moving import Move, move
from wms.services.picking import Pick, pick
from wms.services.views import open_count_tasks

DAY = date(2026, 11, 24)  # the day after the demo's floor work


def _plan(engine: Engine, name: str, rule: PlanRule, per_day: int, **kw: object) -> None:
    with engine.begin() as conn:
        save_plan(conn, "DEMO", PlanIn(name=name, rule=rule, bins_per_day=per_day, **kw), "maria")  # type: ignore[arg-type]


def _run(engine: Engine, name: str) -> list[str]:
    with engine.begin() as conn:
        numbers = run_plan(conn, "DEMO", name, DAY)
        return [
            conn.exec_driver_sql(
                "SELECT body->>'location' FROM document WHERE kind = 'count_task' AND number = %s",
                (n,),
            ).scalar_one()
            for n in numbers
        ]


def test_a_zone_plan_counts_its_bins_at_its_pace(
    hub: TestClient, hub_engine: Engine, make_terminal: Callable[[], Terminal]
) -> None:
    headers = supervisor_headers(hub_engine)
    body = {"warehouse": "DEMO", "name": "zone-c", "rule": "zone", "zone": "C", "bins_per_day": 40}
    made = hub.put("/v1/count-plans", json=body, headers=headers).json()
    # The demo's CT-0003 already counts C-01-01-A-1: one bin of the zone is out being counted.
    figures = ("scope", "counted", "planned", "due", "days_to_cover")
    assert tuple(made[f] for f in figures) == (120, 0, 1, 119, 3)
    first = hub.post("/v1/count-plans/zone-c/run?warehouse=DEMO", headers=headers).json()["tasks"]
    second = hub.post("/v1/count-plans/zone-c/run?warehouse=DEMO", headers=headers).json()["tasks"]
    assert len(first) == len(second) == 40
    assert not set(first) & set(second)  # bins with a count open are not planned again
    terminal = make_terminal()
    terminal.client().sync()
    assert {t.number for t in open_count_tasks(terminal.ctx)} >= set(first)
    # The count is done on the floor as always; it closes the task and covers the bin.
    with hub_engine.connect() as conn:
        task, where = conn.exec_driver_sql(
            "SELECT number, body->>'location' FROM document d WHERE kind = 'count_task'"
            " AND number = ANY(%s) AND NOT EXISTS (SELECT 1 FROM on_hand o"
            " WHERE o.location = d.body->>'location') ORDER BY number LIMIT 1",
            (first,),
        ).one()
    sam = logon_badge(terminal.ctx, "OP0009")
    start_count(terminal.ctx, sam, task, where)
    record_count(terminal.ctx, sam, task, [], empty_confirmed=True)
    terminal.client().sync()
    listed = hub.get("/v1/count-plans?warehouse=DEMO", headers=headers).json()
    assert [(p["plan"], p["counted"], p["percent"]) for p in listed] == [("zone-c", 1, 0.8)]
    with hub_engine.connect() as conn:
        status = conn.exec_driver_sql(
            "SELECT status FROM document WHERE kind = 'count_task' AND number = %s", (task,)
        ).scalar_one()
    assert status == "done"
    missing = hub.post("/v1/count-plans/nope/run?warehouse=DEMO", headers=headers)
    assert missing.status_code == 404


def test_abc_touched_and_zero_plans_follow_the_floor(
    hub_engine: Engine, make_terminal: Callable[[], Terminal]
) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 5)
    terminal = make_terminal()
    terminal.client().sync()
    alice = logon_badge(terminal.ctx, "OP0001")
    # The demo's order: three products picked once each, now the busiest (class A).
    on_cart(terminal.ctx, "PT-0001", "CART-01", "TOTE0001")
    pick(terminal.ctx, alice, Pick("PT-0001", 1, "A-01-01-A-1", ean13(1), 4, lot="L2601"))
    pick(terminal.ctx, alice, Pick("PT-0001", 2, "A-01-02-A-1", ean13(301), 2, lot="C-OK1"))
    pick(terminal.ctx, alice, Pick("PT-0001", 3, "A-01-03-A-1", ean13(1401), 3))
    move(terminal.ctx, alice, Move(ean13(1402), 5, RESERVE, RESERVE2))  # empties RESERVE
    terminal.client().sync()

    _plan(hub_engine, "abc", PlanRule.ABC, 2)
    # A-01-01 and A-01-03 have the demo's count tasks open: the A bin left goes first.
    assert _run(hub_engine, "abc")[0] == "A-01-02-A-1"
    _plan(hub_engine, "moved", PlanRule.TOUCHED, 500, period_days=5)
    touched = _run(hub_engine, "moved")
    assert RESERVE2 in touched
    assert RESERVE not in touched  # empty now: the zero plan confirms it
    _plan(hub_engine, "empty", PlanRule.ZERO, 10, period_days=5)
    assert _run(hub_engine, "empty") == [RESERVE]
    with hub_engine.connect() as conn:
        planned = coverage(conn, "DEMO", "empty", DAY)
    assert (planned.scope, planned.counted, planned.planned, planned.due) == (1, 0, 1, 0)
    with hub_engine.connect() as conn, pytest.raises(UnknownPlan):
        coverage(conn, "DEMO", "nope", DAY)


def test_a_plan_says_what_is_wrong_with_it() -> None:
    with pytest.raises(ValueError, match="a zone plan names its zone"):
        PlanIn(name="z", rule=PlanRule.ZONE, bins_per_day=5)
    with pytest.raises(ValueError, match="only an abc plan"):
        PlanIn(name="z", rule=PlanRule.ZERO, bins_per_day=5, every={"A": 1, "B": 2, "C": 3})
    with pytest.raises(ValueError, match="A, B and C"):
        PlanIn(name="z", rule=PlanRule.ABC, bins_per_day=5, every={"A": 1})
