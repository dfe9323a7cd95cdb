"""The console driven from the keyboard with Pilot; the hub's database checked afterwards."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, text
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tests.console.conftest import BIN, SKU, negative_stock
from tests.console.pilot_helpers import show
from tests.hub.hub_queries import hub_stock
from tests.hub.supervisor_helpers import decisions
from wms.console.app import ConsoleApp

SIZE = (100, 30)


async def type_into(pilot: Pilot[None], typed: str) -> None:
    """Type into the focused input, then move to the next control."""
    await pilot.press(*typed, "tab")


def message(pilot: Pilot[None]) -> str:
    """The outcome line under the tabs."""
    return str(pilot.app.query_one("#message", Static).render())


async def test_a_supervisor_adjusts_an_exception(
    make_console: Callable[[], ConsoleApp], hub_engine: Engine
) -> None:
    exception = negative_stock(hub_engine)
    async with make_console().run_test(size=SIZE) as pilot:
        await show(pilot, "f1")  # focus: the queue
        await pilot.press("tab")
        await type_into(pilot, "found 15 in overflow")
        await type_into(pilot, "15")
        await pilot.press("tab", "enter")  # Accept, Adjust: press Adjust
        await pilot.pause()
        assert message(pilot) == f"Exception {exception}: adjust (decision 1)"
        assert pilot.app.query_one("#exceptions-table", DataTable).row_count == 0
    assert decisions(hub_engine) == [("resolve_adjust", "maria", "found 15 in overflow")]
    assert hub_stock(hub_engine)[(SKU, BIN, "", "", "available")] == 25 + 15
    with hub_engine.connect() as conn:
        row = conn.execute(
            text("SELECT resolution, decision FROM hub_exception WHERE id = :i"), {"i": exception}
        ).one()
    assert (row.resolution, row.decision) == ("adjust", 1)


async def test_refusals_are_shown_and_nothing_is_recorded(
    make_console: Callable[[], ConsoleApp], hub_engine: Engine
) -> None:
    negative_stock(hub_engine)
    async with make_console().run_test(size=SIZE) as pilot:
        await show(pilot, "f1")
        await pilot.press("tab", "tab", "tab", "tab", "enter")  # Adjust, no delta
        await pilot.pause()
        assert message(pilot) == "Type the delta to adjust by, e.g. -3 or 5"
        assert pilot.app.query_one("#message").has_class("-refused")
        await pilot.press("shift+tab", "enter")  # Accept, no reason
        await pilot.pause()
        assert message(pilot) == "A decision needs a reason"
        await show(pilot, "f4")
        await pilot.press(*"2026-Q9", "enter")
        await pilot.pause()
        assert message(pilot) == "Not a period: 2026-Q9 (YYYY, YYYY-MM or YYYY-Qn)"
    assert decisions(hub_engine) == []


async def test_a_supervisor_clears_part_of_a_bonded_lot(
    make_console: Callable[[], ConsoleApp], hub_engine: Engine
) -> None:
    bonded = ("SKU-00002", "BND-01-01-A-1", "L2610", "", "customs_hold")
    before = hub_stock(hub_engine)[bonded]
    async with make_console().run_test(size=SIZE) as pilot:
        await show(pilot, "f2")
        table = pilot.app.query_one("#holds-table", DataTable)
        [row] = [  # columns: wh, status, product, lot, units
            n
            for n in range(table.row_count)
            if table.get_row_at(n)[1:4] == ["customs_hold", "SKU-00002", "L2610"]
        ]
        await pilot.press(*["down"] * row, "enter")  # fills product and lot, focuses declaration
        await type_into(pilot, "DECL-2026-778812")
        await pilot.press("tab", "tab", "tab")  # past ASN, product, lot
        await type_into(pilot, "12")
        await type_into(pilot, "duties paid")
        await pilot.press("enter")
        await pilot.pause()
        assert message(pilot) == "Cleared 12 units under DECL-2026-778812 (decision 1)"
    stock = hub_stock(hub_engine)
    assert stock[bonded] == before - 12
    assert stock[(*bonded[:4], "available")] == 12
    assert decisions(hub_engine) == [("clear", "maria", "duties paid")]


async def test_a_supervisor_recalls_a_lot(
    make_console: Callable[[], ConsoleApp], hub_engine: Engine
) -> None:
    async with make_console().run_test(size=SIZE) as pilot:
        await show(pilot, "f3")
        for typed in ("SKU-00001", "L2602", "complaint"):
            await type_into(pilot, typed)
        await pilot.press("enter")
        await pilot.pause()
        assert message(pilot) == "Recalled 40 units of SKU-00001 lot L2602 (decision 1)"
        table = pilot.app.query_one("#recalled-table", DataTable)
        shown = [table.get_row_at(n) for n in range(table.row_count)]
        assert ["DEMO", "SKU-00001", "L2602", 40] in shown
    assert hub_stock(hub_engine)[("SKU-00001", "A-01-01-A-1", "L2602", "", "recalled")] == 40
    assert decisions(hub_engine) == [("recall", "maria", "complaint")]


async def test_the_console_shows_its_warehouse_only(
    make_console: Callable[[], ConsoleApp], hub_engine: Engine
) -> None:
    from wms.hub.master import add_warehouse

    ours = negative_stock(hub_engine)
    with hub_engine.begin() as conn:
        add_warehouse(conn, "HKG", "Hong Kong")
        conn.execute(
            text(
                "INSERT INTO hub_exception (warehouse, kind, message)"
                " VALUES ('HKG', 'short_pick', 'Hong Kong business')"
            )
        )
    async with make_console().run_test(size=SIZE) as pilot:  # maria's console on DEMO
        table = pilot.app.query_one("#exceptions-table", DataTable)
        shown = [table.get_row_at(n) for n in range(table.row_count)]
    assert [row[0] for row in shown] == [ours]
