"""Scans per fact on the demo warehouse (the figures hardware/TERMINAL.md gives): each fact is
done with the fewest inputs the workflows allow, and the test counts them."""

from __future__ import annotations

from tests.store_helpers import qty_at
from tests.tui.session_helpers import run_ok, session_at
from wms.services.context import Context

CASE_OF_6 = "(01)12000000000012(17)280407(10)L2611"  # SKU-00001's case GTIN, lot and expiry


def _inputs(lines: tuple[str, ...]) -> tuple[int, int, int]:
    """(scans, typed lines, keys) among replay lines."""
    typed = sum(line.startswith("type ") for line in lines)
    keys = sum(line.startswith("key ") for line in lines)
    return len(lines) - typed - keys, typed, keys


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


def test_pick_three_units_of_a_lot_in_three_inputs(ctx: Context) -> None:
    lines = ("A-01-01-A-1", "type 3", "(01)02000000000015(17)270611(10)L2601")
    view = run_ok(session_at(ctx, "pick"), *lines)  # the bin starts the offered task
    assert view.result == "Picked 3 SKU-00001"
    assert _inputs(lines) == (2, 1, 0)
    assert qty_at(ctx, "A-01-01-A-1", "SKU-00001", lot="L2601") == 37


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
