"""A supervisor added for one warehouse decides for that warehouse only; one added without a
warehouse (head office) decides for all. Refused decisions leave no trace."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.hub.supervisor_helpers import decisions
from wms.cli import app
from wms.hub.supervision.supervisors import new_supervisor

DECL = "DECL-2026-778812"  # the demo's bonded ASN-2026-0002 at DEMO
CLEARANCE = {"warehouse": "DEMO", "declaration": DECL, "why": "duties paid"}


def _headers(engine: Engine, name: str, warehouse: str | None) -> dict[str, str]:
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO warehouse VALUES ('HKG', 'Hong Kong') ON CONFLICT DO NOTHING")
        )
        return {"Authorization": f"Bearer {new_supervisor(conn, name, warehouse)}"}


def test_a_supervisor_of_another_warehouse_is_refused_and_nothing_changes(
    hub: TestClient, hub_engine: Engine
) -> None:
    hk = _headers(hub_engine, "wong", "HKG")
    reply = hub.post("/v1/supervisor/clearances", json=CLEARANCE, headers=hk)
    assert reply.status_code == 403
    assert reply.json() == {
        "detail": "wong supervises HKG only, not DEMO",
        "code": "not_your_warehouse",
    }
    assert decisions(hub_engine) == []
    listing = hub.get("/v1/supervisor/exceptions", params={"warehouse": "DEMO"}, headers=hk)
    assert listing.json()["code"] == "not_your_warehouse"
    assert hub.get("/v1/supervisor/exceptions", headers=hk).json() == []  # theirs: none yet


def test_a_supervisor_of_the_warehouse_and_head_office_may_decide(
    hub: TestClient, hub_engine: Engine
) -> None:
    local = _headers(hub_engine, "maria", "DEMO")
    reply = hub.post("/v1/supervisor/clearances", json={**CLEARANCE, "qty": 10}, headers=local)
    assert reply.status_code == 200, reply.text
    office = _headers(hub_engine, "head-office", None)
    reply = hub.post("/v1/supervisor/clearances", json=CLEARANCE, headers=office)
    assert reply.status_code == 200, reply.text
    assert [d[1] for d in decisions(hub_engine)] == ["maria", "head-office"]


def test_the_command_line_keeps_a_supervisor_to_their_warehouse(
    hub_engine: Engine, hub_db: str
) -> None:
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    runner = CliRunner()
    unknown = runner.invoke(app, ["hub", "supervisor", "add", "li", "--warehouse", "NOPE"], env=env)
    assert unknown.exit_code == 1
    assert "no warehouse NOPE at this hub" in unknown.output
    _headers(hub_engine, "wong", "HKG")
    refused = runner.invoke(
        app,
        [
            "hub",
            "clear",
            "--declaration",
            DECL,
            "--warehouse",
            "DEMO",
            "--by",
            "wong",
            "--why",
            "x",
        ],
        env=env,
    )
    assert refused.exit_code == 1
    assert "wong supervises HKG only, not DEMO" in refused.output
    assert decisions(hub_engine) == []
