"""Imports check every line first, name the bad ones, and import all or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.hub.conftest import Terminal
from wms.cli import app
from wms.services.inquiry import inquire

runner = CliRunner()

PRODUCTS = """sku,name,tracking,shelf_life_days,barcodes,weight_g,length_mm,width_mm,height_mm
SKU-90001,Green tea 500 g,lot,365,4006381333931,,,,
SKU-90002,Teapot,none,,SUP-TEAPOT-1,640,180,140,120
"""


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_a_bad_line_is_named_and_nothing_is_imported(
    tmp_path: Path, hub_db: str, hub_engine: Engine
) -> None:
    bad = tmp_path / "products.csv"
    bad.write_text(PRODUCTS + "SKU-90003,Cup,sometimes,,4006381333932,,,,\n", encoding="utf-8")
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
    with terminal.ctx.engine.connect() as conn:  # what the pack station weighs and boxes by
        sizes = conn.execute(
            text(
                "SELECT sku, weight_g, length_mm, width_mm, height_mm FROM product"
                " WHERE sku LIKE 'SKU-9000%' ORDER BY sku"
            )
        ).all()
    assert [tuple(r) for r in sizes] == [
        ("SKU-90001", None, None, None, None),
        ("SKU-90002", 640, 180, 140, 120),
    ]


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


def _import(kind: str, path: Path, hub_db: str, *extra: str) -> tuple[int, str]:
    env = {"WMS_HUB_DATABASE_URL": hub_db}
    result = runner.invoke(app, ["hub", "import", kind, str(path), *extra], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_an_unterminated_quote_is_named_and_nothing_is_imported(
    tmp_path: Path, hub_db: str, hub_engine: Engine
) -> None:
    bad = tmp_path / "products.csv"
    bad.write_text(
        'sku,name\nSKU-90001,"Green tea\nSKU-90002,Teapot\nSKU-90003,Cup\n', encoding="utf-8"
    )  # once: a wrong row imported, the next one skipped
    code, output = _import("products", bad, hub_db)
    assert code == 1
    assert "line 2: a quote opened here is never closed" in output
    assert _count(hub_engine, "SELECT count(*) FROM product WHERE sku LIKE 'SKU-9%'") == 0


def test_a_line_with_too_many_fields_is_named(tmp_path: Path, hub_db: str) -> None:
    bad = tmp_path / "products.csv"
    bad.write_text("sku,name\nSKU-90001,Tea,extra\n", encoding="utf-8")
    assert _import("products", bad, hub_db) == (
        1,
        f"{bad}: line 2: 3 fields, the header has 2\n1 error(s), nothing imported\n",
    )


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("latin1.csv", "sku,name\nSKU-90001,Café\n".encode("latin-1"), "line 2: not UTF-8 text"),
        ("bad.json", b'[{"sku": "SKU-90001",]', "line 1: not valid JSON"),
        ("list.json", b'{"sku": "SKU-90001"}', "line 1: a JSON import is a list of objects"),
        ("item.json", b'[{"sku": "SKU-90001", "name": "Tea"}, 5]', "item 2: not an object"),
        (
            "barcodes.csv",
            b"sku,name,barcodes\nSKU-90001,Tea,4006381333931\nSKU-90002,Pot,4006381333931\n",
            "line 3: barcode 04006381333931 already on line 2",
        ),
    ],
)
def test_a_bad_file_is_answered_by_line_never_a_traceback(
    *, tmp_path: Path, hub_db: str, hub_engine: Engine, name: str, content: bytes, said: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    code, output = _import("products", bad, hub_db)
    assert code == 1
    assert said in output
    assert _count(hub_engine, "SELECT count(*) FROM product WHERE sku LIKE 'SKU-9%'") == 0


def test_a_utf16_file_from_a_spreadsheet_imports(tmp_path: Path, hub_db: str) -> None:
    sheet = tmp_path / "products.csv"
    sheet.write_text(PRODUCTS, encoding="utf-16")
    assert _import("products", sheet, hub_db) == (0, "Imported 2 products\n")


def test_a_badge_taken_by_another_operator_is_named_and_no_hash_shown(
    tmp_path: Path, hub_db: str, hub_engine: Engine
) -> None:
    operators = tmp_path / "operators.csv"
    operators.write_text(
        "code,badge,name,pin\n2001,OP0001,New,4321\n2002,B2,Two,9999\n2003,B2,Three,5555\n"
        "2004,B4,Four,1\n",
        encoding="utf-8",
    )
    code, output = _import("operators", operators, hub_db, "--warehouse", "DEMO")
    assert code == 1
    assert "line 4: badge B2 already on line 3" in output
    assert "line 5: pin: String should have at least 4 characters" in output
    operators.write_text("code,badge,name,pin\n2001,OP0001,New person,4321\n", encoding="utf-8")
    code, output = _import("operators", operators, hub_db, "--warehouse", "DEMO")
    assert code == 1
    assert "line 2: badge OP0001 belongs to operator 1001 already" in output
    assert "scrypt" not in output
    assert _count(hub_engine, "SELECT count(*) FROM operator WHERE code LIKE '200%'") == 0
