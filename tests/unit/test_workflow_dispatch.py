"""Dispatch as a state machine: a load at the dock takes its first parcel's carrier; every
parcel that may not go is refused in the loader's words; closing the load ships its parcels,
one ``ship`` op each and their stock gone, and a ``close_load``."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from tests.store_helpers import op_count, qty_at
from tests.tui.session_helpers import APPAREL, FORMULA, run, run_ok, session_at
from wms.seed.floor import demo_sscc, stage_demo_floor
from wms.services.context import Context
from wms.sync.shipping import apply_shipping

SF_OK, YTO, HELD, CANCELLED = (f"(00){demo_sscc(n)}" for n in (9001, 9002, 9003, 9004))


@pytest.fixture
def floor(ctx: Context) -> Context:
    """The demo's outbound floor: four parcels other stations closed wait at PACK-02."""
    stage_demo_floor(ctx.engine)
    return ctx


def _ops(ctx: Context, kind: str) -> list[dict[str, object]]:
    with ctx.engine.connect() as c:
        rows = c.execute(
            text("SELECT payload FROM oplog WHERE type = :t ORDER BY seq"), {"t": kind}
        )
        return [json.loads(r[0]) for r in rows]


def _loading(ctx: Context) -> object:
    s = session_at(ctx, "dispatch")
    assert run_ok(s, "LD-1").prompt == "New load LD-1: scan the dock"
    assert run(s, "A-01-01-A-1").result == "A-01-01-A-1 is not a dock: scan the outbound dock"
    run_ok(s, "key ENTER", "ODOCK-01")
    return s


def test_each_refusal_says_why_in_the_loaders_words(floor: Context) -> None:
    s = _loading(floor)
    view = run_ok(s, SF_OK)
    assert view.result == "Loaded 090012 (SO-2026-0005): 1 on LD-1"
    assert view.context[:3] == ("Load LD-1", "SF · ODOCK-01", "1 parcel on it")
    before = op_count(floor)
    refusals = {
        YTO: "Parcel …090029 goes by YTO, this load is SF's",
        HELD: "Parcel …090036: Not declared to customs yet: it cannot leave.",
        CANCELLED: "Order SO-2026-0008 was cancelled: take parcel …090043 back to packing",
        SF_OK: "Parcel …090012 is already on this load",
        f"(00){demo_sscc(4242)}": "Parcel …042424 is not packed (not known here): take it back to"
        " packing",
    }
    for label, why in refusals.items():
        assert run(s, "key ENTER", label).result == why
    assert op_count(floor) == before
    # On another load too: a parcel is on one load only.
    other = session_at(floor, "dispatch")
    assert run(other, "LD-2", "ODOCK-01", SF_OK).result == "Parcel …090012 is already on load LD-1"


def test_customs_releasing_the_parcel_lets_it_go(floor: Context) -> None:
    with floor.engine.begin() as c:
        body = {"sscc": demo_sscc(9003), "order": "SO-2026-0007", "carrier": "SF"}
        apply_shipping(c, "parcel", body["sscc"], {**body, "status": "packed",
                       "waybill": "SF000000009003", "customs_status": "released"})  # fmt: skip
    s = _loading(floor)
    assert run_ok(s, HELD).result == "Loaded 090036 (SO-2026-0007): 1 on LD-1"


def test_a_parcel_customs_rejected_is_refused_with_customs_own_words(floor: Context) -> None:
    with floor.engine.begin() as c:
        body = {"sscc": demo_sscc(9003), "order": "SO-2026-0007", "carrier": "SF"}
        body |= {"status": "packed", "waybill": "SF000000009003", "customs_status": "rejected"}
        apply_shipping(
            c, "parcel", body["sscc"], body | {"customs_text": "订购人身份信息校验不通过"}
        )
    refused = run(_loading(floor), HELD)
    assert refused.result == (
        "Parcel …090036: Customs rejected it: take it to the supervisor."
        " Customs: 订购人身份信息校验不通过"
    )


def test_closing_the_load_ships_its_parcels_once(floor: Context) -> None:
    s = _loading(floor)
    run_ok(s, SF_OK)
    assert qty_at(floor, "ODOCK-01", "SKU-01401", container=demo_sscc(9001)) == 1
    assert run_ok(s, "key F4").prompt == "Ship 1 parcel now? #YES / #NO"
    assert run_ok(s, "#NO").prompt == "Scan each parcel · F4 closes the load"
    view = run_ok(s, "key F4", "#YES")
    assert view.result == "Load LD-1 shipped: 1 parcel, 1 unit"
    assert qty_at(floor, "ODOCK-01", "SKU-01401") == 0
    [ship] = _ops(floor, "ship")
    assert ship == {
        "load": "LD-1",
        "parcel": demo_sscc(9001),
        "order": "SO-2026-0005",
        "carrier": "SF",
        "waybill": "SF000000009001",
    }
    assert _ops(floor, "close_load") == [
        {"load": "LD-1", "carrier": "SF", "dock": "ODOCK-01", "parcels": 1}
    ]
    # Shipped: its consignee leaves the terminal with it.
    with floor.engine.connect() as c:
        names = c.execute(
            text("SELECT o.number FROM orderconsignee c JOIN outboundorder o ON o.id = c.order_id")
        ).scalars()
        assert "SO-2026-0005" not in set(names)
    assert run(s, "LD-1").result == "Load LD-1 is closed: scan a new load"
    assert run(s, "key ENTER", "LD-3", "ODOCK-01", SF_OK).result == (
        "Parcel …090012 has shipped already"
    )


def test_a_parcel_packed_here_goes_out_the_same_way(floor: Context) -> None:
    pack = session_at(floor, "pack")
    lot = f"(01)0{FORMULA}(10)L2601"
    run_ok(pack, "PACK-01", "TOTE0010", lot, lot, APPAREL, "key F4", "type 2270")
    s = _loading(floor)
    view = run_ok(s, "(00)995011010000000011", "key F4", "#YES")
    assert view.result == "Load LD-1 shipped: 1 parcel, 3 units"
    assert qty_at(floor, "PACK-01", "SKU-00001") == 0
    assert qty_at(floor, "ODOCK-01", "SKU-00001") == 0
