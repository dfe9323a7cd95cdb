"""Warehouses are isolated by construction: a device, a supervisor or an import of warehouse W2
reaches W2's rows only, whatever codes it names; DEMO is left exactly as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.hub.wire_helpers import delta, device_headers, new_stream, pull_all, push, wire_op
from wms.cli import app
from wms.hub.master import add_warehouse
from wms.hub.supervision.supervisors import new_supervisor

runner = CliRunner()
SKU, BIN = "SKU-01401", "A-01-03-A-1"  # 25 units in DEMO's bin
STARTED = "2026-11-23T09:00:00+00:00"


@pytest.fixture
def w2(hub_engine: Engine) -> str:
    """A second warehouse at the hub, with no bins yet."""
    with hub_engine.begin() as conn:
        add_warehouse(conn, "W2", "Second warehouse")
    return "W2"


def _stock(engine: Engine) -> dict[tuple[str, ...], int]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT warehouse, sku, location, lot, container, status, qty FROM on_hand")
        )
        return {tuple(r[:6]): int(r.qty) for r in rows}


def _demo(engine: Engine) -> dict[str, Any]:
    """Everything DEMO owns, to compare before and after."""
    with engine.connect() as conn:
        return {
            table: sorted(
                json.dumps(dict(r._mapping), default=str, sort_keys=True)
                for r in conn.execute(text(f"SELECT * FROM {table} WHERE warehouse = 'DEMO'"))
            )
            for table in ("on_hand", "ledger", "location", "document", "operator", "hub_exception")
        }


def _count(location: str, qty: int) -> dict[str, Any]:
    return {
        "task": "CT-1",
        "location": location,
        "started_at": STARTED,
        "outcome": "accepted",
        "counted": [{"sku": SKU, "lot": None, "qty": qty}],
    }


def _import(kind: str, path: Path, env: dict[str, str], warehouse: str) -> Any:
    return runner.invoke(app, ["hub", "import", kind, str(path), "--warehouse", warehouse], env=env)


def test_a_count_of_another_warehouses_bin_is_rejected_and_cannot_be_written_off(
    hub: TestClient, hub_engine: Engine, w2: str
) -> None:
    before = _demo(hub_engine)
    headers, stream = device_headers(hub, hub_engine, w2), new_stream()
    reply = push(hub, headers, wire_op(stream, 1, "count", _count(BIN, 0)))
    assert reply.status_code == 200, reply.text
    [rejected] = reply.json()["rejected"]
    assert rejected["reason"] == f"location {BIN} belongs to another warehouse"
    with hub_engine.begin() as conn:
        token = new_supervisor(conn, "wong", w2)
        [exception] = conn.scalars(text("SELECT id FROM hub_exception WHERE warehouse = 'W2'"))
    write_off = hub.post(
        f"/v1/supervisor/exceptions/{exception}/resolve",
        json={"action": "write_off", "why": "gone"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (write_off.status_code, write_off.json()["code"]) == (409, "cannot_resolve")
    assert _demo(hub_engine) == before
    assert _stock(hub_engine)[("DEMO", SKU, BIN, "", "", "available")] == 25


@pytest.mark.parametrize(
    ("op_type", "payload", "deltas"),
    [
        pytest.param(
            "short_pick",
            {"task": "PT-0001", "line": 1, "sku": SKU, "location": BIN, "short": 25},
            [],
            id="payload-only short pick",
        ),
        pytest.param(
            "adjust",
            {"sku": SKU, "units": -25, "location": "W2-BIN"},
            [delta(SKU, BIN, -25)],
            id="delta-only adjust",
        ),
        pytest.param(
            "move",
            {"sku": SKU, "units": 5, "from": BIN, "to": "W2-BIN"},
            [delta(SKU, "W2-BIN", 5)],
            id="payload source of a move",
        ),
    ],
)
def test_an_op_naming_another_warehouses_bin_anywhere_is_rejected(
    *,
    hub: TestClient,
    hub_engine: Engine,
    w2: str,
    op_type: str,
    payload: dict[str, Any],
    deltas: list[dict[str, Any]],
) -> None:
    before = _demo(hub_engine)
    headers, stream = device_headers(hub, hub_engine, w2), new_stream()
    reply = push(hub, headers, wire_op(stream, 1, op_type, payload, deltas))
    assert reply.json()["rejected"][0]["reason"] == f"location {BIN} belongs to another warehouse"
    assert reply.json()["acks"] == [{"stream": stream, "last_seq": 1}]
    assert _demo(hub_engine) == before
    assert [k for k in _stock(hub_engine) if k[0] == "W2"] == []


def test_the_same_bin_code_in_two_warehouses_holds_two_stocks(
    hub: TestClient, hub_engine: Engine, hub_db: str, w2: str, tmp_path: Path
) -> None:
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    bins = tmp_path / "locations.json"
    bins.write_text(
        json.dumps([{"code": BIN, "zone": "Z", "aisle": "09", "type": "storage"}]), "utf-8"
    )
    before = _demo(hub_engine)
    result = _import("locations", bins, env, w2)
    assert result.exit_code == 0, result.output
    headers, stream = device_headers(hub, hub_engine, w2), new_stream()
    reply = push(hub, headers, wire_op(stream, 1, "count", _count(BIN, 5), [delta(SKU, BIN, 5)]))
    assert reply.json()["rejected"] == []
    stock = _stock(hub_engine)
    assert stock[("W2", SKU, BIN, "", "", "available")] == 5
    with hub_engine.begin() as conn:
        token = new_supervisor(conn, "wong", w2)
        [variance] = conn.scalars(
            text("SELECT id FROM hub_exception WHERE kind = 'count_variance' AND warehouse = 'W2'")
        )
    write_off = hub.post(
        f"/v1/supervisor/exceptions/{variance}/resolve",
        json={"action": "write_off", "why": "counted wrong bin"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert write_off.status_code == 200, write_off.text
    assert ("W2", SKU, BIN, "", "", "available") not in _stock(hub_engine)
    assert _demo(hub_engine) == before  # DEMO's bin of that code: same row, same 25 units


def test_an_import_for_another_warehouse_never_takes_over_this_ones_codes(
    hub: TestClient, hub_engine: Engine, hub_db: str, w2: str, tmp_path: Path
) -> None:
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    before = _demo(hub_engine)
    bins = tmp_path / "locations.json"
    bins.write_text(
        json.dumps([{"code": "DOCK-01", "zone": "D", "aisle": "01", "type": "dock"}]), "utf-8"
    )
    receipts = tmp_path / "receipts.csv"
    receipts.write_text(
        "number,supplier,dock,sku,qty\nPO-2026-0001,Other supplier,DOCK-01,SKU-01401,7\n",
        "utf-8",
    )
    operators = tmp_path / "operators.csv"
    operators.write_text("code,badge,name,pin\n1001,OP0001,Someone else,4321\n", "utf-8")
    for kind, path in (("locations", bins), ("receipts", receipts), ("operators", operators)):
        result = _import(kind, path, env, w2)
        assert result.exit_code == 0, result.output
    assert _demo(hub_engine) == before
    with hub_engine.connect() as conn:
        body = conn.execute(
            text("SELECT body FROM document WHERE warehouse = 'W2' AND number = 'PO-2026-0001'")
        ).scalar_one()
    assert body["supplier"] == "Other supplier"
    demo_device = device_headers(hub, hub_engine, "DEMO")
    changes = pull_all(hub, demo_device)
    receipts_seen = [c["body"] for c in changes if c["key"] == "PO-2026-0001"]
    assert [b["supplier"] for b in receipts_seen] == ["Nordic Dairy AB"]
    names = {c["body"]["name"] for c in changes if c["kind"] == "operator"}
    assert "Someone else" not in names


def test_a_device_receives_only_its_own_warehouses_operators(
    hub: TestClient, hub_engine: Engine, hub_db: str, w2: str, tmp_path: Path
) -> None:
    operators = tmp_path / "operators.csv"
    operators.write_text("code,badge,name,pin\nHK01,HKB01,Wong,4321\n", "utf-8")
    result = _import("operators", operators, {"WMS_HUB_DATABASE_URL": hub_db}, w2)
    assert result.exit_code == 0, result.output
    pulled = {}
    for warehouse in ("DEMO", w2):
        changes = pull_all(hub, device_headers(hub, hub_engine, warehouse))
        pulled[warehouse] = {c["key"] for c in changes if c["kind"] == "operator"}
    assert pulled[w2] == {"HK01"}
    assert "HK01" not in pulled["DEMO"]
    assert pulled["DEMO"] == {"1001", "1002", "9001"}


def test_a_mistyped_warehouse_is_refused_and_the_way_to_create_one_is_named(
    hub_db: str, hub_engine: Engine, tmp_path: Path
) -> None:
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    bins = tmp_path / "locations.json"
    bins.write_text(
        json.dumps([{"code": "X-01", "zone": "X", "aisle": "01", "type": "storage"}]), "utf-8"
    )
    for args in (["import", "locations", str(bins)], ["enroll"]):
        result = runner.invoke(app, ["hub", *args, "--warehouse", "DEM0"], env=env)
        assert result.exit_code == 1
        assert "No warehouse DEM0 at this hub" in result.output
        assert "wms hub warehouse add DEM0 --name NAME" in result.output
    products = runner.invoke(
        app, ["hub", "import", "products", str(bins), "--warehouse", "DEMO"], env=env
    )
    assert products.exit_code == 2
    assert "shared by every warehouse" in products.output
    with hub_engine.connect() as conn:
        assert list(conn.scalars(text("SELECT code FROM warehouse"))) == ["DEMO"]
        assert conn.execute(text("SELECT count(*) FROM location WHERE code = 'X-01'")).scalar() == 0


def test_a_warehouse_is_created_explicitly_and_once(hub_db: str) -> None:
    env = {"WMS_HUB_DATABASE_URL": hub_db}

    def hub(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["hub", "warehouse", *args], env=env)
        return result.exit_code, result.output

    assert hub("add", "HKG", "--name", "Hong Kong DC") == (0, "Warehouse HKG created\n")
    code, output = hub("add", "HKG", "--name", "Again")
    assert (code, "Warehouse HKG exists already") == (1, output.strip())
    code, output = hub("add", "hk g", "--name", "Spaces")
    assert code == 1
    assert "Not a warehouse code" in output
    assert hub("list") == (0, "DEMO  Qianhai cross-border warehouse\nHKG  Hong Kong DC\n")
