"""Imports check every line first, name the bad ones, and import all or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.hub.conftest import Terminal
from wms.cli import app
from wms.services.inquiry import inquire

runner = CliRunner()

PRODUCTS = """sku,name,tracking,shelf_life_days,barcodes
SKU-90001,Green tea 500 g,lot,365,4006381333931
SKU-90002,Teapot,none,,SUP-TEAPOT-1
"""


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_a_bad_line_is_named_and_nothing_is_imported(
    tmp_path: Path, hub_db: str, hub_engine: Engine
) -> None:
    bad = tmp_path / "products.csv"
    bad.write_text(PRODUCTS + "SKU-90003,Cup,sometimes,,4006381333932\n", encoding="utf-8")
    result = runner.invoke(
        app, ["hub", "import", "products", str(bad)], env={"WMS_HUB_DATABASE_URL": hub_db}
    )
    assert result.exit_code == 1
    assert "line 4: tracking" in result.output
    assert "line 4: barcodes" in result.output
    assert _count(hub_engine, "SELECT count(*) FROM product WHERE sku LIKE 'SKU-9%'") == 0


def test_imported_products_and_bins_reach_a_terminal(
    tmp_path: Path, hub_db: str, make_terminal: Callable[[], Terminal]
) -> None:
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    products = tmp_path / "products.csv"
    products.write_text(PRODUCTS, encoding="utf-8")
    locations = tmp_path / "locations.json"
    locations.write_text(
        json.dumps([{"code": "D-01-01-A-1", "zone": "D", "aisle": "01", "type": "storage"}]),
        encoding="utf-8",
    )
    for kind, path, extra in (
        ("products", products, []),
        ("locations", locations, ["--warehouse", "DEMO"]),
    ):
        result = runner.invoke(app, ["hub", "import", kind, str(path), *extra], env=env)
        assert result.exit_code == 0, result.output
    terminal = make_terminal()
    terminal.client().sync()
    assert inquire(terminal.ctx, "4006381333931").title.startswith("SKU-90001 Green tea")
    assert inquire(terminal.ctx, "D-01-01-A-1").kind == "location"


def test_receipts_group_lines_and_unknown_products_are_named(
    tmp_path: Path, hub_db: str, make_terminal: Callable[[], Terminal]
) -> None:
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    receipts = tmp_path / "receipts.csv"
    header = "number,supplier,dock,sku,qty\n"
    receipts.write_text(
        header + "PO-9,Maison Beaute,DOCK-02,SKU-00301,12\n"
        "PO-9,Maison Beaute,DOCK-02,SKU-99999,5\n",
        encoding="utf-8",
    )
    args = ["hub", "import", "receipts", str(receipts), "--warehouse", "DEMO"]
    refused = runner.invoke(app, args, env=env)
    assert refused.exit_code == 1
    assert "line 3: unknown product SKU-99999" in refused.output
    receipts.write_text(
        header + "PO-9,Maison Beaute,DOCK-02,SKU-00301,12\n"
        "PO-9,Maison Beaute,DOCK-02,SKU-00302,5\n",
        encoding="utf-8",
    )
    imported = runner.invoke(app, args, env=env)
    assert imported.exit_code == 0, imported.output
    terminal = make_terminal()
    terminal.client().sync()
    assert inquire(terminal.ctx, "PO-9").title == "Receipt PO-9 from Maison Beaute: open"
