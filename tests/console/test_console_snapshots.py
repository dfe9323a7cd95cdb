"""SVG snapshots of the console at 100×30 (fixed exception times, no blink, no animation)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine
from textual.pilot import Pilot

from tests.console.conftest import negative_stock, raise_exception, received
from tests.console.pilot_helpers import show
from wms.console.app import ConsoleApp
from wms.hub.demo import load_demo_orders

SIZE = (100, 30)


def test_exceptions(
    snap_compare: Callable[..., bool], make_console: Callable[[], ConsoleApp], hub_engine: Engine
) -> None:
    negative_stock(hub_engine)
    raise_exception(hub_engine, "pick_of_held_stock", "picked recalled SKU-00001 L2602")

    async def before(pilot: Pilot[None]) -> None:
        await show(pilot, "f1")

    assert snap_compare(make_console(), terminal_size=SIZE, run_before=before)


def test_scorecard(
    snap_compare: Callable[..., bool], make_console: Callable[[], ConsoleApp], hub_engine: Engine
) -> None:
    # Nordic Dairy AB's PO on its due day: all the formula, 8 + 2 damaged of SKU-01401.
    lines = [("SKU-00001", 24, False), ("SKU-01401", 8, False), ("SKU-01401", 2, True)]
    received(hub_engine, "PO-2026-0001", *lines)

    async def before(pilot: Pilot[None]) -> None:
        await show(pilot, "f4")

    assert snap_compare(make_console(), terminal_size=SIZE, run_before=before)


def test_waves(
    snap_compare: Callable[..., bool], make_console: Callable[[], ConsoleApp], hub_engine: Engine
) -> None:
    with hub_engine.begin() as conn:
        load_demo_orders(conn)

    async def before(pilot: Pilot[None]) -> None:
        await show(pilot, "f6")

    assert snap_compare(make_console(), terminal_size=SIZE, run_before=before)
