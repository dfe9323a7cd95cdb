"""The console's Waves tab: open orders, a wave released by rule, refusals shown."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, text
from textual.widgets import DataTable

from tests.console.pilot_helpers import show
from tests.console.test_console_app import SIZE, message, type_into
from wms.console.app import ConsoleApp
from wms.hub.demo import load_demo_orders


async def test_a_supervisor_releases_a_wave_from_the_console(
    make_console: Callable[[], ConsoleApp], hub_engine: Engine
) -> None:
    with hub_engine.begin() as conn:
        load_demo_orders(conn)
    async with make_console().run_test(size=SIZE) as pilot:
        await show(pilot, "f6")
        await pilot.press("tab")  # the rule's first field
        table = pilot.app.query_one("#waves-table", DataTable)
        assert table.row_count == 6
        await type_into(pilot, "EMS")
        await pilot.press("tab", "tab", "tab", "enter")  # Release wave
        await pilot.pause()
        assert message(pilot) == "no open order in DEMO matches: carrier EMS"
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab")
        await type_into(pilot, "SF")
        await type_into(pilot, "domestic")
        await type_into(pilot, "3")
        await type_into(pilot, "4")
        await pilot.press("enter")
        await pilot.pause()
        assert message(pilot) == "Wave 1: 3 orders, 7 lines, 1 tasks"
        assert table.row_count == 3
    with hub_engine.connect() as conn:
        released = conn.execute(text("SELECT released_by, orders FROM wave")).one()
    assert tuple(released) == ("maria", 3)


async def test_a_bad_rule_is_refused_in_words(make_console: Callable[[], ConsoleApp]) -> None:
    async with make_console().run_test(size=SIZE) as pilot:
        await show(pilot, "f6")
        await pilot.press("tab", "tab")
        await type_into(pilot, "retail")
        await pilot.press("tab", "tab", "enter")
        await pilot.pause()
        assert message(pilot).startswith("trade_mode: Input should be 'domestic', 're_export'")
