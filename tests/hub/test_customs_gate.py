"""The release gate end to end: a bonded-retail order waved, picked and packed; its import
list built, valid against customs' official schema and handed over through the outbox folder;
customs' receipt through the inbox decides: 800 lets the parcel ship (and deducts the bonded
ledger), 100 holds it back until a supervisor has it opened and its goods put back."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.hub.customs_helpers import (
    AGENT,
    BONDED_BIN,
    CREAM,
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
from tests.hub.webhook_helpers import outbox, subscribe
from wms.domain.customs import dispatch_refusal
from wms.domain.kinds import StockStatus
from wms.hub.customs.handover import read_inboxes, send_due
from wms.hub.customs.receipts import receive
from wms.hub.integration.sources import SOURCES
from wms.hub.integration.timeline import order_of, timeline
from wms.hub.supervision.choices import Resolution
from wms.hub.supervision.resolutions import CannotResolve, resolve

__all__ = ["every_message_valid"]  # every list the tests make is checked against the schema


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """The customs client's outbox and inbox folders."""
    return tmp_path / "outbox", tmp_path / "inbox"


@pytest.fixture
def floor(hub_engine: Engine, folders: tuple[Path, Path]) -> Station:
    """DEMO with carriers, customs codes, bonded stock of two products, and a pack station."""
    set_up_carriers(hub_engine)
    set_up_customs(hub_engine, *folders)
    bonded_stock(hub_engine, CREAM, 10)
    bonded_stock(hub_engine, SERUM, 10)
    return Station(hub_engine)


def _open_exceptions(engine: Engine, kind: str) -> list[dict[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT * FROM hub_exception WHERE kind = :k AND NOT resolved ORDER BY id"),
            {"k": kind},
        )
        return [dict(r._mapping) for r in rows]


def _feed_parcel(engine: Engine, sscc: str) -> dict[str, object]:
    with engine.connect() as conn:
        return dict(
            conn.execute(
                text("SELECT body FROM change WHERE kind = 'parcel' AND key = :s"), {"s": sscc}
            ).scalar_one()
        )


def _receive(engine: Engine, inbox: Path, name: str, body: bytes) -> None:
    inbox.mkdir(exist_ok=True)
    (inbox / name).write_bytes(body)
    read_inboxes(engine)


def test_a_released_parcel_ships_and_leaves_the_bonded_ledger(
    hub_engine: Engine, floor: Station, folders: tuple[Path, Path]
) -> None:
    outbox, inbox = folders
    box = pack_bonded(hub_engine, floor, "SO-C1", (CREAM, 2), (SERUM, 1), serial=1)
    assert parcel(hub_engine, box.sscc)["customs_status"] == "declared"
    assert send_due(hub_engine) == [the_list(hub_engine, "SO-C1").guid]
    (handed,) = outbox.iterdir()
    tree = valid(handed.read_bytes())
    assert field(tree, "tradeMode") == ["1210"]
    assert field(tree, "emsNo") == ["T5349W000001"]
    assert field(tree, "logisticsNo") == [parcel(hub_engine, box.sscc)["waybill"]]
    assert field(tree, "copNo") == [box.sscc]
    assert field(tree, "itemRecordNo") == ["ITEM-001", "ITEM-002"]
    assert field(tree, "qty") == ["2", "1"]
    assert field(tree, "qty1") == ["0.1", "0.05"]  # 0.05 kg of legal unit per jar
    assert field(tree, "buyerIdNumber") == ["310101199001011234"]
    assert field(tree, "grossWeight") == ["1.2"]
    assert dispatch_refusal("declared") is not None  # not released: the floor keeps it back

    _receive(hub_engine, inbox, "r1.xml", receipt("CEB622", [answer(box.sscc, "800", "放行")]))
    assert parcel(hub_engine, box.sscc)["customs_status"] == "released"
    published = _feed_parcel(hub_engine, box.sscc)
    assert (published["customs_status"], published["customs_text"]) == ("released", "放行")
    assert dispatch_refusal(str(published["customs_status"])) is None
    assert (inbox / "done" / "r1.xml").exists()

    contents = [(CREAM, 2), (SERUM, 1)]
    load = {"load": "LD-1", "carrier": "EMS", "dock": DOCK}
    ship = {"load": "LD-1", "order": "SO-C1", "carrier": "EMS"}
    loaded = moves_parcel(floor, "load", box.sscc, contents, load, source=PACK, to=DOCK)
    shipped = moves_parcel(floor, "ship", box.sscc, contents, ship, source=DOCK, to=None)
    for op in (loaded, shipped):
        for d in op.deltas:
            d.status = StockStatus.CUSTOMS_HOLD
    floor.push(loaded, shipped)
    assert "ship_of_unreleased_parcel" not in exception_kinds(hub_engine)
    assert order_status(hub_engine, "SO-C1") == "shipped"
    deducted = [e for e in bonded_entries(hub_engine) if e[0] == "deduct"]
    assert deducted == [("deduct", CREAM, -2, box.sscc), ("deduct", SERUM, -1, box.sscc)]
    with hub_engine.connect() as conn:
        order = order_of(conn, "DEMO", "SO-C1")
        assert order is not None
        kinds = [e.kind for e in timeline(conn, order, SOURCES)]
    assert kinds.index("packed") < kinds.index("declared") < kinds.index("customs_released")
    assert kinds.index("customs_released") < kinds.index("shipped")


def test_a_rejected_list_holds_the_parcel_back_until_it_is_opened(
    hub_engine: Engine, floor: Station, folders: tuple[Path, Path]
) -> None:
    _, inbox = folders
    box = pack_bonded(hub_engine, floor, "SO-C2", (CREAM, 1), serial=2)
    send_due(hub_engine)
    said = "订购人身份信息校验不通过"
    _receive(hub_engine, inbox, "r.xml", receipt("CEB622", [answer(box.sscc, "100", said)]))
    stopped = parcel(hub_engine, box.sscc)
    assert (stopped["customs_status"], stopped["customs_text"]) == ("rejected", said)
    refusal = dispatch_refusal("rejected", said)
    assert refusal is not None
    assert "rejected" in refusal
    assert said in refusal
    (exc,) = _open_exceptions(hub_engine, "customs_rejected")
    assert said in str(exc["message"])
    assert exc["details"]["steps"] == ["redeclare", "unpack"]  # type: ignore[index]

    with hub_engine.begin() as conn, pytest.raises(CannotResolve, match="accept, redeclare"):
        resolve(conn, int(exc["id"]), "maria", "wrong step", Resolution.HOLD)  # type: ignore[arg-type]
    with hub_engine.begin() as conn:
        resolve(conn, int(exc["id"]), "maria", "buyer unknown", Resolution.UNPACK)  # type: ignore[arg-type]
    assert "open it and put the goods back" in parcel(hub_engine, box.sscc)["customs_text"]

    opened = moves_parcel(
        floor,
        "unpack",
        box.sscc,
        [(CREAM, 1)],
        {"reason": "customs", "to_location": BONDED_BIN},
        source=PACK,
        to=BONDED_BIN,
    )
    for d in opened.deltas:
        d.status = StockStatus.CUSTOMS_HOLD
    floor.push(opened)
    assert parcel(hub_engine, box.sscc)["status"] == "void"
    assert len(_messages(hub_engine, "CEB623")) == 0  # a rejected list needs no cancelling
    with hub_engine.connect() as conn:
        back = conn.execute(
            text(
                "SELECT qty FROM on_hand WHERE warehouse = 'DEMO' AND sku = :s"
                " AND location = 'BND-01-02-A-1' AND status = 'customs_hold'"
            ),
            {"s": CREAM},
        ).scalar_one()
    assert back == 10  # all of it back in its bonded bin


def _messages(engine: Engine, kind: str) -> list[object]:
    with engine.connect() as conn:
        return list(
            conn.execute(text("SELECT * FROM customs_message WHERE kind = :k"), {"k": kind})
        )


def test_a_parcel_shipped_without_release_is_not_deducted(
    hub_engine: Engine, floor: Station
) -> None:
    box = pack_bonded(hub_engine, floor, "SO-C3", (CREAM, 1), serial=3)
    ship = {"load": "LD-3", "order": "SO-C3", "carrier": "EMS"}
    out = moves_parcel(floor, "ship", box.sscc, [(CREAM, 1)], ship, source=PACK, to=None)
    out.deltas[0].status = StockStatus.CUSTOMS_HOLD
    floor.push(out)
    assert "ship_of_unreleased_parcel" in exception_kinds(hub_engine)
    assert [e for e in bonded_entries(hub_engine) if e[0] == "deduct"] == []


def test_receipts_answer_every_status_code_customs_uses(hub_engine: Engine, floor: Station) -> None:
    box = pack_bonded(hub_engine, floor, "SO-C4", (CREAM, 1), serial=4)
    send_due(hub_engine)
    expected = {
        "1": "declared", "2": "declared", "3": "declared", "120": "declared", "300": "declared",
        "399": "declared", "4": "rejected", "-1": "rejected", "100": "rejected", "700": "rejected",
        "500": "held", "501": "held", "550": "held", "599": "held", "800": "released",
        "899": "released",
    }  # fmt: skip
    for n, (code, status) in enumerate(expected.items()):
        with hub_engine.begin() as conn:
            conn.execute(text("UPDATE customs_message SET status = 'declared', return_time = NULL"))
            conn.execute(text("UPDATE parcel SET customs_status = 'declared'"))
            body = receipt("CEB622", [answer(box.sscc, code, at=f"2026113010{n:02d}00000")])
            got = receive(conn, "DEMO", body, f"r{code}")
        assert got.state == "applied", (code, got.reason)
        assert parcel(hub_engine, box.sscc)["customs_status"] == status, code
    for code in ("42", "1000", "abc", "80O"):
        with hub_engine.begin() as conn:
            got = receive(conn, "DEMO", receipt("CEB622", [answer(box.sscc, code)]), code)
        assert got.state == "set_aside"
        assert "unknown status code" in str(got.reason)
    kinds = set(exception_kinds(hub_engine))
    assert {"customs_rejected", "customs_returned", "customs_inspection", "customs_held"} <= kinds
    assert "customs_receipt_set_aside" in kinds


def test_bad_receipts_are_set_aside_with_why_and_kept(
    hub_engine: Engine, floor: Station, folders: tuple[Path, Path]
) -> None:
    _, inbox = folders
    box = pack_bonded(hub_engine, floor, "SO-C5", (CREAM, 1), serial=5)
    send_due(hub_engine)
    other = {"agentCode": "9999999999", "ebcCode": "9999999999", "ebpCode": "9999999999"}
    bad = {
        "broken.xml": (b"<CEB622Message><InventoryReturn>", "not well-formed"),
        "nobody.xml": (
            receipt("CEB622", [answer(box.sscc, "800") | dict.fromkeys(other)]),
            "signed by nobody",
        ),
        "other.xml": (receipt("CEB622", [answer(box.sscc, "800") | other]), "another warehouse"),
        "unknown.xml": (receipt("CEB622", [answer("123456789012345678", "800")]), "answers no"),
        "schema.xml": (
            receipt("CEB622", [answer(box.sscc, "800") | {"returnStatus": None}]),
            "schema",
        ),
        "entity.xml": (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<CEB622Message xmlns="http://www.chinaport.gov.cn/ceb">&e;</CEB622Message>',
            "",
        ),
        "other-message.xml": (
            (Path(__file__).parent / "customs_samples" / "CEB621Message.xml").read_bytes(),
            "not a customs receipt",
        ),
    }
    inbox.mkdir()
    for name, (body, _) in bad.items():
        (inbox / name).write_bytes(body)
    read_inboxes(hub_engine)
    assert parcel(hub_engine, box.sscc)["customs_status"] == "declared"  # nothing got through
    with hub_engine.connect() as conn:
        kept = {
            r.source: (r.state, r.reason, r.body)
            for r in conn.execute(text("SELECT * FROM customs_receipt"))
        }
    for name, (body, why) in bad.items():
        state, reason, _stored = kept[name]
        assert state == "set_aside", name
        assert why in str(reason), (name, reason)
        assert (inbox / "set-aside" / name).read_bytes() == body  # the file itself, untouched
        assert (inbox / "set-aside" / f"{name}.why.txt").exists()
    assert "root:" not in str(kept["entity.xml"])  # no entity was resolved
    assert len(_open_exceptions(hub_engine, "customs_receipt_set_aside")) == len(bad)


def test_the_same_receipt_twice_is_one_receipt(hub_engine: Engine, floor: Station) -> None:
    from wms.hub.customs.receipts import receive

    box = pack_bonded(hub_engine, floor, "SO-C6", (CREAM, 1), serial=6)
    send_due(hub_engine)
    body = receipt("CEB622", [answer(box.sscc, "500", "查验")])
    with hub_engine.begin() as conn:
        first = receive(conn, "DEMO", body, "a.xml")
    with hub_engine.begin() as conn:
        again = receive(conn, "DEMO", body, "b.xml")
    assert (first.state, again.state, again.id) == ("applied", "duplicate", first.id)
    assert len(_open_exceptions(hub_engine, "customs_inspection")) == 1


def test_an_older_receipt_arriving_late_does_not_undo_a_later_one(
    hub_engine: Engine, floor: Station
) -> None:
    from wms.hub.customs.receipts import receive

    box = pack_bonded(hub_engine, floor, "SO-C7", (CREAM, 1), serial=7)
    send_due(hub_engine)
    with hub_engine.begin() as conn:
        receive(
            conn, "DEMO", receipt("CEB622", [answer(box.sscc, "800", at="20261130120000000")]), "x"
        )
        late = receipt("CEB622", [answer(box.sscc, "120", at="20261130110000000")])
        got = receive(conn, "DEMO", late, "y")
    assert got.answers[0]["changed"] is False
    assert parcel(hub_engine, box.sscc)["customs_status"] == "released"


def test_receipts_come_through_the_api_too(hub_engine: Engine, floor: Station, hub: object) -> None:
    from fastapi.testclient import TestClient

    from tests.hub.supervisor_helpers import supervisor_headers

    assert isinstance(hub, TestClient)
    box = pack_bonded(hub_engine, floor, "SO-C8", (CREAM, 1), serial=8)
    send_due(hub_engine)
    headers = supervisor_headers(hub_engine) | {"content-type": "application/xml"}
    body = receipt("CEB622", [answer(box.sscc, "800")])
    reply = hub.post("/v1/customs/receipts?warehouse=DEMO", content=body, headers=headers)
    assert reply.status_code == 200, reply.text
    assert reply.json()["state"] == "applied"
    assert parcel(hub_engine, box.sscc)["customs_status"] == "released"
    broken = hub.post("/v1/customs/receipts?warehouse=DEMO", content=b"<x", headers=headers)
    assert (broken.status_code, broken.json()["state"]) == (200, "set_aside")
    anonymous = hub.post("/v1/customs/receipts?warehouse=DEMO", content=body)
    assert anonymous.status_code == 401
    assert AGENT in body.decode()


def test_the_shop_hears_customs_decisions_by_webhook(hub_engine: Engine, floor: Station) -> None:
    subscribe(hub_engine, "https://shop.example/hooks")
    box = pack_bonded(hub_engine, floor, "SO-C9", (CREAM, 1), serial=9)
    send_due(hub_engine)
    for n, (code, said) in enumerate([("500", "查验"), ("800", "放行")]):
        with hub_engine.begin() as conn:
            body = receipt("CEB622", [answer(box.sscc, code, said, at=f"2026113012{n:02d}00000")])
            receive(conn, "DEMO", body, f"r{n}")
    events = [(e["type"], e["payload"]["data"]) for e in outbox(hub_engine)]
    customs = [
        (t, d.get("customs_status"), d.get("customs_text"))
        for t, d in events
        if "customs" in t or t == "order.declared"
    ]
    assert customs == [
        ("order.declared", "declared", None),
        ("order.customs_held", "held", "查验"),
        ("order.customs_released", "released", "放行"),
    ]
    assert all(d["parcel"] == box.sscc for t, d in events if t.startswith("order.customs"))
