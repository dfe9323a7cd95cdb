"""The console's Customs tab: the bonded ledger's reconciliation as of now, and a parcel customs
rejected, opened on the supervisor's word."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, text
from textual.widgets import DataTable, Static

from tests.console.pilot_helpers import show
from tests.console.test_console_app import SIZE
from tests.hub.customs_helpers import (
    CREAM,
    answer,
    bonded_stock,
    pack_bonded,
    receipt,
    set_up_customs,
)
from tests.hub.shipping_helpers import Station, parcel, set_up_carriers
from wms.console.app import ConsoleApp
from wms.hub.customs.handover import send_due
from wms.hub.customs.receipts import receive


async def test_the_customs_tab_reconciles_and_opens_a_rejected_parcel(
    make_console: Callable[[], ConsoleApp], hub_engine: Engine, tmp_path: object
) -> None:
    set_up_carriers(hub_engine)
    bonded_stock(hub_engine, CREAM, 10)
    set_up_customs(hub_engine)
    box = pack_bonded(hub_engine, Station(hub_engine), "SO-K1", (CREAM, 2), serial=90)
    send_due(hub_engine)
    with hub_engine.begin() as conn:
        receive(conn, "DEMO", receipt("CEB622", [answer(box.sscc, "100", "单价异常")]), "r")
    async with make_console().run_test(size=SIZE) as pilot:
        await show(pilot, "f8")
        state = pilot.app.query_one("#customs-state", Static)
        assert "T5349W000001: balances" in str(state.render())
        ledger = pilot.app.query_one("#ledger-table", DataTable)
        rows = [ledger.get_row_at(n) for n in range(ledger.row_count)]
        assert ["ITEM-001", 10, 10, 0, 0, 10, "+0"] in rows  # the rejected parcel is still here
        stopped = pilot.app.query_one("#stopped-table", DataTable)
        row = stopped.get_row_at(0)
        assert row[1:] == ["customs_rejected", box.sscc, "SO-K1", "redeclare/unpack", "单价异常"]
        pilot.app.query_one("#customs-why").focus()
        await pilot.press(*"price wrong")
        await pilot.click("#customs-unpack")
        await pilot.pause()
        assert stopped.row_count == 0
    assert "open it and put the goods back" in parcel(hub_engine, box.sscc)["customs_text"]
    with hub_engine.connect() as conn:
        done = conn.execute(
            text("SELECT resolution FROM hub_exception WHERE kind = 'customs_rejected'")
        )
        assert done.scalar_one() == "unpack"
