"""Waybills from carriers: a pack station books online (a carrier API on 127.0.0.1, through
karrio's EasyPost connector, or a number pool), parcels closed without a waybill are booked by
the hub's background workers, and neither a timeout, an error answer, an exhausted pool nor two
workers at once ever books a parcel twice or loses or reuses a number."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.hub.fake_carrier import API_KEY, CarrierState, fake_carrier
from tests.hub.hub_queries import exception_kinds
from tests.hub.planning_helpers import SHIRT, order_body, put_stock, take
from tests.hub.shipping_helpers import (
    DOCK,
    PACK,
    Station,
    moves_parcel,
    new_sscc,
    pack,
    parcel,
    set_up_carriers,
)
from tests.hub.wire_helpers import device_headers
from wms.hub.db import make_hub_engine
from wms.hub.shipping.booking import work_due
from wms.hub.shipping.carriers import add_carrier

SHIPPER = {"name": "Qianhai WH", "address": ["1 Qianhai Rd"], "city": "Shenzhen"} | {
    "postcode": "518000",
    "country": "CN",
    "phone": "+86 755 1",
}


@pytest.fixture
def carrier(monkeypatch: pytest.MonkeyPatch, hub_engine: Engine) -> Iterator[CarrierState]:
    """DHLX, booked online through a fake EasyPost-style API on 127.0.0.1."""
    monkeypatch.setenv("FAKE_CARRIER_KEY", API_KEY)
    set_up_carriers(hub_engine)
    with fake_carrier() as fake:
        api = {"url": f"{fake.base}/v2", "key_env": "FAKE_CARRIER_KEY", "timeout_s": 1}
        with hub_engine.begin() as conn:
            add_carrier(
                conn,
                "DEMO",
                "DHLX",
                name="DHL via EasyPost",
                kind="api",
                services=["express"],
                api=api | {"shipper": SHIPPER},
            )
            take(conn, order_body("SO-B1", (SHIRT, 1), carrier="DHLX", service="express"))
        yield fake


def _book(hub: TestClient, headers: dict[str, str], sscc: str, **body: Any) -> Any:
    asked = {"order": "SO-B1", "carrier": "DHLX", "service": "express", "weight_g": 900} | body
    return hub.post(f"/v1/parcels/{sscc}/book", json=asked, headers=headers)


def test_a_pack_station_books_online_and_asking_again_books_nothing_more(
    hub: TestClient, hub_engine: Engine, carrier: CarrierState
) -> None:
    headers = device_headers(hub, hub_engine)
    first = _book(hub, headers, new_sscc(1))
    assert first.status_code == 200, first.text
    answer = first.json()
    assert answer["waybill"].startswith("JD")
    assert answer["label_zpl"]  # the carrier's own label, as it sent it
    again = _book(hub, headers, new_sscc(1))
    assert again.json()["waybill"] == answer["waybill"]
    assert len(carrier.bought) == 1


def test_a_carrier_that_times_out_is_refused_clearly_and_never_bought_twice(
    hub: TestClient, hub_engine: Engine, carrier: CarrierState
) -> None:
    headers = device_headers(hub, hub_engine)
    carrier.stall = 2  # past the 1 s timeout
    timed_out = _book(hub, headers, new_sscc(2))
    assert timed_out.status_code == 504
    assert timed_out.json()["code"] == "carrier_timeout"
    carrier.stall = 0
    carrier.lose_buy_answers = 1  # it buys, and its answer is lost on the way
    lost = _book(hub, headers, new_sscc(2))
    assert lost.status_code == 504
    done = _book(hub, headers, new_sscc(2))  # asked again: the purchase is completed
    assert done.status_code == 200, done.text
    assert len(carrier.bought) == 1
    assert done.json()["waybill"] == carrier.shipments[carrier.bought[0]]["tracking_code"]


def test_a_carriers_error_answer_is_passed_on_and_nothing_is_booked(
    hub: TestClient, hub_engine: Engine, carrier: CarrierState
) -> None:
    headers = device_headers(hub, hub_engine)
    carrier.refuse = "Recipient address could not be verified"
    refused = _book(hub, headers, new_sscc(3))
    assert refused.status_code == 502
    assert refused.json()["code"] == "carrier_refused"
    assert "could not be verified" in refused.json()["detail"]
    assert carrier.bought == []
    carrier.refuse = None
    assert _book(hub, headers, new_sscc(3)).status_code == 200


def test_an_exhausted_pool_refuses_and_no_number_is_reused(
    hub: TestClient, hub_engine: Engine, carrier: CarrierState
) -> None:
    with hub_engine.begin() as conn:  # three EMS numbers are left, and nothing more
        conn.execute(text("UPDATE number_pool SET next = last - 2 WHERE carrier = 'EMS'"))
    headers = device_headers(hub, hub_engine)
    waybills = []
    for n in range(10, 13):
        reply = _book(hub, headers, new_sscc(n), carrier="EMS", service="standard")
        assert reply.status_code == 200, reply.text
        waybills.append(reply.json()["waybill"])
    assert len(set(waybills)) == 3
    used_up = _book(hub, headers, new_sscc(13), carrier="EMS", service="standard")
    assert used_up.status_code == 409
    assert used_up.json()["code"] == "pool_exhausted"
    assert "add a range" in used_up.json()["detail"]
    unknown = _book(hub, headers, new_sscc(14), order="SO-NONE")
    assert unknown.json()["code"] == "unknown_order"


def _work(url: str, out: Any) -> None:
    """A hub process's booking worker, in its own process."""
    engine = make_hub_engine(url)
    out.put(work_due(engine))
    engine.dispose()


def _closed_without_waybills(hub_engine: Engine, count: int) -> list[str]:
    put_stock(hub_engine, SHIRT, PACK, count)
    station = Station(hub_engine)
    with hub_engine.begin() as conn:
        take(conn, *(order_body(f"SO-W{n}", (SHIRT, 1), carrier="DHLX") for n in range(count)))
    boxes = [new_sscc(100 + n) for n in range(count)]
    for n, box in enumerate(boxes):
        packed = pack(station, box, f"SO-W{n}", [(SHIRT, 1, "")], carrier="DHLX", cart=PACK)
        packed.payload["service"] = "express"
        station.push(packed)
    return boxes


def test_two_worker_processes_book_each_parcel_once(
    hub_db: str, hub_engine: Engine, carrier: CarrierState
) -> None:
    boxes = _closed_without_waybills(hub_engine, 6)
    assert {parcel(hub_engine, b)["booking"] for b in boxes} == {"pending"}
    spawn = multiprocessing.get_context("spawn")
    out = spawn.Queue()
    workers = [spawn.Process(target=_work, args=(hub_db, out)) for _ in range(2)]
    for w in workers:
        w.start()
    done = [out.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=60)
    assert sorted(s for d in done for s in d) == sorted(boxes)  # each claimed by one worker
    waybills = [parcel(hub_engine, b)["waybill"] for b in boxes]
    assert None not in waybills
    assert len(set(waybills)) == 6
    assert len(carrier.bought) == 6  # one purchase per parcel, whichever worker made it


def test_an_opened_parcels_waybill_is_voided_with_the_carrier_and_never_reused(
    hub_engine: Engine, carrier: CarrierState
) -> None:
    (box,) = _closed_without_waybills(hub_engine, 1)
    assert work_due(hub_engine) == [box]
    waybill = parcel(hub_engine, box)["waybill"]
    station = Station(hub_engine)
    station.push(
        moves_parcel(
            station,
            "unpack",
            box,
            [(SHIRT, 1)],
            {"reason": "crushed", "to_location": "RET-01"},
            source=PACK,
            to="RET-01",
        )
    )
    assert parcel(hub_engine, box)["booking"] == "voiding"
    assert work_due(hub_engine) == [box]
    assert parcel(hub_engine, box)["booking"] == "void"
    assert carrier.refunded == [carrier.bought[0]]
    with hub_engine.begin() as conn:
        take(conn, order_body("SO-X", (SHIRT, 1), carrier="DHLX"))
    other = pack(station, new_sscc(7), "SO-X", [(SHIRT, 1, "")], carrier="DHLX", cart="RET-01")
    other.payload["waybill"] = waybill  # a terminal reusing the voided number
    station.push(other)
    assert "duplicate_waybill" in exception_kinds(hub_engine)
    assert parcel(hub_engine, new_sscc(7))["waybill"] is None


def test_a_failing_carrier_is_retried_then_left_to_a_supervisor(
    hub_engine: Engine, carrier: CarrierState
) -> None:
    from datetime import UTC, datetime, timedelta

    from wms.hub.shipping.booking import MAX_TRIES

    (box,) = _closed_without_waybills(hub_engine, 1)
    carrier.refuse = "Service unavailable for this destination"
    later = datetime.now(UTC)
    for _ in range(MAX_TRIES):
        assert work_due(hub_engine, later) == [box]
        later += timedelta(days=1)
    failed = parcel(hub_engine, box)
    assert failed["booking"] == "failed"
    assert "unavailable" in failed["booking_error"]
    assert "booking_failed" in exception_kinds(hub_engine)
    assert work_due(hub_engine, later) == []
    assert carrier.bought == []
    load = {"load": "LD-F", "carrier": "DHLX", "dock": DOCK}
    station = Station(hub_engine)
    station.push(moves_parcel(station, "load", box, [(SHIRT, 1)], load, source=PACK, to=DOCK))
    assert parcel(hub_engine, box)["status"] == "loaded"  # a fact all the same
