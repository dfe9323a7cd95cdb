"""Number pools and blocks: SSCCs and a pool carrier's waybill numbers are handed to one op
stream of one device at a time, topped up as pushed packs use them, never twice, not even to a
store restored from a backup (a new stream); and a client inventing streams cannot drain them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.hub.planning_helpers import SHIRT, order_body, put_stock, take
from tests.hub.shipping_helpers import EMS, Station, pack, set_up_carriers
from tests.hub.wire_helpers import device_headers, pull_all
from wms.domain.waybills import WaybillFormat, s10_check_digit, waybill_number
from wms.hub.shipping.numbers import (
    MAX_STREAMS_PER_DAY,
    PoolError,
    add_waybill_list,
    add_waybill_range,
    top_up,
)


def test_s10_numbers_carry_their_check_digit() -> None:
    assert EMS.number(12345678) == "EA123456785CN"  # the UPU's own example
    assert s10_check_digit("00000000") == 5
    with pytest.raises(ValueError, match="8 serial digits"):
        WaybillFormat(prefix="EA", digits=9, check="s10")


def _serials(engine: Engine, stream: str, kind: str) -> set[int]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT first, last FROM number_block WHERE stream = :s AND kind = :k"),
            {"s": stream, "k": kind},
        )
        return {n for r in rows for n in range(r.first, r.last + 1)}


def test_a_restored_store_gets_new_numbers_and_use_tops_a_stream_up(hub_engine: Engine) -> None:
    set_up_carriers(hub_engine)
    put_stock(hub_engine, SHIRT, "CART-01", 200, container="TOTE0001")
    station = Station(hub_engine)
    station.blocks()
    restored = Station(hub_engine, stream="restored-from-backup")
    restored.device = station.device  # the same terminal, a new stream after a restore
    restored.blocks()
    for kind in ("sscc", "waybill"):
        assert _serials(hub_engine, station.stream, kind).isdisjoint(
            _serials(hub_engine, "restored-from-backup", kind)
        )
    first = _serials(hub_engine, station.stream, "sscc")
    with hub_engine.begin() as conn:
        take(conn, *(order_body(f"SO-N{n}", (SHIRT, 1)) for n in range(60)))
    for n in range(60):  # more than half the block: the push tops the stream up
        box = station.next_number("sscc")
        station.push(pack(station, box, f"SO-N{n}", [(SHIRT, 1, "TOTE0001")], carrier="SF"))
    assert len(_serials(hub_engine, station.stream, "sscc")) == 2 * len(first)
    with hub_engine.connect() as conn:
        used = conn.execute(
            text("SELECT count(*) FROM parcel WHERE sscc_block IS NOT NULL")
        ).scalar_one()
    assert used == 60


def test_blocks_reach_their_own_device_only(hub: TestClient, hub_engine: Engine) -> None:
    set_up_carriers(hub_engine)
    mine, theirs = device_headers(hub, hub_engine), device_headers(hub, hub_engine)
    hub.get("/v1/pull", params={"numbers_for": "my-stream"}, headers=mine)
    seen_by_them = [c for c in pull_all(hub, theirs) if c["kind"] == "number_block"]
    assert seen_by_them == []
    seen_by_me = [c for c in pull_all(hub, mine) if c["kind"] == "number_block"]
    assert {c["body"]["stream"] for c in seen_by_me} == {"my-stream"}
    # Another device cannot have its blocks handed to it by naming its stream.
    hub.get("/v1/pull", params={"numbers_for": "my-stream"}, headers=theirs)
    assert [c for c in pull_all(hub, theirs) if c["kind"] == "number_block"] == []
    refused = hub.get("/v1/pull", params={"numbers_for": "bad stream!"}, headers=theirs)
    assert refused.status_code == 422


def test_a_client_inventing_streams_cannot_drain_the_pools(hub_engine: Engine) -> None:
    set_up_carriers(hub_engine)
    station = Station(hub_engine)
    with hub_engine.begin() as conn:
        for n in range(MAX_STREAMS_PER_DAY + 3):
            top_up(conn, "DEMO", station.device.id, f"invented-{n}", 100)
        streams = conn.execute(
            text("SELECT count(DISTINCT stream) FROM number_block WHERE device = :d"),
            {"d": station.device.id},
        ).scalar_one()
    assert streams == MAX_STREAMS_PER_DAY


def test_a_range_or_list_held_already_is_refused_whole(hub_engine: Engine) -> None:
    set_up_carriers(hub_engine)
    with hub_engine.begin() as conn, pytest.raises(PoolError, match="held already"):
        add_waybill_range(conn, "DEMO", "EMS", first=10_000_900, last=10_001_100, fmt=EMS)
    with hub_engine.begin() as conn:
        assert add_waybill_list(conn, "DEMO", "SF", ["SF0001", "SF0002", ""]) == 2
    with hub_engine.begin() as conn, pytest.raises(PoolError, match="SF0002 is held"):
        add_waybill_list(conn, "DEMO", "SF", ["SF0003", "SF0002"])
    with hub_engine.begin() as conn, pytest.raises(PoolError, match="twice"):
        add_waybill_list(conn, "DEMO", "SF", ["SF0009", "SF0009"])
    station = Station(hub_engine)
    sf = [b for b in station.blocks() if b["carrier"] == "SF"]
    assert [waybill_number(b, s) for b in sf for s in range(b["first"], b["last"] + 1)] == [
        "SF0001",
        "SF0002",
    ]


def test_the_demo_hub_is_ready_for_the_whole_story(hub_engine: Engine) -> None:
    from wms.hub.demo import load_demo_orders, load_demo_shipping
    from wms.hub.planning.waves import WaveRule, release

    with hub_engine.begin() as conn:
        load_demo_shipping(conn)
        load_demo_shipping(conn)  # again: nothing doubles
        load_demo_orders(conn)
        carriers = dict(conn.execute(text("SELECT code, kind FROM carrier")).all())
        cartons = conn.execute(text("SELECT count(*) FROM carton")).scalar_one()
        totes = conn.execute(
            text("SELECT count(*) FROM container WHERE kind = 'tote'")
        ).scalar_one()
        places = set(
            conn.scalars(
                text(
                    "SELECT code FROM location WHERE type IN ('cart', 'pack') OR code = 'ODOCK-01'"
                )
            )
        )
        orders = set(conn.scalars(text("SELECT DISTINCT carrier FROM sales_order")))
        unsized = conn.scalars(  # the pack station needs them to suggest a carton and weigh
            text(
                "SELECT DISTINCT l.sku FROM order_line l JOIN product p ON p.sku = l.sku"
                " WHERE p.weight_g IS NULL OR p.length_mm IS NULL"
            )
        ).all()
        done = release(conn, "DEMO", "maria", WaveRule(cluster_totes=4))
    assert carriers == {"EMS": "pool", "SF": "pool", "YTO": "pool"}
    assert orders <= set(carriers)  # every demo order's carrier has numbers to hand out
    assert (cartons, totes) == (4, 24)
    assert unsized == []
    assert {"CART-01", "CART-04", "PACK-01", "PACK-02", "ODOCK-01"} <= places
    assert done.orders
    station = Station(hub_engine)
    kinds = {(b["kind"], b["carrier"]) for b in station.blocks()}
    assert kinds == {("sscc", None), ("waybill", "EMS"), ("waybill", "SF"), ("waybill", "YTO")}
