"""Order intake over HTTP: orders are taken whole, idempotently, from channels kept to their
warehouses; bad orders are refused with what to fix, and nothing is written."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.hub.planning_helpers import (
    BONDED,
    CONSIGNEE,
    RESERVE,
    SCARF,
    SHIRT,
    SOCKS,
    channel_headers,
    order_body,
    put_stock,
    reservations,
)
from tests.hub.supervisor_helpers import supervisor_headers
from wms.hub.planning.channels import revoke_channel


def _orders(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM sales_order")).scalar_one())


def test_an_order_is_taken_and_its_stock_reserved(hub: TestClient, hub_engine: Engine) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    reply = hub.post(
        "/v1/orders", json=order_body("SO-1", (SHIRT, 3)), headers=channel_headers(hub_engine)
    )
    assert reply.status_code == 201, reply.text
    body = reply.json()
    assert body["status"] == "open"
    assert body["created"] is True
    assert body["lines"] == [
        {
            "line_no": 1,
            "sku": SHIRT,
            "qty": 3,
            "reserved": 3,
            "picked": 0,
            "backordered": 0,
            "cancelled": 0,
        }
    ]
    assert reservations(hub_engine, "SO-1") == [(SHIRT, RESERVE, "", 3)]


def test_posting_the_same_order_twice_makes_one_order(hub: TestClient, hub_engine: Engine) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    headers = {**channel_headers(hub_engine), "Idempotency-Key": "k-1"}
    first = hub.post("/v1/orders", json=order_body("SO-1", (SHIRT, 3)), headers=headers)
    again = hub.post("/v1/orders", json=order_body("SO-1", (SHIRT, 3)), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["created"] is False
    assert again.json()["lines"] == first.json()["lines"]
    assert reservations(hub_engine, "SO-1") == [(SHIRT, RESERVE, "", 3)]  # reserved once
    del headers["Idempotency-Key"]  # the natural key alone is enough too
    assert (
        hub.post("/v1/orders", json=order_body("SO-1", (SHIRT, 3)), headers=headers).status_code
        == 200
    )


def test_the_same_number_with_other_content_is_refused_with_what_differs(
    hub: TestClient, hub_engine: Engine
) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    headers = channel_headers(hub_engine)
    hub.post("/v1/orders", json=order_body("SO-1", (SHIRT, 3)), headers=headers)
    other = order_body(
        "SO-1", (SHIRT, 4), carrier="YTO", consignee={**CONSIGNEE, "phone": "+86 139 0000 0000"}
    )
    reply = hub.post("/v1/orders", json=other, headers=headers)
    assert reply.status_code == 409
    body = reply.json()
    assert body["code"] == "order_conflict"
    assert body["differences"] == [
        "carrier: 'SF' before, now 'YTO'",
        "consignee.phone differs",
        "line 1 qty: 3 before, now 4",
    ]
    assert "139" not in reply.text  # a consignee's data is named, never shown
    assert reservations(hub_engine, "SO-1") == [(SHIRT, RESERVE, "", 3)]


def test_an_idempotency_key_reused_for_another_order_is_refused(
    hub: TestClient, hub_engine: Engine
) -> None:
    headers = {**channel_headers(hub_engine), "Idempotency-Key": "k-1"}
    hub.post("/v1/orders", json=order_body("SO-1", (SHIRT, 1)), headers=headers)
    reply = hub.post("/v1/orders", json=order_body("SO-2", (SHIRT, 1)), headers=headers)
    assert reply.status_code == 409
    assert reply.json()["code"] == "idempotency_key_reused"
    assert "SO-1" in reply.json()["detail"]
    assert _orders(hub_engine) == 1


@pytest.mark.parametrize(
    ("body", "code", "says"),
    [
        (
            order_body("SO-9", (SHIRT, 1), ("NO-SUCH-SKU", 2)),
            "unknown_product",
            "line 2: unknown product NO-SUCH-SKU",
        ),
        # Bonded stock only: a domestic (general trade) order cannot take it until cleared.
        (
            order_body("SO-9", ("SKU-00002", 1)),
            "trade_mode",
            "only as customs_hold, which a domestic order",
        ),
        # Apparel is not under customs control: it cannot be sold as cross-border 1210 retail.
        (
            order_body("SO-9", (SHIRT, 1), trade_mode="bonded_retail"),
            "trade_mode",
            "not under customs control",
        ),
    ],
)
def test_bad_orders_are_refused_and_write_nothing(
    hub: TestClient, hub_engine: Engine, body: dict[str, object], code: str, says: str
) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    reply = hub.post("/v1/orders", json=body, headers=channel_headers(hub_engine))
    assert reply.status_code == 422
    assert reply.json()["code"] == code
    assert says in reply.json()["detail"]
    assert _orders(hub_engine) == 0
    assert reservations(hub_engine, "SO-9") == []


def test_a_zero_quantity_is_refused_with_where_it_is(hub: TestClient, hub_engine: Engine) -> None:
    reply = hub.post(
        "/v1/orders", json=order_body("SO-9", (SHIRT, 0)), headers=channel_headers(hub_engine)
    )
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["loc"] == ["body", "lines", 0, "qty"]
    assert _orders(hub_engine) == 0


def test_a_channel_is_kept_to_its_warehouses(hub: TestClient, hub_engine: Engine) -> None:
    with hub_engine.begin() as conn:
        conn.execute(text("INSERT INTO warehouse (code, name) VALUES ('WH2', 'Ningbo')"))
    headers = channel_headers(hub_engine, "jd", "WH2")
    reply = hub.post("/v1/orders", json=order_body("SO-1", (SHIRT, 1)), headers=headers)
    assert reply.status_code == 403
    assert reply.json()["code"] == "not_your_warehouse"
    assert "jd serves WH2 only, not DEMO" in reply.json()["detail"]
    assert hub.get("/v1/available-to-sell?warehouse=DEMO", headers=headers).status_code == 403
    assert _orders(hub_engine) == 0


def test_only_known_channels_and_supervisors_may_post(hub: TestClient, hub_engine: Engine) -> None:
    body = order_body("SO-1", (SHIRT, 1))
    assert hub.post("/v1/orders", json=body).status_code == 401
    assert (
        hub.post("/v1/orders", json=body, headers={"Authorization": "Bearer ch-nope"}).status_code
        == 401
    )
    headers = channel_headers(hub_engine)
    with hub_engine.begin() as conn:
        revoke_channel(conn, "tmall")
    assert hub.post("/v1/orders", json=body, headers=headers).json()["code"] == "revoked"
    # A supervisor may post an order (a back-office entry) for the warehouse they supervise.
    assert (
        hub.post("/v1/orders", json=body, headers=supervisor_headers(hub_engine)).status_code == 201
    )
    # A channel takes no supervisor decision.
    wave = hub.post(
        "/v1/waves", json={"warehouse": "DEMO"}, headers=channel_headers(hub_engine, "shop")
    )
    assert wave.status_code == 403
    assert wave.json()["code"] == "supervisors_only"


def test_short_stock_is_backordered_and_reported(hub: TestClient, hub_engine: Engine) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 2)
    reply = hub.post(
        "/v1/orders",
        json=order_body("SO-1", (SHIRT, 5), (SOCKS, 1)),
        headers=channel_headers(hub_engine),
    )
    assert reply.status_code == 201
    lines = {ln["sku"]: (ln["reserved"], ln["backordered"]) for ln in reply.json()["lines"]}
    assert lines == {SHIRT: (2, 3), SOCKS: (0, 1)}
    assert reply.json()["backordered"] == 4


def test_available_to_sell_is_on_hand_less_reserved_and_held(
    hub: TestClient, hub_engine: Engine
) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    put_stock(hub_engine, SHIRT, "QA-01", 4, status="quarantine")
    headers = channel_headers(hub_engine)
    hub.post("/v1/orders", json=order_body("SO-1", (SHIRT, 3)), headers=headers)
    reply = hub.get(f"/v1/available-to-sell?sku={SHIRT}&sku={SCARF}", headers=headers)
    assert reply.json() == [
        {
            "sku": SHIRT,
            "warehouse": "DEMO",
            "on_hand": 14,
            "reserved": 3,
            "held": 4,
            "available_to_sell": 7,
        },
        {
            "sku": SCARF,
            "warehouse": "DEMO",
            "on_hand": 0,
            "reserved": 0,
            "held": 0,
            "available_to_sell": 0,
        },
    ]
    assert (
        hub.get("/v1/available-to-sell?sku=NOPE", headers=headers).json()["code"]
        == "unknown_product"
    )


def test_a_bonded_retail_order_takes_bonded_stock(hub: TestClient, hub_engine: Engine) -> None:
    formula = "SKU-00003"
    put_stock(hub_engine, formula, "A-02-02-A-1", 10, lot="F-CLEAR", expiry="2028-06-01")
    put_stock(
        hub_engine, formula, BONDED, 10, lot="F-BOND", expiry="2028-06-01", status="customs_hold"
    )
    body = order_body("BR-1", (formula, 4), trade_mode="bonded_retail")
    assert hub.post("/v1/orders", json=body, headers=channel_headers(hub_engine)).status_code == 201
    assert reservations(hub_engine, "BR-1") == [(formula, BONDED, "F-BOND", 4)]


def test_the_consignee_is_kept_apart_and_never_logged_or_published(
    hub: TestClient, hub_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    headers = channel_headers(hub_engine)
    with caplog.at_level(logging.DEBUG):
        hub.post("/v1/orders", json=order_body("SO-1", (SHIRT, 1)), headers=headers)
        hub.post("/v1/orders", json=order_body("SO-1", (SHIRT, 2)), headers=headers)  # conflict
        shown = hub.get("/v1/orders/SO-1", headers=headers).text
    personal = (CONSIGNEE["name"], "138 0013", "Century Avenue")
    assert not any(p in caplog.text for p in personal)
    assert not any(p in shown for p in personal)
    with hub_engine.connect() as conn:
        feed = " ".join(str(b) for b in conn.scalars(text("SELECT body FROM change")))
        kept = conn.execute(text("SELECT name, phone FROM order_consignee")).one()
    assert not any(p in feed for p in personal)  # terminals never receive it
    assert tuple(kept) == (CONSIGNEE["name"], CONSIGNEE["phone"])
