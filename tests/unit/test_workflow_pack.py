"""The pack station as a state machine: a tote's order comes up, every item scanned is checked
at once (wrong item, surplus, a lot not picked), the carton, the weight against what the parcel
should weigh, the parcel closed with numbers from this terminal's blocks; several parcels per
order; reprint and opening a parcel again."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from tests.store_helpers import op_count, qty_at
from tests.tui.session_helpers import APPAREL, FORMULA, run, run_ok, session_at
from wms.seed.floor import stage_demo_floor
from wms.seed.gtins import case_gtin14
from wms.services.context import Context
from wms.sync.apply import apply_page
from wms.sync.wire import Change
from wms.workflows.base import Level
from wms.workflows.menu import default_menu
from wms.workflows.replay import feed
from wms.workflows.session import Session

LOT_OK = f"(01)0{FORMULA}(10)L2601"  # the lot picked into TOTE0010 for SO-2026-0004
LOT_OTHER = f"(01)0{FORMULA}(10)L2602"


@pytest.fixture
def floor(ctx: Context) -> Context:
    """The demo's outbound floor: SO-2026-0004 waits in TOTE0010 on CART-04."""
    stage_demo_floor(ctx.engine)
    return ctx


def _packing(ctx: Context) -> Session:
    s = session_at(ctx, "pack")
    run_ok(s, "PACK-01", "TOTE0010")
    return s


def _pack_op(ctx: Context) -> dict[str, object]:
    with ctx.engine.connect() as c:
        row = c.execute(text("SELECT payload FROM oplog WHERE type = 'pack' ORDER BY seq")).all()
    assert len(row) == 1
    return dict(json.loads(row[0][0]))


def test_a_tote_brings_up_its_order_and_what_is_missing(floor: Context) -> None:
    view = run_ok(session_at(floor, "pack"), "PACK-01", "TOTE0010")
    assert view.prompt == "Scan the items: 3 to go"
    assert view.context == ("SO-2026-0004 SF · TOTE0010", "SKU-00001 0/2", "SKU-01401 0/1")


def test_the_order_number_works_as_well_as_its_tote(floor: Context) -> None:
    view = run_ok(session_at(floor, "pack"), "PACK-01", "SO-2026-0004")
    assert view.prompt == "Scan the items: 3 to go"


def test_an_empty_tote_and_a_bin_for_a_station_are_refused(floor: Context) -> None:
    s = session_at(floor, "pack")
    assert run(s, "A-01-01-A-1").result == "A-01-01-A-1 is not a pack station"
    assert run(s, "key ENTER", "PACK-01", "TOTE0001").result == "TOTE0001 is empty: nothing to pack"


def test_a_wrong_item_a_lot_not_picked_and_a_surplus_are_refused_on_the_spot(
    floor: Context,
) -> None:
    s = _packing(floor)
    wrong = run(s, "2000000003016")
    assert wrong.level is Level.ERROR
    assert wrong.result == "SKU-00301 is not in order SO-2026-0004: put it aside"
    refused = run(s, "key ENTER", LOT_OTHER)
    assert refused.result == "Lot L2602 was not picked for SO-2026-0004: take L2601"
    run_ok(s, "key ENTER", APPAREL)
    assert run(s, APPAREL).result == (
        "Surplus SKU-01401: all picked for SO-2026-0004 are packed (1 here)"
    )
    # A case counts its pack: more than the two picked.
    case = f"(01){case_gtin14(FORMULA)}(10)L2601"
    refused = run(s, "key ENTER", case)
    assert refused.result == "Surplus: only 2 more SKU-00001 picked for SO-2026-0004"
    view = run_ok(s, "key ENTER")
    assert view.context[1:] == ("SKU-00001 0/2", "SKU-01401 ok")  # nothing refused counted


def test_a_plain_ean_takes_the_one_lot_picked(floor: Context) -> None:
    s = _packing(floor)
    assert run_ok(s, FORMULA).result == "SKU-00001 × 1 in (1/2)"


def test_the_last_item_moves_on_to_the_carton_with_a_suggestion(floor: Context) -> None:
    s = _packing(floor)
    view = run_ok(s, LOT_OK, LOT_OK, APPAREL)
    assert view.step == "carton"
    assert view.prompt == "Scan the carton (F4: BOX-M)"  # the shirt is too long for BOX-S
    view = run_ok(s, "BOX-S")
    assert (view.step, view.prompt) == ("weight", "Weigh it ~2.170 kg or type the weight")


def test_a_typed_weight_closes_the_parcel_with_its_numbers(floor: Context) -> None:
    s = _packing(floor)
    view = run_ok(s, LOT_OK, LOT_OK, APPAREL, "key F4", "type 2.3")
    assert view.result == "Parcel 000011 closed 2.300 kg · SF100000000001 · SO-2026-0004 packed"
    assert view.step == "start"
    op = _pack_op(floor)
    assert op["parcel"] == "995011010000000011"
    assert (op["waybill"], op["carton"], op["weight_g"]) == ("SF100000000001", "BOX-M", 2300)
    assert (op["expected_g"], op["weight_source"], op["station"]) == (2270, "typed", "PACK-01")
    assert op["lines"] == [
        {
            "sku": "SKU-00001",
            "lot": "L2601",
            "units": 2,
            "from_location": "CART-04",
            "from_container": "TOTE0010",
        },
        {
            "sku": "SKU-01401",
            "lot": "",
            "units": 1,
            "from_location": "CART-04",
            "from_container": "TOTE0010",
        },
    ]
    assert qty_at(floor, "CART-04", "SKU-00001", container="TOTE0010") == 0
    assert qty_at(floor, "PACK-01", "SKU-00001", lot="L2601", container=op["parcel"]) == 2


def test_a_weight_out_of_tolerance_is_refused_and_kept_only_by_a_supervisor(
    floor: Context,
) -> None:
    s = _packing(floor)
    run_ok(s, LOT_OK, LOT_OK, APPAREL, "key F4")
    before = op_count(floor)
    view = run(s, "weigh 3400")
    assert view.result == (
        "3.400 kg is 1130 g too heavy: expected 2.270 kg ± 227 g: check the parcel"
    )
    assert run_ok(s, "key ENTER").prompt == "Weigh again, or supervisor badge keeps 3.400 kg"
    assert run(s, "OP0001").result == "Only a supervisor may keep a weight out of tolerance"
    assert op_count(floor) == before
    view = run_ok(s, "key ENTER", "OP0009")
    assert view.result.startswith("Parcel 000011 closed 3.400 kg")
    assert _pack_op(floor)["weight_source"] == "scale"


def test_a_parcel_left_on_the_scale_is_not_taken_for_the_next_one(floor: Context) -> None:
    s = session_at(floor, "pack")
    run_ok(s, "PACK-01", "TOTE0010", LOT_OK, "key F4", "BOX-S", "weigh 1050")
    assert run_ok(s, APPAREL, "key F4").step == "carton"  # the rest: a second parcel
    view = run_ok(s, "BAG-P")
    # The first parcel still sits on the scale: nothing is taken until a new one is put down.
    assert view.step == "weight"
    assert run_ok(s, "weigh 290").result.startswith("Parcel 000028 closed 0.290 kg")


def test_several_parcels_of_one_order_never_mix_orders(floor: Context) -> None:
    s = _packing(floor)
    first = run_ok(s, LOT_OK, "key F4", "BOX-S", "type 1030")
    assert first.result == "Parcel 000011 closed 1.030 kg · SF100000000001"
    assert (first.step, first.progress) == ("items", "parcel 2")
    assert first.prompt == "Scan the items: 2 to go"
    run_ok(s, LOT_OK, APPAREL, "key F4", "type 1400")
    with floor.engine.connect() as c:
        parcels = c.execute(
            text("SELECT sscc, order_number, waybill FROM parcel WHERE packed_here ORDER BY sscc")
        ).all()
    assert [tuple(p) for p in parcels] == [
        ("995011010000000011", "SO-2026-0004", "SF100000000001"),
        ("995011010000000028", "SO-2026-0004", "SF100000000002"),
    ]


def test_no_numbers_left_says_to_sync_and_records_nothing(floor: Context) -> None:
    with floor.engine.begin() as c:
        c.execute(text("UPDATE numberblock SET used = last - first + 1 WHERE kind = 'sscc'"))
    s = _packing(floor)
    before = op_count(floor)
    view = run(s, LOT_OK, LOT_OK, APPAREL, "key F4", "type 2270")
    assert view.result == "No parcel numbers (SSCC) left on this terminal: sync to get more"
    assert op_count(floor) == before
    assert qty_at(floor, "CART-04", "SKU-00001", container="TOTE0010") == 2
    assert s.take_sync_wish()  # the app syncs at once; the parcel waits at the scale


def test_a_terminal_packing_for_the_first_time_syncs_for_its_numbers(floor: Context) -> None:
    """Its next syncs ask the hub for parcel and waybill numbers; the first one starts now, so
    the first parcel does not wait for the background interval."""
    with floor.engine.begin() as c:  # enrolled, not packing yet
        c.execute(
            text(
                "INSERT INTO syncstate (hub_url, token, warehouse)"
                " VALUES ('http://127.0.0.1:8750', 'secret', 'DEMO')"
            )
        )
    s = session_at(floor, "pack")
    assert s.take_sync_wish()
    assert not s.take_sync_wish()  # once
    run(s, "PACK-01", "key ESC", "start pack")
    assert not s.take_sync_wish()  # already a pack station
    with floor.engine.connect() as c:
        assert c.execute(text("SELECT packs FROM syncstate")).scalar() == 1


def test_a_parcel_is_reprinted_and_opened_again_from_its_label(floor: Context) -> None:
    printed: list[str] = []

    class Labels:
        def print_shipping(self, facts: object) -> None:
            printed.append(getattr(facts, "waybill"))  # noqa: B009

    s = Session(floor, default_menu(labels=Labels()))  # type: ignore[arg-type]
    feed(s, "OP0001")
    feed(s, "start pack")
    run_ok(s, "PACK-01", "TOTE0010", LOT_OK, LOT_OK, APPAREL, "key F4", "type 2280")
    for job in s.take_jobs():
        job.send()
    label = "(00)995011010000000011"
    assert run_ok(s, label).prompt == "#YES reprint · #NO open it again"
    run_ok(s, "#YES")
    for job in s.take_jobs():
        job.send()
    assert printed == ["SF100000000001", "SF100000000001"]
    view = run_ok(s, label, "#NO", "type wrong weight")
    assert view.result == "Parcel 000011 opened: 3 units on the bench"
    assert qty_at(floor, "PACK-01", "SKU-00001", lot="L2601") == 2  # loose, on the bench
    assert run(s, label).result == "Parcel of SO-2026-0004: void"
    assert run(s, "#YES").result == "Parcel 995011010000000011 is void: it has no label"
    # Packed again from the bench: the same order, a new parcel and a new waybill.
    view = run_ok(s, "key ENTER", "key F3", "SO-2026-0004")
    assert view.prompt == "Scan the items: 3 to go"
    view = run_ok(s, LOT_OK, LOT_OK, APPAREL, "key F4", "type 2280")
    assert view.result.endswith("SF100000000002 · SO-2026-0004 packed")


def _bonded(ctx: Context) -> None:
    """SO-2026-0004 as a bonded-retail (1210) order: its parcel goes to customs."""
    with ctx.engine.begin() as c:
        sql = "UPDATE outboundorder SET kind = 'bonded_retail' WHERE number = 'SO-2026-0004'"
        c.execute(text(sql))


def test_a_product_without_customs_data_stays_out_of_a_bonded_parcel(floor: Context) -> None:
    """Refused at the pack station, in words, before customs would stop the parcel's list;
    once the hub's customs data for it is pulled, the same scan goes in."""
    _bonded(floor)
    s = _packing(floor)
    refused = run(s, LOT_OK)
    assert refused.level is Level.ERROR
    assert refused.result == (
        "SKU-00001 cannot go into a bonded parcel: no customs data (HS code, units, origin,"
        " bonded-ledger item). Ask the supervisor."
    )
    data = {"sku": "SKU-00001", "hs_code": "1901101000", "unit": "122", "legal_unit": "035"}
    half = Change(kind="customs_item", key="SKU-00001", body=data | {"origin": "502"})
    apply_page(floor.engine, [half], 1)
    s = _packing(floor)
    assert run(s, LOT_OK).result == (
        "SKU-00001 cannot go into a bonded parcel: no bonded-ledger item. Ask the supervisor."
    )
    whole = half.model_copy(update={"body": half.body | {"item_record_no": "10"}})  # type: ignore[operator]
    apply_page(floor.engine, [whole], 1)
    s = _packing(floor)
    assert run_ok(s, LOT_OK).result == "SKU-00001 × 1 in (1/2)"
    assert qty_at(floor, "CART-04", "SKU-00001") == 2  # stock moves only when the parcel closes


def test_customs_data_withdrawn_at_the_hub_is_withdrawn_here(floor: Context) -> None:
    _bonded(floor)
    body = {"sku": "SKU-00001", "hs_code": "1901101000", "unit": "122", "legal_unit": "035"}
    body |= {"origin": "502", "item_record_no": "10"}
    apply_page(floor.engine, [Change(kind="customs_item", key="SKU-00001", body=body)], 1)
    apply_page(floor.engine, [Change(kind="customs_item", key="SKU-00001", body=None)], 1)
    assert run(_packing(floor), LOT_OK).result.startswith("SKU-00001 cannot go into a bonded")
