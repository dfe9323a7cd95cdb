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


def test_adding_an_existing_supervisor_never_widens_them(hub: TestClient, hub_db: str) -> None:
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    runner = CliRunner()

    def hub_cli(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, ["hub", "supervisor", *args], env=env)
        return result.exit_code, result.output

    code, added = hub_cli("add", "li", "--warehouse", "DEMO")
    assert code == 0, added
    code, again = hub_cli("add", "li")  # no --warehouse: once, this made li head office
    assert code == 1
    assert "Supervisor li exists (for DEMO)" in again
    assert "wms hub supervisor revoke li" in again
    assert hub_cli("list") == (0, f"{'li':20}  {'DEMO':16}  active\n")
    old = {"Authorization": f"Bearer {added.split('token ')[1].split()[0]}"}
    code, renewed = hub_cli("token", "li")
    assert code == 0, renewed
    new = {"Authorization": f"Bearer {renewed.split('new token ')[1].split()[0]}"}
    assert hub.get("/v1/supervisor/exceptions", headers=old).status_code == 401
    assert hub.get("/v1/supervisor/exceptions", headers=new).status_code == 200
    assert (
        hub.get("/v1/supervisor/exceptions", params={"warehouse": "HKG"}, headers=new).json()[
            "code"
        ]
        == "not_your_warehouse"
    )


def test_a_revoked_supervisor_can_neither_call_nor_decide(
    hub: TestClient, hub_engine: Engine, hub_db: str
) -> None:
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    runner = CliRunner()
    headers = _headers(hub_engine, "maria", None)
    revoked = runner.invoke(app, ["hub", "supervisor", "revoke", "maria"], env=env)
    assert (revoked.exit_code, revoked.output) == (0, "Supervisor maria revoked\n")
    reply = hub.post("/v1/supervisor/clearances", json=CLEARANCE, headers=headers)
    assert (reply.status_code, reply.json()["code"]) == (403, "revoked")
    clear = ["hub", "clear", "--declaration", DECL, "--warehouse", "DEMO"]
    by_name = runner.invoke(app, [*clear, "--by", "maria", "--why", "x"], env=env)
    assert by_name.exit_code == 1
    assert "No active supervisor maria" in by_name.output
    twice = runner.invoke(app, ["hub", "supervisor", "revoke", "maria"], env=env)
    assert (twice.exit_code, twice.output) == (1, "No active supervisor maria\n")
    assert decisions(hub_engine) == []
