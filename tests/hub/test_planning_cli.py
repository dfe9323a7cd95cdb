"""`wms hub channel|orders|waves|replenish|counts`: the planning commands, their output and their
refusals (a message and an exit code, never a traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner, Result

from tests.hub.planning_helpers import FACE, RESERVE, SHIRT, order_body, put_stock, take
from wms.cli import app

runner = CliRunner()


@pytest.fixture
def hub_cli(hub_db: str) -> object:
    """Run `wms hub ...` on this test's database."""
    env = {"WMS_HUB_DATABASE_URL": hub_db}

    def run(*args: str) -> Result:
        return runner.invoke(app, ["hub", *args], env=env)

    run("supervisor", "add", "maria", "--warehouse", "DEMO")
    return run


def test_a_channel_gets_a_token_for_warehouses_that_exist(hub_cli: object) -> None:
    run = hub_cli  # type: ignore[assignment]
    made = run("channel", "add", "tmall", "--warehouse", "DEMO")
    assert made.exit_code == 0
    assert "Channel tmall for DEMO: token ch-" in made.output
    missing = run("channel", "add", "jd", "--warehouse", "NOPE")
    assert missing.exit_code == 1
    assert "no warehouse NOPE at this hub" in missing.output
    assert run("channel", "revoke", "tmall").exit_code == 0
    assert run("channel", "revoke", "nobody").exit_code == 1


def test_orders_listed_shown_cancelled_and_available_to_sell(
    hub_cli: object, hub_engine: Engine
) -> None:
    run = hub_cli  # type: ignore[assignment]
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    with hub_engine.begin() as conn:
        take(conn, order_body("SO-1", (SHIRT, 4)), order_body("SO-2", (SHIRT, 9), priority=5))
    listed = run("orders", "list", "--warehouse", "DEMO").output.splitlines()
    assert [line.split()[0] for line in listed] == ["SO-2", "SO-1"]  # most urgent first
    # Taken in one batch, the priority-5 order is served first.
    shown = run("orders", "show", "SO-1", "--warehouse", "DEMO")
    assert "4 ordered  1 reserved  0 picked  3 backordered  0 cancelled" in shown.output
    ats = run("orders", "available", "--warehouse", "DEMO", "--sku", SHIRT, "--json")
    assert json.loads(ats.output)["available_to_sell"] == 0
    done = run("orders", "cancel", "SO-1", "--warehouse", "DEMO", "--by", "maria", "--why", "fraud")
    assert done.exit_code == 0
    assert "Order SO-1 cancelled: 1 units released" in done.output
    assert (
        "already cancelled"
        in run(
            "orders", "cancel", "SO-1", "--warehouse", "DEMO", "--by", "maria", "--why", "again"
        ).output
    )
    unknown = run("orders", "show", "SO-9", "--warehouse", "DEMO")
    assert unknown.exit_code == 1
    assert "No order SO-9 in DEMO" in unknown.output
    assert run("orders", "available", "--warehouse", "DEMO", "--sku", "NOPE").exit_code == 1


def test_waves_released_listed_and_scheduled(hub_cli: object, hub_engine: Engine) -> None:
    run = hub_cli  # type: ignore[assignment]
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    with hub_engine.begin() as conn:
        take(conn, order_body("SO-1", (SHIRT, 2)), order_body("SO-2", (SHIRT, 2), carrier="YTO"))
    nothing = run("waves", "release", "--warehouse", "DEMO", "--by", "maria", "--carrier", "EMS")
    assert nothing.exit_code == 1
    assert "no open order in DEMO matches: carrier EMS" in nothing.output
    bad = run("waves", "release", "--warehouse", "DEMO", "--by", "maria", "--max-lines", "3")
    assert bad.exit_code == 2
    assert "cart limits (max_lines, max_weight_kg) need cluster_totes" in bad.output
    stranger = run("waves", "release", "--warehouse", "DEMO", "--by", "nobody")
    assert stranger.exit_code == 1
    assert "No active supervisor nobody" in stranger.output
    wave = run("waves", "release", "--warehouse", "DEMO", "--by", "maria", "--carrier", "SF")
    assert wave.exit_code == 0
    assert ": 1 orders, 1 lines, 1 tasks" in wave.output
    assert "1 orders  1 lines  1 tasks" in run("waves", "list", "--warehouse", "DEMO").output
    scheduled = run(
        "waves",
        "release",
        "--warehouse",
        "DEMO",
        "--by",
        "maria",
        "--every",
        "30",
        "--name",
        "half-hourly",
    )
    assert scheduled.exit_code == 0
    assert "Schedule half-hourly: any open order every 30 min" in scheduled.output
    assert run("waves", "run-due").output == ""  # first run is in 30 minutes


def test_replenishment_and_count_plans_from_the_command_line(
    hub_cli: object, hub_engine: Engine, tmp_path: Path
) -> None:
    run = hub_cli  # type: ignore[assignment]
    put_stock(hub_engine, SHIRT, RESERVE, 30)
    limits = tmp_path / "faces.csv"
    limits.write_text(f"location,sku,min_qty,max_qty\n{FACE},{SHIRT},4,12\n", encoding="utf-8")
    imported = run("import", "face_limits", str(limits), "--warehouse", "DEMO")
    assert imported.exit_code == 0, imported.output
    bad = tmp_path / "bad.csv"
    bad.write_text(f"location,sku,min_qty,max_qty\n{RESERVE},{SHIRT},4,12\n", encoding="utf-8")
    refused = run("import", "face_limits", str(bad), "--warehouse", "DEMO")
    assert refused.exit_code == 1
    assert f"{RESERVE}: a storage bin, not a pick face" in refused.output
    topped = run("replenish", "run", "--warehouse", "DEMO", "--by", "maria")
    assert "1 replenishment task(s)" in topped.output
    assert "on hand 0  coming 12  owed 0" in run("replenish", "faces", "--warehouse", "DEMO").output
    zone_b = ["--rule", "zone", "--zone", "B", "--bins-per-day", "60"]
    plan = run("counts", "plan", "zone-b", "--warehouse", "DEMO", "--by", "maria", *zone_b)
    assert plan.exit_code == 0, plan.output
    assert (
        "zone-b           zone     120 bins, 0 counted (0.0%), 0 out, 120 due: 2 day(s)"
        in plan.output
    )
    assert "60 count task(s)" in run("counts", "run", "zone-b", "--warehouse", "DEMO").output
    assert "60 out, 60 due" in run("counts", "coverage", "--warehouse", "DEMO").output
    wrong = run(
        "counts",
        "plan",
        "x",
        "--warehouse",
        "DEMO",
        "--by",
        "maria",
        "--rule",
        "zone",
        "--bins-per-day",
        "5",
    )
    assert wrong.exit_code == 2
    assert "a zone plan names its zone" in wrong.output
    assert run("counts", "run", "nope", "--warehouse", "DEMO").exit_code == 1
    with hub_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM count_plan")).scalar() == 1


HEADER = (
    "number,carrier,currency,consignee_name,consignee_phone,consignee_address,consignee_country"
)


def _orders_csv(path: Path, *lines: tuple[str, str, int]) -> Path:
    rows = [f"{HEADER},sku,qty,unit_price"]
    rows += [
        f"{n},SF,CNY,Li Wei,+86 138 0013 8000,88 Century Ave,CN,{s},{q},9.90" for n, s, q in lines
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_an_orders_file_is_taken_whole_or_not_at_all(
    hub_cli: object, hub_engine: Engine, tmp_path: Path
) -> None:
    run = hub_cli  # type: ignore[assignment]
    zero = _orders_csv(tmp_path / "zero.csv", ("SO-1", SHIRT, 2), ("SO-2", SHIRT, 0))
    out = run("import", "orders", str(zero), "--warehouse", "DEMO")
    assert out.exit_code == 1
    assert "line 3: qty: Input should be greater than or equal to 1" in out.output
    unknown = _orders_csv(tmp_path / "unknown.csv", ("SO-1", SHIRT, 2), ("SO-2", "NOPE", 1))
    out = run("import", "orders", str(unknown), "--warehouse", "DEMO")
    assert out.exit_code == 1
    assert "order SO-2 line 1: unknown product NOPE" in out.output
    with hub_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sales_order")).scalar() == 0
    good = _orders_csv(tmp_path / "good.csv", ("SO-1", SHIRT, 2), ("SO-1", "SKU-01403", 1))
    assert "Imported 1 orders" in run("import", "orders", str(good), "--warehouse", "DEMO").output
    assert "Imported 0 orders" in run("import", "orders", str(good), "--warehouse", "DEMO").output
    changed = _orders_csv(tmp_path / "changed.csv", ("SO-1", SHIRT, 3), ("SO-1", "SKU-01403", 1))
    out = run("import", "orders", str(changed), "--warehouse", "DEMO")
    assert out.exit_code == 1
    assert (
        "order SO-1: imported before with other content: line 1 qty: 2 before, now 3" in out.output
    )
