"""Customs clearance at the hub reaches the terminal: a domestic pick takes cleared stock,
bonded stock stays for re-export only, and the ledger keeps the declaration."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.hub.conftest import Terminal
from tests.hub.hub_queries import hub_stock, terminal_stock
from tests.hub.supervisor_helpers import decisions, place_stock, supervisor_headers
from tests.store_helpers import on_cart, qty_at
from wms.domain.errors import StockUnavailable
from wms.hub.documents import save
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.picking import Pick, pick

DECL = "DECL-2026-778812"
BIN = "BND-01-01-A-1"
SKU = "SKU-00002"  # 30 units of lot L2610 on customs hold in the demo, under ASN-2026-0002


def _domestic_order(engine: Engine) -> None:
    with engine.begin() as conn:
        order = {"number": "SO-2026-0900", "kind": "domestic", "customer": "Tmall Global"}
        save(conn, "DEMO", "order", {**order, "lines": [{"line_no": 1, "sku": SKU, "qty": 5}]})
        line = {"seq": 1, "order_line": 1, "sku": SKU, "location": BIN, "qty": 5}
        save(
            conn,
            "DEMO",
            "pick_task",
            {"number": "PT-0900", "order_number": "SO-2026-0900", "lines": [line]},
        )


def _clear(hub: TestClient, headers: dict[str, str], **body: object) -> dict[str, object]:
    sent = {"warehouse": "DEMO", "declaration": DECL, "why": "duties paid", **body}
    reply = hub.post("/v1/supervisor/clearances", json=sent, headers=headers)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def test_partial_clearance_lets_a_domestic_pick_take_only_the_cleared_units(
    make_terminal: Callable[[], Terminal], hub: TestClient, hub_engine: Engine
) -> None:
    terminal = make_terminal()
    _domestic_order(hub_engine)
    terminal.client().sync()
    alice = logon_badge(terminal.ctx, "OP0001")
    on_cart(terminal.ctx, "PT-0900", "CART-01", "TOTE0001")
    on_cart(terminal.ctx, "PT-0002", "CART-02", "TOTE0002")
    with pytest.raises(StockUnavailable):  # still bonded: not for a domestic order
        pick(terminal.ctx, alice, Pick("PT-0900", 1, BIN, ean13(2), 5, lot="L2610"))
    pick(terminal.ctx, alice, Pick("PT-0002", 1, BIN, ean13(2), 2, lot="L2610"))  # re-export
    cleared = _clear(hub, supervisor_headers(hub_engine), asn="ASN-2026-0002", qty=20)
    assert cleared["units"] == 20
    terminal.client().sync()
    assert qty_at(terminal.ctx, BIN, SKU, "L2610", "available") == 20
    assert qty_at(terminal.ctx, BIN, SKU, "L2610", "customs_hold") == 8
    pick(terminal.ctx, alice, Pick("PT-0900", 1, BIN, ean13(2), 5, lot="L2610"))
    terminal.client().sync()
    assert qty_at(terminal.ctx, BIN, SKU, "L2610", "available") == 15
    assert terminal_stock(terminal.ctx.engine) == hub_stock(hub_engine)
    assert decisions(hub_engine) == [("clear", "maria", "duties paid")]
    with hub_engine.connect() as conn:
        refs = conn.execute(
            text("SELECT status, delta FROM ledger WHERE reference = :d ORDER BY delta"),
            {"d": DECL},
        ).all()
    assert [tuple(r) for r in refs] == [("customs_hold", -20), ("available", 20)]


@pytest.mark.parametrize(
    "narrowing", [{}, {"lot": "L2610"}, {"sku": SKU, "qty": 30}], ids=["declaration", "lot", "sku"]
)
def test_clearance_by_declaration_or_lot_releases_the_bonded_lot(
    hub: TestClient, hub_engine: Engine, narrowing: dict[str, object]
) -> None:
    _clear(hub, supervisor_headers(hub_engine), **narrowing)
    stock = hub_stock(hub_engine)
    assert stock[(SKU, BIN, "L2610", "", "available")] == 30
    assert (SKU, BIN, "L2610", "", "customs_hold") not in stock


def test_clearance_needs_a_supervisor_and_matching_goods(
    hub: TestClient, hub_engine: Engine
) -> None:
    body = {"warehouse": "DEMO", "declaration": DECL, "why": "x", "lot": "NO-SUCH-LOT"}
    assert hub.post("/v1/supervisor/clearances", json=body).status_code == 401
    bad = {"Authorization": "Bearer sv-forged"}
    assert hub.post("/v1/supervisor/clearances", json=body, headers=bad).status_code == 401
    reply = hub.post("/v1/supervisor/clearances", json=body, headers=supervisor_headers(hub_engine))
    assert reply.json()["code"] == "nothing_to_clear"
    wrong = {**body, "lot": "", "asn": "ASN-2026-0002", "declaration": "DECL-OTHER"}
    reply = hub.post(
        "/v1/supervisor/clearances", json=wrong, headers=supervisor_headers(hub_engine)
    )
    assert reply.json()["detail"] == "ASN-2026-0002 is declared under DECL-2026-778812"
    assert decisions(hub_engine) == []  # a refused decision leaves no trace
    assert "/v1/supervisor/clearances" in hub.get("/openapi.json").json()["paths"]


def test_clearance_by_container_releases_only_that_pallet(
    hub: TestClient, hub_engine: Engine
) -> None:
    pallet = {"container": "LPN000123", "status": "customs_hold"}
    place_stock(hub_engine, SKU, "BND-01-01-A-2", "L2611", qty=12, expiry="2028-01-31", **pallet)
    _clear(hub, supervisor_headers(hub_engine), container="LPN000123")
    stock = hub_stock(hub_engine)
    assert stock[(SKU, "BND-01-01-A-2", "L2611", "LPN000123", "available")] == 12
    assert stock[(SKU, BIN, "L2610", "", "customs_hold")] == 30
