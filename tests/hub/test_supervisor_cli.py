"""`wms hub supervisor add`, `wms hub clear` and `wms hub recall` against a hub database."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.hub.hub_queries import hub_stock
from tests.hub.supervisor_helpers import decisions
from wms.cli import app

runner = CliRunner()


def test_a_supervisor_clears_and_recalls_from_the_command_line(
    hub_db: str, hub_engine: Engine, hub: TestClient
) -> None:
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    added = runner.invoke(app, ["hub", "supervisor", "add", "maria"], env=env)
    assert added.exit_code == 0, added.output
    token = added.output.split("token ")[1].split()[0]
    assert hub.post(  # the printed token works on the API
        "/v1/supervisor/recalls",
        json={"warehouse": "DEMO", "sku": "SKU-00301", "lot": "C-OK1", "why": "lab result"},
        headers={"Authorization": f"Bearer {token}"},
    ).is_success
    common = ["--warehouse", "DEMO", "--by", "maria"]
    cleared = runner.invoke(
        app,
        [
            "hub",
            "clear",
            "--declaration",
            "DECL-2026-778812",
            "--lot",
            "L2610",
            "--qty",
            "12",
            *common,
            "--why",
            "duties paid",
        ],
        env=env,
    )
    assert cleared.exit_code == 0, cleared.output
    assert "Cleared 12 units under DECL-2026-778812" in cleared.output
    recalled = runner.invoke(
        app,
        ["hub", "recall", "--sku", "SKU-00001", "--lot", "L2602", *common, "--why", "complaint"],
        env=env,
    )
    assert recalled.exit_code == 0, recalled.output
    assert "Recalled 40 units" in recalled.output
    stock = hub_stock(hub_engine)
    assert stock[("SKU-00002", "BND-01-01-A-1", "L2610", "", "available")] == 12
    assert stock[("SKU-00001", "A-01-01-A-1", "L2602", "", "recalled")] == 40
    assert [d[0] for d in decisions(hub_engine)] == ["recall", "clear", "recall"]
    stranger = runner.invoke(
        app,
        [
            "hub",
            "recall",
            "--sku",
            "SKU-00001",
            "--lot",
            "L2601",
            "--warehouse",
            "DEMO",
            "--by",
            "mallory",
            "--why",
            "x",
        ],
        env=env,
    )
    assert stranger.exit_code == 1
    assert "No active supervisor mallory" in stranger.output
