"""The console's Shipping tab: the parcels the floor packed, with their waybills, and the loads
they went out on."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine
from textual.widgets import DataTable

from tests.console.pilot_helpers import show
from tests.console.test_console_app import SIZE
from tests.hub.planning_helpers import SHIRT, order_body, put_stock, take
from tests.hub.shipping_helpers import DOCK, PACK, Station, moves_parcel, pack, set_up_carriers
from wms.console.app import ConsoleApp


async def test_the_shipping_tab_shows_parcels_and_loads(
    make_console: Callable[[], ConsoleApp], hub_engine: Engine
) -> None:
    set_up_carriers(hub_engine)
    put_stock(hub_engine, SHIRT, "CART-01", 3, container="TOTE0003")
    with hub_engine.begin() as conn:
        take(conn, order_body("SO-C7", (SHIRT, 3), carrier="EMS"))
    station = Station(hub_engine)
    box, waybill = station.next_number("sscc"), station.next_number("waybill", "EMS")
    station.push(pack(station, box, "SO-C7", [(SHIRT, 3, "TOTE0003")], waybill=waybill))
    load = {"load": "LD-0042", "carrier": "EMS", "dock": DOCK}
    station.push(moves_parcel(station, "load", box, [(SHIRT, 3)], load, source=PACK, to=DOCK))
    async with make_console().run_test(size=SIZE) as pilot:
        await show(pilot, "f7")
        parcels = pilot.app.query_one("#parcels-table", DataTable)
        assert parcels.get_row_at(0) == [box, "SO-C7", "EMS", waybill, "loaded", "1.200", "LD-0042"]
        loads = pilot.app.query_one("#loads-table", DataTable)
        assert loads.get_row_at(0) == ["LD-0042", "EMS", DOCK, "open", 1]
