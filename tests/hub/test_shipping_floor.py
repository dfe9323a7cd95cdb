"""The outbound floor at the hub: picked stock stays in the ledger (in a tote, then a parcel,
then at the dock) until a ship op takes it out; its promise follows it; the order moves
picked → packed → loaded → shipped; replays change nothing; and what the floor got wrong is
recorded with an exception, never refused."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, text

from tests.hub.hub_queries import exception_kinds
from tests.hub.planning_helpers import (
    RESERVE,
    RESERVE2,
    SHIRT,
    SOCKS,
    order_body,
    order_status,
    put_stock,
    take,
)
from tests.hub.shipping_helpers import (
    CART,
    DOCK,
    EMS,
    PACK,
    Station,
    held,
    ledger_disagrees,
    moves_parcel,
    new_sscc,
    pack,
    parcel,
    parcel_rows,
    pick_to_tote,
    set_up_carriers,
)
from wms.domain.kinds import StockStatus
from wms.hub.planning.available import available
from wms.hub.planning.cancel import cancel
from wms.hub.planning.waves import WaveRule, release

TOTE, TOTE2 = "TOTE0001", "TOTE0002"


def _released(engine: Engine, *orders: dict[str, Any]) -> list[Any]:
    """Orders taken and released in one wave; their pick lines."""
    with engine.begin() as conn:
        take(conn, *orders)
        release(conn, "DEMO", "maria", WaveRule())
        return conn.execute(
            text("SELECT * FROM pick_line WHERE warehouse = 'DEMO' ORDER BY order_number, seq")
        ).all()


def _ats(engine: Engine, sku: str) -> int:
    with engine.connect() as conn:
        return available(conn, "DEMO", [sku])[0].available_to_sell


def _on_hand(engine: Engine, sku: str) -> int:
    with engine.connect() as conn:
        q = text("SELECT COALESCE(SUM(qty), 0) FROM on_hand WHERE warehouse = 'DEMO' AND sku = :s")
        return int(conn.execute(q, {"s": sku}).scalar_one())


def test_an_order_goes_from_bin_to_tote_to_parcel_to_truck(hub_engine: Engine) -> None:
    set_up_carriers(hub_engine)
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    put_stock(hub_engine, SOCKS, RESERVE2, 5)
    lines = _released(hub_engine, order_body("SO-S1", (SHIRT, 3), (SOCKS, 2), carrier="EMS"))
    shirt, socks = lines
    station = Station(hub_engine)
    assert _ats(hub_engine, SHIRT) == 7

    station.push(pick_to_tote(station, shirt, 3, TOTE), pick_to_tote(station, socks, 2, TOTE))
    assert order_status(hub_engine, "SO-S1") == "picked"
    assert _on_hand(hub_engine, SHIRT) == 10  # picked stock stays in the building
    assert held(hub_engine, "SO-S1") == [
        ("picked", SHIRT, CART, TOTE, 3),
        ("picked", SOCKS, CART, TOTE, 2),
    ]
    assert _ats(hub_engine, SHIRT) == 7  # a picked unit is never free to sell

    box, waybill = station.next_number("sscc"), station.next_number("waybill", "EMS")
    station.push(pack(station, box, "SO-S1", [(SHIRT, 3, TOTE), (SOCKS, 2, TOTE)], waybill=waybill))
    assert order_status(hub_engine, "SO-S1") == "packed"
    assert parcel_rows(hub_engine, box, PACK) == [(SHIRT, 3), (SOCKS, 2)]
    assert held(hub_engine, "SO-S1") == [
        ("packed", SHIRT, PACK, box, 3),
        ("packed", SOCKS, PACK, box, 2),
    ]
    assert parcel(hub_engine, box)["waybill"] == waybill
    assert _ats(hub_engine, SHIRT) == 7

    contents = [(SHIRT, 3), (SOCKS, 2)]
    load = {"load": "LD-0001", "carrier": "EMS", "dock": DOCK}
    station.push(moves_parcel(station, "load", box, contents, load, source=PACK, to=DOCK))
    assert order_status(hub_engine, "SO-S1") == "loaded"
    assert held(hub_engine, "SO-S1")[0] == ("loaded", SHIRT, DOCK, box, 3)

    ship = {"load": "LD-0001", "order": "SO-S1", "carrier": "EMS", "waybill": waybill}
    close = {"load": "LD-0001", "carrier": "EMS", "dock": DOCK, "parcels": 1}
    station.push(
        moves_parcel(station, "ship", box, contents, ship, source=DOCK, to=None),
        station.op("close_load", close),
    )
    assert order_status(hub_engine, "SO-S1") == "shipped"
    assert _on_hand(hub_engine, SHIRT) == 7  # gone exactly once: at the ship
    assert _on_hand(hub_engine, SOCKS) == 3
    assert held(hub_engine, "SO-S1") == []
    assert _ats(hub_engine, SHIRT) == 7
    shipped = parcel(hub_engine, box)
    assert (shipped["status"], shipped["load"]) == ("shipped", "LD-0001")
    with hub_engine.connect() as conn:
        assert ledger_disagrees(conn) == []
        load_row = conn.execute(text("SELECT status, parcels FROM load")).one()
    assert tuple(load_row) == ("closed", 1)
    assert exception_kinds(hub_engine) == []

    station.resend_everything()  # a lost reply: every op again
    assert _on_hand(hub_engine, SHIRT) == 7
    assert order_status(hub_engine, "SO-S1") == "shipped"


def test_a_parcel_scanned_onto_two_loads_stays_on_the_later_one(hub_engine: Engine) -> None:
    set_up_carriers(hub_engine)
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    (line,) = _released(hub_engine, order_body("SO-S2", (SHIRT, 1), carrier="EMS"))
    station = Station(hub_engine)
    box = new_sscc(2)
    station.push(
        pick_to_tote(station, line, 1, TOTE),
        pack(station, box, "SO-S2", [(SHIRT, 1, TOTE)], waybill=EMS.number(10_000_001)),
    )
    first = {"load": "LD-A", "carrier": "EMS", "dock": DOCK}
    second = {"load": "LD-B", "carrier": "EMS", "dock": DOCK}
    station.push(moves_parcel(station, "load", box, [(SHIRT, 1)], first, source=PACK, to=DOCK))
    station.push(moves_parcel(station, "load", box, [(SHIRT, 1)], second, source=DOCK, to=DOCK))
    assert "parcel_on_two_loads" in exception_kinds(hub_engine)
    assert parcel(hub_engine, box)["load"] == "LD-B"
    with hub_engine.connect() as conn:
        counts = dict(conn.execute(text("SELECT number, parcels FROM load")).all())
    assert counts == {"LD-A": 0, "LD-B": 1}


def test_a_parcel_of_an_order_cancelled_meanwhile_is_kept_and_told(hub_engine: Engine) -> None:
    set_up_carriers(hub_engine)
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    (line,) = _released(hub_engine, order_body("SO-S3", (SHIRT, 2), carrier="EMS"))
    station = Station(hub_engine)
    station.push(pick_to_tote(station, line, 2, TOTE))
    with hub_engine.begin() as conn:
        done = cancel(conn, "DEMO", "SO-S3", "customer changed their mind")
    assert done.put_backs  # from the cart back to the bin
    with hub_engine.connect() as conn:
        back = conn.execute(text("SELECT from_location, to_location, qty FROM move_task")).one()
    assert tuple(back) == (CART, RESERVE, 2)
    box = new_sscc(3)
    station.push(pack(station, box, "SO-S3", [(SHIRT, 2, TOTE)], waybill=EMS.number(10_000_002)))
    assert "pack_of_cancelled_order" in exception_kinds(hub_engine)
    assert parcel(hub_engine, box)["status"] == "packed"  # a fact, recorded
    assert held(hub_engine, "SO-S3") == []  # but nothing is promised to a cancelled order
    assert _ats(hub_engine, SHIRT) == 10


def test_a_bonded_retail_parcel_shipped_before_customs_released_it_raises(
    hub_engine: Engine,
) -> None:
    set_up_carriers(hub_engine)
    put_stock(hub_engine, "SKU-00303", "BND-01-02-A-1", 5, status="customs_hold")
    with hub_engine.begin() as conn:
        conn.execute(text("UPDATE product SET customs_controlled = true WHERE sku = 'SKU-00303'"))
    (line,) = _released(
        hub_engine,
        order_body("SO-S4", ("SKU-00303", 1), carrier="EMS", trade_mode="bonded_retail"),
    )
    station = Station(hub_engine)
    box = new_sscc(4)
    pick = pick_to_tote(station, line, 1, TOTE)
    pick.deltas[0].status = pick.deltas[1].status = StockStatus.CUSTOMS_HOLD
    packed = pack(station, box, "SO-S4", [("SKU-00303", 1, TOTE)], waybill=EMS.number(10_000_003))
    for d in packed.deltas:
        d.status = StockStatus.CUSTOMS_HOLD
    station.push(pick, packed)
    assert parcel(hub_engine, box)["customs_status"] == "pending"
    ship = {"load": "LD-C", "order": "SO-S4", "carrier": "EMS"}
    out = moves_parcel(station, "ship", box, [("SKU-00303", 1)], ship, source=PACK, to=None)
    out.deltas[0].status = StockStatus.CUSTOMS_HOLD
    station.push(out)
    assert "ship_of_unreleased_parcel" in exception_kinds(hub_engine)
    assert parcel(hub_engine, box)["status"] == "shipped"


def test_a_waybill_already_on_another_parcel_is_dropped_and_booked_anew(
    hub_engine: Engine,
) -> None:
    set_up_carriers(hub_engine)
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    one, two = _released(
        hub_engine,
        order_body("SO-S5", (SHIRT, 1), carrier="EMS"),
        order_body("SO-S6", (SHIRT, 1), carrier="EMS"),
    )
    station, other = Station(hub_engine), Station(hub_engine)
    same = EMS.number(10_000_004)
    station.push(
        pick_to_tote(station, one, 1, TOTE),
        pack(station, new_sscc(5), "SO-S5", [(SHIRT, 1, TOTE)], waybill=same),
    )
    other.push(
        pick_to_tote(other, two, 1, TOTE2),
        pack(other, new_sscc(6), "SO-S6", [(SHIRT, 1, TOTE2)], waybill=same),
    )
    assert "duplicate_waybill" in exception_kinds(hub_engine)
    second = parcel(hub_engine, new_sscc(6))
    assert (second["waybill"], second["booking"]) == (None, "pending")
    assert parcel(hub_engine, new_sscc(5))["waybill"] == same


def test_a_load_heard_before_its_pack_is_applied_when_the_pack_arrives(
    hub_engine: Engine,
) -> None:
    set_up_carriers(hub_engine)
    put_stock(hub_engine, SHIRT, RESERVE, 10)
    (line,) = _released(hub_engine, order_body("SO-S7", (SHIRT, 1), carrier="EMS"))
    packer, loader = Station(hub_engine), Station(hub_engine)
    box = new_sscc(7)
    picked = pick_to_tote(packer, line, 1, TOTE)
    packed = pack(packer, box, "SO-S7", [(SHIRT, 1, TOTE)], waybill=EMS.number(10_000_005))
    load = {"load": "LD-D", "carrier": "EMS", "dock": DOCK}
    loader.push(moves_parcel(loader, "load", box, [(SHIRT, 1)], load, source=PACK, to=DOCK))
    packer.push(picked, packed)  # the packer's terminal synced late
    assert parcel(hub_engine, box)["status"] == "loaded"
    assert order_status(hub_engine, "SO-S7") == "loaded"
    assert held(hub_engine, "SO-S7") == [("loaded", SHIRT, DOCK, box, 1)]
