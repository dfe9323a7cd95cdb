"""An order's timeline, end to end: posted by a channel, released, picked and short-picked by a
terminal, or cancelled after a pick; what GET /v1/orders/{n} tells matches the ops the hub
received, and the channel's webhooks follow the same story."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.hub.conftest import Terminal
from tests.hub.planning_helpers import (
    RESERVE,
    RESERVE2,
    SHIRT,
    SOCKS,
    channel_headers,
    order_body,
    put_stock,
)
from tests.hub.receiver import receiving
from tests.hub.supervisor_helpers import supervisor_headers
from tests.hub.webhook_helpers import POLICY, Clock, per_order, subscribe
from tests.store_helpers import on_cart
from wms.cli import app
from wms.hub.integration.delivery import deliver_due
from wms.hub.integration.timeline import Event, Order, timeline
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.picking import Pick, pick, short_pick

SHIRT_EAN = ean13(1402)


def _wave(hub: TestClient, engine: Engine, **rule: object) -> str:
    reply = hub.post(
        "/v1/waves", json={"warehouse": "DEMO", **rule}, headers=supervisor_headers(engine)
    )
    assert reply.status_code == 201, reply.text
    (task,) = reply.json()["tasks"]
    return str(task)


def _ops(engine: Engine, task: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT type, occurred_at, payload FROM received_op WHERE payload->>'task' = :t"
                " ORDER BY seq"
            ),
            {"t": task},
        )
        return [dict(r._mapping) for r in rows]


def _kinds(timeline: list[dict[str, Any]]) -> list[str]:
    return [e["event"] for e in timeline]


def test_the_timeline_tells_what_the_ops_did(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    put_stock(hub_engine, SOCKS, RESERVE2, 1)  # one of the two socks: the other is backordered
    headers = channel_headers(hub_engine)
    with receiving() as receiver:
        secret = subscribe(hub_engine, receiver.url)
        posted = hub.post(
            "/v1/orders", json=order_body("SO-TL", (SHIRT, 3), (SOCKS, 2)), headers=headers
        )
        assert posted.status_code == 201, posted.text

        before = hub.get("/v1/orders/SO-TL", headers=headers).json()
        assert _kinds(before["timeline"]) == ["received", "allocated", "backordered"]
        allocated = before["timeline"][1]["facts"]["lines"]
        assert [(a["sku"], a["location"], a["units"]) for a in allocated] == [
            (SHIRT, RESERVE, 3),
            (SOCKS, RESERVE2, 1),
        ]
        assert before["timeline"][2]["facts"] == {
            "lines": [{"line_no": 2, "sku": SOCKS, "units": 1}]
        }

        task = _wave(hub, hub_engine, allow_partial=True)
        terminal = make_terminal()
        terminal.client().sync()
        alice = logon_badge(terminal.ctx, "OP0001")
        on_cart(terminal.ctx, task, "CART-01", "TOTE0001")
        pick(terminal.ctx, alice, Pick(task, 1, RESERVE, SHIRT_EAN, 3))
        short_pick(terminal.ctx, alice, task, 2, "not in the bin")
        terminal.client().sync()

        after = hub.get("/v1/orders/SO-TL", headers=headers).json()
        deliver_due(hub_engine, POLICY, clock=Clock())

    assert after["status"] == "picked"
    events = {e["event"]: e for e in after["timeline"]}
    assert set(events) == {"received", "released", "picked", "short_picked", "backordered"}
    assert events["released"]["facts"] == {"wave": 1, "tasks": [task]}
    picked_op, short_op = _ops(hub_engine, task)
    assert events["picked"] == {
        "at": picked_op["occurred_at"].isoformat().replace("+00:00", "Z"),
        "event": "picked",
        "warehouse": "DEMO",
        "location": RESERVE,
        "facts": {"line_no": 1, "sku": SHIRT, "task": task, "task_line": 1, "units": 3, "lot": ""},
    }
    assert events["short_picked"]["location"] == RESERVE2
    assert events["short_picked"]["facts"]["units"] == short_op["payload"]["short"] == 1
    assert events["backordered"]["facts"] == {"lines": [{"line_no": 2, "sku": SOCKS, "units": 2}]}
    # The channel heard the same story, signed (both picks came in one push: straight to picked).
    assert per_order([r.verified(secret) for r in receiver.got]) == {
        "SO-TL": ["order.received", "order.released", "order.picked"]
    }


def test_a_cancelled_orders_timeline_says_why_and_what_comes_back(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    put_stock(hub_engine, SOCKS, RESERVE2, 5)
    headers = channel_headers(hub_engine)
    hub.post("/v1/orders", json=order_body("SO-TC", (SHIRT, 3), (SOCKS, 2)), headers=headers)
    task = _wave(hub, hub_engine)
    terminal = make_terminal()
    terminal.client().sync()
    on_cart(terminal.ctx, task, "CART-01", "TOTE0001")
    pick(terminal.ctx, logon_badge(terminal.ctx, "OP0001"), Pick(task, 1, RESERVE, SHIRT_EAN, 3))
    terminal.client().sync()
    hub.post("/v1/orders/SO-TC/cancel", json={"why": "customer changed mind"}, headers=headers)

    found = hub.get("/v1/orders/SO-TC", headers=headers).json()
    assert found["status"] == "cancelled"
    events = {e["event"]: e for e in found["timeline"]}
    assert set(events) == {"received", "released", "picked", "cancelled", "put_back"}
    assert events["cancelled"]["facts"] == {"why": "customer changed mind"}
    put_back = events["put_back"]
    assert put_back["location"] == RESERVE
    assert {k: put_back["facts"][k] for k in ("sku", "units", "state")} == {
        "sku": SHIRT,
        "units": 3,
        "state": "open",
    }

    # Another channel's order is not there for this one; the CLI shows the same timeline.
    other = channel_headers(hub_engine, "jd")
    assert hub.get("/v1/orders/SO-TC", headers=other).status_code == 404


def test_the_cli_shows_the_timeline(hub_db: str, hub: TestClient, hub_engine: Engine) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    hub.post(
        "/v1/orders", json=order_body("SO-CLI", (SHIRT, 2)), headers=channel_headers(hub_engine)
    )
    shown = CliRunner().invoke(
        app,
        ["hub", "orders", "show", "SO-CLI", "--warehouse", "DEMO"],
        env={"WMS_HUB_DATABASE_URL": hub_db},
    )
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert any(" received " in ln and f"sku {SHIRT} qty 2" in ln for ln in lines)
    assert any(" allocated " in ln and RESERVE in ln for ln in lines)


def test_events_of_one_instant_are_told_in_the_order_things_happen() -> None:
    at = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    order = Order("DEMO", "SO-1", "open", "tmall", at, at, None, None)

    def source(_conn: object, o: Order) -> list[Event]:
        return [
            Event(at, "backordered", o.warehouse),
            Event(at, "allocated", o.warehouse),
            Event(at.replace(hour=8), "cancelled", o.warehouse),
            Event(at, "received", o.warehouse),
        ]

    kinds = [e.kind for e in timeline(None, order, [source])]  # type: ignore[arg-type]
    assert kinds == ["cancelled", "received", "allocated", "backordered"]
