"""The outbound planning rules, without a database: which stock a line takes, how carts are
filled and walked, and which products are counted most often."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wms.domain.abc import best_class, classify, due
from wms.domain.allocation import Need, Stock, choose, lot_refusal
from wms.domain.waves import CartLimits, PickLine, cluster_tasks, single_tasks, walk_order

TODAY = date(2026, 11, 24)


def _stock(location: str, qty: int, **kw: object) -> Stock:
    fields: dict[str, object] = {
        "lot": "",
        "container": "",
        "status": "available",
        "free": qty,
        "face": False,
        "walk": 0,
        **kw,
    }
    return Stock(location=location, qty=qty, **fields)  # type: ignore[arg-type]


def _need(qty: int, **kw: object) -> Need:
    return Need(qty=qty, statuses=("available",), dispatch=TODAY, **kw)  # type: ignore[arg-type]


def _taken(chosen: list[tuple[Stock, int]]) -> list[tuple[str, str, int]]:
    return [(s.location, s.lot, n) for s, n in chosen]


def test_fefo_by_removal_date_across_bins() -> None:
    late = _stock("FACE", 10, lot="L-LATE", expiry=date(2027, 12, 1), face=True)
    early = _stock("RES", 10, lot="L-EARLY", expiry=date(2027, 6, 1))
    # The earlier removal date goes first, even from reserve rather than the face.
    assert _taken(choose(_need(12, margin_days=30), [late, early])) == [
        ("RES", "L-EARLY", 10),
        ("FACE", "L-LATE", 2),
    ]


def test_lots_short_of_shelf_life_at_dispatch_are_refused() -> None:
    short = _stock("A", 10, lot="SHORT", expiry=date(2027, 1, 10))
    good = _stock("B", 10, lot="GOOD", expiry=date(2028, 1, 1))
    assert _taken(choose(_need(5, min_days=90), [short, good])) == [("B", "GOOD", 5)]
    assert lot_refusal(date(2027, 1, 10), _need(1, min_days=90)) == (
        "47 days of shelf life left at dispatch, needs 90"
    )
    past = _need(1, margin_days=60)  # removal date 2026-11-11: already past at dispatch
    assert lot_refusal(date(2027, 1, 10), past) == "past its removal date at dispatch (2026-11-24)"


def test_pick_face_before_reserve_for_eaches() -> None:
    face = _stock("FACE", 4, face=True, walk=50)
    reserve = _stock("RES", 100, walk=10)
    assert _taken(choose(_need(3), [reserve, face])) == [("FACE", "", 3)]
    assert _taken(choose(_need(6), [reserve, face])) == [("FACE", "", 4), ("RES", "", 2)]


def test_whole_cases_and_pallets_come_from_reserve() -> None:
    face = _stock("FACE", 30, face=True)
    loose = _stock("RES", 50)
    pallet = _stock("RES2", 40, container="SSCC-1")
    # 97 units: the whole pallet (40), then whole cases of 12 from loose reserve (48), the
    # remaining 9 eaches from the face.
    chosen = choose(_need(97, case_qty=12), [face, loose, pallet])
    assert _taken(chosen) == [("RES2", "", 40), ("RES", "", 48), ("FACE", "", 9)]
    # A pallet someone else has a claim on is not taken whole.
    partly = _stock("RES2", 40, container="SSCC-1", free=30)
    assert ("RES2", "", 30) not in _taken(choose(_need(35), [face, partly]))


def test_trade_mode_statuses_lots_and_free_units_bound_the_choice() -> None:
    bonded = _stock("BND", 10, status="customs_hold")
    cleared = _stock("A", 10)
    recalled = _stock("Q", 10, status="recalled")
    bonded_first = Need(qty=15, statuses=("customs_hold", "available"), dispatch=TODAY)
    assert _taken(choose(bonded_first, [cleared, bonded, recalled])) == [
        ("BND", "", 10),
        ("A", "", 5),
    ]
    assert choose(_need(5), [bonded, recalled]) == []
    assert _taken(
        choose(_need(5, lot="L2"), [_stock("A", 9, lot="L1"), _stock("B", 9, lot="L2")])
    ) == [("B", "L2", 5)]
    assert _taken(choose(_need(5), [_stock("A", 9, free=2)])) == [("A", "", 2)]


@given(
    st.integers(1, 200),
    st.lists(
        st.tuples(st.integers(0, 60), st.integers(0, 60), st.booleans(), st.booleans()), max_size=8
    ),
    st.sampled_from([None, 6, 12]),
)
def test_never_more_than_asked_nor_than_a_row_has_free(
    qty: int, rows: list[tuple[int, int, bool, bool]], case: int | None
) -> None:
    stocks = [
        _stock(f"B{i}", held, free=min(free, held), face=face, container="P" if pallet else "")
        for i, (held, free, face, pallet) in enumerate(rows)
    ]
    chosen = choose(_need(qty, case_qty=case), stocks)
    assert sum(n for _, n in chosen) <= qty
    assert all(0 < n <= s.free for s, n in chosen)
    if sum(s.free for s in stocks) >= qty:
        assert sum(n for _, n in chosen) == qty  # enough stock: the line is served in full


def _line(order: str, location: str, walk: int, qty: int = 1, weight: int = 0) -> PickLine:
    return PickLine(order, 1, "SKU", location, "", "", "available", qty, walk, weight)


def test_carts_respect_totes_lines_and_weight_and_walk_once() -> None:
    lines = [_line(f"O{i}", f"B{i}", 10 * i) for i in range(5)]
    carts = cluster_tasks(lines, CartLimits(totes=2))
    assert [c.orders for c in carts] == [("O0", "O1"), ("O2", "O3"), ("O4",)]
    assert [c.cluster for c in carts] == [True, True, False]  # one order: a single-order task
    assert carts[0].tote(lines[1]) == 2
    assert carts[2].tote(lines[4]) is None
    by_lines = cluster_tasks([*lines, _line("O0", "B9", 95)], CartLimits(totes=5, max_lines=3))
    assert [c.orders for c in by_lines] == [("O0", "O1"), ("O2", "O3", "O4")]
    heavy = [_line("A", "B1", 1, weight=9000), _line("B", "B2", 2, weight=2000)]
    assert [c.orders for c in cluster_tasks(heavy, CartLimits(5, None, 10_000))] == [("A",), ("B",)]
    with pytest.raises(ValueError, match="at least one tote"):
        cluster_tasks(lines, CartLimits(totes=0))


def test_a_cart_is_walked_in_one_pass_across_its_orders() -> None:
    lines = [_line("O1", "C", 30), _line("O2", "A", 10), _line("O1", "A", 10), _line("O2", "B", 20)]
    (cart,) = cluster_tasks(lines, CartLimits(totes=4))
    assert [(ln.location, ln.order) for ln in cart.lines] == [
        ("A", "O1"),
        ("A", "O2"),
        ("B", "O2"),
        ("C", "O1"),
    ]
    assert [t.orders for t in single_tasks(lines)] == [("O1",), ("O2",)]
    assert walk_order(lines)[0].location == "A"


def test_abc_classes_from_picks() -> None:
    picks = {"FAST": 80, "MID": 15, "SLOW": 4, "RARE": 1, "NEVER": 0}
    assert classify(picks) == {"FAST": "A", "MID": "B", "SLOW": "C", "RARE": "C", "NEVER": "C"}
    assert best_class({"FAST": "A", "SLOW": "C"}, ["SLOW", "FAST"]) == "A"
    assert best_class({}, []) == "C"
    assert due(None, 30, TODAY)
    assert not due(date(2026, 11, 1), 30, TODAY)
    assert due(date(2026, 10, 25), 30, TODAY)
    with pytest.raises(ValueError, match="shares"):
        classify(picks, a_share=0.9, b_share=0.5)
