"""Customs over HTTP and the command line, as a supervisor sets a warehouse up: its codes (the
bonded ledger opens once), products' customs data (unknown products refused, nothing written),
the example files the README names, and the reconciliation as JSON and CSV."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.hub.customs_helpers import CREAM, codes, product
from tests.hub.supervisor_helpers import supervisor_headers
from wms.cli import app

EXAMPLES = Path(__file__).parents[2] / "hardware" / "customs"


def test_a_supervisor_sets_up_customs_over_http(hub: TestClient, hub_engine: Engine) -> None:
    headers = supervisor_headers(hub_engine)
    body = codes().model_dump(mode="json")
    first = hub.put("/v1/customs/codes?warehouse=DEMO", json=body, headers=headers)
    assert first.json() == {"warehouse": "DEMO", "ledger_opened": True}
    again = hub.put("/v1/customs/codes?warehouse=DEMO", json=body, headers=headers)
    assert again.json()["ledger_opened"] is False
    assert hub.get("/v1/customs/codes?warehouse=DEMO", headers=headers).json()["ems_no"] == (
        "T5349W000001"
    )
    too_long = body | {"agent_code": "X" * 19}
    refused = hub.put("/v1/customs/codes?warehouse=DEMO", json=too_long, headers=headers)
    assert refused.status_code == 422
    goods = [product(CREAM, "ITEM-001").model_dump(mode="json")]
    assert hub.put("/v1/customs/products?warehouse=DEMO", json=goods, headers=headers).json() == {
        "saved": 1
    }
    unknown = [goods[0] | {"sku": "NO-SUCH"}]
    reply = hub.put("/v1/customs/products?warehouse=DEMO", json=unknown, headers=headers)
    assert (reply.status_code, reply.json()["code"]) == (422, "unknown_product")
    report = hub.get("/v1/customs/reconciliation?warehouse=DEMO", headers=headers).json()
    assert report["balanced"] is True
    as_csv = hub.get("/v1/customs/reconciliation?warehouse=DEMO&format=csv", headers=headers)
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text.startswith("row,warehouse,ems_no,day,item_record_no")
    with hub_engine.connect() as conn:
        feed = conn.execute(
            text("SELECT body FROM change WHERE kind = 'customs_item' AND key = :s"), {"s": CREAM}
        ).scalar_one()
    assert feed["item_record_no"] == "ITEM-001"


def test_the_readme_example_files_set_a_warehouse_up(hub_db: str, hub_engine: Engine) -> None:
    from wms.hub.supervision.supervisors import new_supervisor

    with hub_engine.begin() as conn:
        new_supervisor(conn, "maria")
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    runner = CliRunner()
    set_up = runner.invoke(
        app,
        ["hub", "customs", "codes", "--warehouse", "DEMO", str(EXAMPLES / "codes.example.json"),
         "--by", "maria"],
        env=env,
    )  # fmt: skip
    assert set_up.exit_code == 0, set_up.output
    assert "bonded ledger is opened" in set_up.output
    goods = runner.invoke(
        app,
        ["hub", "import", "customs_products", str(EXAMPLES / "goods.example.csv"),
         "--warehouse", "DEMO"],
        env=env,
    )  # fmt: skip
    assert goods.output.strip() == "Imported 3 customs_products"
    shown = runner.invoke(app, ["hub", "customs", "codes", "--warehouse", "DEMO"], env=env)
    assert '"ems_no": "T5349W000001"' in shown.output
    report = runner.invoke(app, ["hub", "customs", "reconcile", "--warehouse", "DEMO"], env=env)
    assert report.exit_code == 0, report.output
    assert "balances" in report.output
