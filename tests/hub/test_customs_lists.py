"""Lists, cancel and return requests as customs receives them: every one valid against the
official schema (checked after each test, for every message the tests make), handed over once
under its guid, and refused clearly, before it leaves, when its data would not pass customs."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.hub.customs_helpers import (
    BONDED_BIN,
    CREAM,
    MILK,
    SERUM,
    answer,
    bonded_entries,
    bonded_stock,
    every_message_valid,
    field,
    pack_bonded,
    receipt,
    set_up_customs,
    the_list,
    valid,
)
from tests.hub.hub_queries import exception_kinds
from tests.hub.planning_helpers import order_status
from tests.hub.shipping_helpers import DOCK, PACK, Station, moves_parcel, parcel, set_up_carriers
from wms.domain.kinds import StockStatus
from wms.hub.customs.cancel import cancel_order
from wms.hub.customs.handover import file_name, send_due, write_once
from wms.hub.customs.receipts import receive
from wms.hub.db import make_hub_engine
from wms.hub.planning.cancel import CannotCancel
from wms.sync.ops import Delta

__all__ = ["every_message_valid"]


@pytest.fixture
def outbox(tmp_path: Path) -> Path:
    """The folder the customs client reads."""
    return tmp_path / "outbox"


@pytest.fixture
def floor(hub_engine: Engine, outbox: Path) -> Station:
    """DEMO with carriers, customs codes, bonded stock, and a pack station."""
    set_up_carriers(hub_engine)
    set_up_customs(hub_engine, outbox)
    for sku in (CREAM, SERUM, MILK):
        bonded_stock(hub_engine, sku, 20)
    return Station(hub_engine)


def _raised(engine: Engine, kind: str) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.scalars(text("SELECT message FROM hub_exception WHERE kind = :k"), {"k": kind})
        )


def test_a_product_without_its_customs_data_is_not_declared(
    hub_engine: Engine, floor: Station
) -> None:
    box = pack_bonded(hub_engine, floor, "SO-L1", (CREAM, 1), (MILK, 1), serial=11)
    stopped = parcel(hub_engine, box.sscc)
    assert stopped["customs_status"] == "pending"
    assert f"{MILK}: no HS code" in stopped["customs_text"]
    (message,) = _raised(hub_engine, "customs_data_missing")
    assert MILK in message
    with hub_engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM customs_message")).scalar_one() == 0


def test_a_product_without_its_ledger_item_is_not_declared(
    hub_engine: Engine, floor: Station
) -> None:
    with hub_engine.begin() as conn:
        conn.execute(text("DELETE FROM customs_item WHERE sku = :s"), {"s": SERUM})
    box = pack_bonded(hub_engine, floor, "SO-L2", (SERUM, 1), serial=12)
    assert "no bonded-ledger item" in parcel(hub_engine, box.sscc)["customs_text"]
    assert "customs_data_missing" in exception_kinds(hub_engine)


def test_a_list_over_customs_field_lengths_never_leaves(
    hub_engine: Engine, floor: Station, outbox: Path
) -> None:
    from tests.hub.customs_helpers import BUYER

    long_address = {**BUYER, "address": "深圳市前海深港合作区" * 25}  # 250 characters
    box = pack_bonded(hub_engine, floor, "SO-L3", (CREAM, 1), serial=13, consignee=long_address)
    assert parcel(hub_engine, box.sscc)["customs_status"] == "pending"
    (message,) = _raised(hub_engine, "customs_list_invalid")
    assert "consignee's address is 250 characters: customs takes at most 200" in message
    assert send_due(hub_engine) == []
    assert not outbox.exists()


def test_a_buyer_without_an_id_number_or_prices_in_another_currency_are_refused(
    hub_engine: Engine, floor: Station
) -> None:
    from tests.hub.planning_helpers import CONSIGNEE

    box = pack_bonded(
        hub_engine, floor, "SO-L4", (CREAM, 1), serial=14, consignee=CONSIGNEE, currency="USD"
    )
    text_ = parcel(hub_engine, box.sscc)["customs_text"]
    assert "no ID number" in text_
    assert "customs takes CNY only" in text_


def test_a_second_parcel_of_one_order_is_refused_a_second_list(
    hub_engine: Engine, floor: Station
) -> None:
    first = pack_bonded(hub_engine, floor, "SO-L5", (CREAM, 2), serial=15)
    again = floor.push(_repack(floor, "SO-L5", first.sscc, serial=16))
    assert again.rejected == []
    assert "bonded_order_split" in exception_kinds(hub_engine)


def _repack(station: Station, order: str, sscc: str, serial: int) -> object:
    from tests.hub.shipping_helpers import EMS, pack

    other = station.next_number("sscc")
    op = pack(
        station, other, order, [(CREAM, 1, "TOTE0009")], waybill=EMS.number(10_000_000 + serial)
    )
    for d in op.deltas:
        d.status = StockStatus.CUSTOMS_HOLD
    return op


def test_a_list_is_handed_over_once_under_its_guid(
    hub_engine: Engine, floor: Station, outbox: Path
) -> None:
    box = pack_bonded(hub_engine, floor, "SO-L6", (CREAM, 1), serial=17)
    lst = the_list(hub_engine, "SO-L6")
    name = file_name("CEB621", lst.guid)
    # A process died after writing the file and before recording it: the file is not rewritten.
    assert write_once(outbox, name, b"<first/>")
    assert send_due(hub_engine) == [lst.guid]
    assert (outbox / name).read_bytes() == b"<first/>"
    assert send_due(hub_engine) == []
    assert [p.name for p in outbox.iterdir()] == [name]
    assert the_list(hub_engine, "SO-L6").state == "sent"
    assert box.sscc in lst.body


def _send_from_another_process(url: str) -> list[str]:
    engine = make_hub_engine(url)
    try:
        return send_due(engine)
    finally:
        engine.dispose()


def test_two_hub_processes_hand_each_list_over_once(
    hub_engine: Engine, hub_db: str, floor: Station, outbox: Path
) -> None:
    for n in range(6):
        pack_bonded(
            hub_engine, floor, f"SO-P{n}", (CREAM, 1), serial=30 + n, tote=f"TOTE00{10 + n}"
        )
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        results = pool.map(_send_from_another_process, [hub_db, hub_db])
    sent = [g for r in results for g in r]
    assert len(sent) == len(set(sent)) == 6
    assert len(list(outbox.iterdir())) == 6
    for path in outbox.iterdir():
        valid(path.read_bytes())


def test_cancelling_after_the_list_was_sent_asks_customs_and_holds_the_parcel(
    hub_engine: Engine, floor: Station
) -> None:
    box = pack_bonded(hub_engine, floor, "SO-L7", (CREAM, 1), serial=18)
    send_due(hub_engine)
    with hub_engine.begin() as conn:
        receive(conn, "DEMO", receipt("CEB622", [answer(box.sscc, "120", "入库")]), "r1")
    with hub_engine.begin() as conn:
        cancel_order(conn, "DEMO", "SO-L7", "buyer changed their mind")
    assert order_status(hub_engine, "SO-L7") == "cancelled"
    assert parcel(hub_engine, box.sscc)["customs_status"] == "cancelling"
    request = the_list(hub_engine, "SO-L7", "CEB623")
    tree = valid(request.body)
    assert field(tree, "invtNo") == ["534920260000000001"]
    assert field(tree, "reason") == ["order cancelled: buyer changed their mind"]
    send_due(hub_engine)
    with hub_engine.begin() as conn:
        got = receive(
            conn, "DEMO", receipt("CEB624", [answer(request.cop_no, "399", "同意")]), "r2"
        )
    assert got.state == "applied", got.reason
    assert parcel(hub_engine, box.sscc)["customs_status"] == "cancelled"
    assert "customs_cancelled" in exception_kinds(hub_engine)


def test_a_cancel_waits_for_customs_list_number(hub_engine: Engine, floor: Station) -> None:
    box = pack_bonded(hub_engine, floor, "SO-L8", (CREAM, 1), serial=19)
    send_due(hub_engine)
    with hub_engine.begin() as conn:
        cancel_order(conn, "DEMO", "SO-L8", "fraud")
    waiting = the_list(hub_engine, "SO-L8", "CEB623")
    assert (waiting.state, waiting.body) == ("waiting", None)
    with hub_engine.begin() as conn:
        receive(conn, "DEMO", receipt("CEB622", [answer(box.sscc, "120")]), "r")
    assert the_list(hub_engine, "SO-L8", "CEB623").state == "queued"


def test_a_list_not_handed_over_yet_is_withdrawn_on_cancel(
    hub_engine: Engine, floor: Station
) -> None:
    box = pack_bonded(hub_engine, floor, "SO-L9", (CREAM, 1), serial=20)
    with hub_engine.begin() as conn:
        cancel_order(conn, "DEMO", "SO-L9", "changed")
    assert the_list(hub_engine, "SO-L9").state == "withdrawn"
    assert parcel(hub_engine, box.sscc)["customs_status"] == "cancelled"
    assert send_due(hub_engine) == []


def test_a_packed_domestic_order_still_cannot_be_cancelled(hub_engine: Engine) -> None:
    from tests.hub.planning_helpers import take

    with hub_engine.begin() as conn:
        take(conn, {**_domestic("SO-L10")})
        conn.execute(text("UPDATE sales_order SET status = 'packed' WHERE number = 'SO-L10'"))
    with hub_engine.begin() as conn, pytest.raises(CannotCancel):
        cancel_order(conn, "DEMO", "SO-L10", "late")


def _domestic(number: str) -> dict[str, object]:
    from tests.hub.planning_helpers import SHIRT, order_body

    return order_body(number, (SHIRT, 1))


def test_a_return_of_a_released_parcel_is_declared_and_re_enters_the_ledger(
    hub_engine: Engine, floor: Station
) -> None:
    box = pack_bonded(hub_engine, floor, "SO-R1", (CREAM, 2), serial=21)
    send_due(hub_engine)
    with hub_engine.begin() as conn:
        receive(conn, "DEMO", receipt("CEB622", [answer(box.sscc, "800")]), "r")
    out = moves_parcel(
        floor,
        "ship",
        box.sscc,
        [(CREAM, 2)],
        {"load": "LD-R", "carrier": "EMS"},
        source=PACK,
        to=None,
    )
    out.deltas[0].status = StockStatus.CUSTOMS_HOLD
    floor.push(out)
    back = Delta(sku=CREAM, location="RET-01", lot="", container="", status="available", delta=1)
    floor.send(
        "return",
        {"order": "SO-R1", "sku": CREAM, "units": 1, "location": "RET-01", "grade": "resaleable"},
        back,
    )
    request = the_list(hub_engine, "SO-R1", "CEB625")
    tree = valid(request.body)
    assert field(tree, "invtNo") == ["534920260000000001"]
    assert field(tree, "gnum") == ["1"]
    assert field(tree, "qty") == ["1"]
    assert ("return", CREAM, 1, None) in bonded_entries(hub_engine)
    with hub_engine.connect() as conn:
        status = conn.execute(
            text(
                "SELECT status FROM on_hand WHERE warehouse = 'DEMO' AND location = 'RET-01'"
                " AND sku = :s"
            ),
            {"s": CREAM},
        ).scalar_one()
    assert status == "customs_hold"  # back in bond, whatever the terminal booked


def test_a_return_with_no_released_list_is_raised(hub_engine: Engine, floor: Station) -> None:
    pack_bonded(hub_engine, floor, "SO-R2", (CREAM, 1), serial=22)
    back = Delta(sku=CREAM, location="RET-01", lot="", container="", status="available", delta=1)
    floor.send("return", {"order": "SO-R2", "sku": CREAM, "units": 1, "location": "RET-01"}, back)
    assert "customs_return_without_list" in exception_kinds(hub_engine)


def test_opening_a_declared_parcel_takes_its_list_back(hub_engine: Engine, floor: Station) -> None:
    box = pack_bonded(hub_engine, floor, "SO-U1", (CREAM, 1), serial=23)
    send_due(hub_engine)
    with hub_engine.begin() as conn:
        receive(conn, "DEMO", receipt("CEB622", [answer(box.sscc, "800")]), "r")
    opened = moves_parcel(
        floor, "unpack", box.sscc, [(CREAM, 1)], {"reason": "damaged", "to_location": BONDED_BIN},
        source=PACK, to=BONDED_BIN,
    )  # fmt: skip
    for d in opened.deltas:
        d.status = StockStatus.CUSTOMS_HOLD
    floor.push(opened)
    assert parcel(hub_engine, box.sscc)["customs_status"] == "cancelling"
    assert the_list(hub_engine, "SO-U1", "CEB623").state == "queued"
    assert DOCK  # the parcel never reached the dock


def test_a_malformed_return_is_rejected_not_a_crash(hub_engine: Engine) -> None:
    from wms.hub.sync.devices import DeviceRow, enrol, new_enrolment
    from wms.hub.sync.ingest import push
    from wms.sync.ops import invalid
    from wms.sync.wire import PushRequest

    with hub_engine.begin() as conn:
        device, _ = enrol(conn, new_enrolment(conn, "DEMO", 60)[1])
        bad = invalid("s-1", 1, "payload lacks order", "return", "1001")
        request = PushRequest.model_construct(epoch=1, ops=[bad])
        reply = push(conn, DeviceRow(device.id, "DEMO"), request)
    assert [r.seq for r in reply.rejected] == [1]
