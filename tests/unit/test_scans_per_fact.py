"""Scans per fact on the demo warehouse (the figures hardware/TERMINAL.md gives): each fact is
done with the fewest inputs the workflows allow, and the test counts them."""

from __future__ import annotations

from tests.store_helpers import qty_at
from tests.tui.session_helpers import run_ok, session_at
from wms.seed.floor import stage_demo_floor
from wms.services.context import Context

CASE_OF_6 = "(01)12000000000012(17)280407(10)L2611"  # SKU-00001's case GTIN, lot and expiry


def _inputs(lines: tuple[str, ...]) -> tuple[int, int, int]:
    """(scans, typed lines, keys) among replay lines."""
    typed = sum(line.startswith("type ") for line in lines)
    keys = sum(line.startswith("key ") for line in lines)
    weighed = sum(line.startswith("weigh ") for line in lines)
    return len(lines) - typed - keys - weighed, typed, keys


def test_receive_a_gs1_case_against_a_po_in_two_scans(ctx: Context) -> None:
    lines = ("PO-2026-0001", CASE_OF_6)
    run_ok(session_at(ctx, "receive"), *lines)
    assert _inputs(lines) == (2, 0, 0)
    assert qty_at(ctx, "DOCK-01", "SKU-00001", lot="L2611") == 6


def test_put_that_case_away_with_the_case_and_the_bin(ctx: Context) -> None:
    run_ok(session_at(ctx, "receive"), "PO-2026-0001", CASE_OF_6)
    s = session_at(ctx, "putaway")
    target = run_ok(s, CASE_OF_6).prompt.split()[3].rstrip(":")  # "Put away to X: scan it"
    lines = (CASE_OF_6, target)
    run_ok(s, target)
    assert _inputs(lines) == (2, 0, 0)
    assert qty_at(ctx, target, "SKU-00001", lot="L2611") == 6


def test_pick_three_units_of_a_lot_into_a_tote_in_five_inputs(ctx: Context) -> None:
    lines = (
        "CART-01",
        "TOTE0001",
        "A-01-01-A-1",
        "type 3",
        "(01)02000000000015(17)270611(10)L2601",
    )
    view = run_ok(session_at(ctx, "pick"), *lines)  # the cart starts the offered task
    assert view.result == "Picked 3 SKU-00001"
    assert _inputs(lines) == (4, 1, 0)
    assert qty_at(ctx, "A-01-01-A-1", "SKU-00001", lot="L2601") == 37
    assert qty_at(ctx, "CART-01", "SKU-00001", lot="L2601", container="TOTE0001") == 3


def test_pack_a_two_line_order_from_its_tote_in_five_inputs(ctx: Context) -> None:
    stage_demo_floor(ctx.engine)
    s = session_at(ctx, "pack")
    run_ok(s, "PACK-01")  # once per terminal: the station is remembered
    lines = (
        "TOTE0010",
        "(01)02000000000015(10)L2601",
        "(01)02000000000015(10)L2601",
        "2000000014012",
        "key F4",
        "weigh 2280",
    )
    view = run_ok(s, *lines)
    assert view.result.endswith("SO-2026-0004 packed")
    assert _inputs(lines) == (4, 0, 1)  # the scale's reading is no input
    assert qty_at(ctx, "CART-04", "SKU-00001", container="TOTE0010") == 0
    assert qty_at(ctx, "PACK-01", "SKU-00001", lot="L2601") == 2


def test_count_a_bin_of_three_lots_in_eight_inputs(ctx: Context) -> None:
    lines = (
        "CT-0004",
        "P-01-01-A-1",
        "(01)02000000000039(17)270920(10)L2620",
        "type 12",
        "(01)02000000000039(17)280118(10)L2621",
        "type 12",
        "(01)02000000000039(17)280407(10)L2622",
        "type 8",
        "key F4",
    )
    view = run_ok(session_at(ctx, "count"), *lines)
    assert view.result == "Count CT-0004 recorded"
    assert _inputs(lines) == (5, 3, 1)
