"""Scorecard figures against a hand-computed example (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from wms.hub.supervision.scorecard import load_weights, scorecard
from wms.hub.supervision.scorecard_rules import (
    LineFacts,
    ReceiptFacts,
    indicators,
    parse_weights,
    period_range,
    score,
)

# R1 arrives on its day; R2 two days late, over on A, an unadvised C, a missing D.
R1 = ReceiptFacts(
    "Nordic Dairy AB",
    "PO-1",
    date(2026, 11, 10),
    date(2026, 11, 10),
    (LineFacts("A", 100, 90, damaged=5), LineFacts("B", 50, 50, short_life=10)),
)
R2 = ReceiptFacts(
    "Nordic Dairy AB",
    "ASN-2",
    date(2026, 11, 12),
    date(2026, 11, 14),
    (LineFacts("A", 40, 50), LineFacts("C", 0, 10), LineFacts("D", 20, 0)),
)


def test_the_scorecard_equals_the_hand_computation() -> None:
    [card] = scorecard([R1, R2], load_weights(), "2026-11")
    assert card.counts["receipts"] == 2
    assert card.counts["expected_units"] == 210  # 100 + 50 + 40 + 0 + 20
    assert card.counts["filled_units"] == 180  # 90 + 50 + 40 (over-delivery not counted)
    assert card.counts["received_units"] == 200
    assert card.indicators == pytest.approx(
        {
            "on_time": 50.0,  # 1 of 2 receipts
            "fill_rate": 100 * 180 / 210,  # 85.714…
            "damage": 97.5,  # 195 of 200 units undamaged
            "shelf_life": 95.0,  # 190 of 200 units with enough shelf life
            "over_short": 20.0,  # 1 of 5 lines exact (B)
            "asn_accuracy": 60.0,  # A, B, A scanned and advised; C unadvised, D missing
        }
    )
    delivery = 0.5 * 50 + 0.5 * (100 * 180 / 210)  # 67.857…
    quality = 0.5 * 97.5 + 0.5 * 95  # 96.25
    accuracy = 0.5 * 20 + 0.5 * 60  # 40
    assert card.score == pytest.approx(0.4 * delivery + 0.35 * quality + 0.25 * accuracy)
    assert card.score == pytest.approx(70.830357, abs=1e-6)


def test_an_indicator_without_facts_leaves_its_weight_to_the_others() -> None:
    undated = ReceiptFacts(
        "Maison Beaute", "PO-3", None, date(2026, 11, 1), (LineFacts("A", 10, 5),)
    )
    values = indicators({**scorecard([undated], load_weights())[0].counts})
    assert values["on_time"] is None
    weights = parse_weights(
        "[delivery]\nweight = 0.5\non_time = 0.5\nfill_rate = 0.5\n"
        "[accuracy]\nweight = 0.5\nover_short = 1.0\n"
    )
    assert score(values, weights) == pytest.approx(0.5 * 50 + 0.5 * 0)


def test_periods_and_weights_are_checked() -> None:
    assert period_range("2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_range("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert scorecard([R1, R2], load_weights(), "2026-10") == []
    with pytest.raises(ValueError, match="add up to 1"):
        parse_weights("[delivery]\nweight = 1.0\non_time = 0.7\nfill_rate = 0.2\n")
    with pytest.raises(ValueError, match="unknown indicators"):
        parse_weights("[delivery]\nweight = 1.0\npunctuality = 1.0\n")


@pytest.mark.parametrize("bad", ["2026-13", "26-01", "2026-Q5", "2026-1", "last month", ""])
def test_a_bad_period_says_what_is_expected(bad: str) -> None:
    with pytest.raises(ValueError, match=r"Not a period: .* \(YYYY, YYYY-MM or YYYY-Qn\)"):
        period_range(bad)
