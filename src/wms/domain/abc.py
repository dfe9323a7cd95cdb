"""ABC classes for cycle counting, pure: the products that make most of the picks are counted
most often.

Products are ranked by picks over a period; class A takes the products that make the first
``a_share`` of all picks, B the next ones up to ``b_share``, C the rest (and every product
never picked in the period).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

CLASSES = ("A", "B", "C")

# How often each class is counted by default, in days.
DEFAULT_EVERY = {"A": 30, "B": 90, "C": 180}


def classify(
    picks: Mapping[str, int], a_share: float = 0.8, b_share: float = 0.95
) -> dict[str, str]:
    """The class of each product in ``picks`` (product -> picks in the period)."""
    if not 0 < a_share <= b_share <= 1:
        raise ValueError("shares must satisfy 0 < A <= B <= 1")
    total = sum(n for n in picks.values() if n > 0)
    out: dict[str, str] = {}
    before = 0
    for sku, n in sorted(picks.items(), key=lambda kv: (-kv[1], kv[0])):
        if n <= 0 or total == 0:
            out[sku] = "C"
            continue
        share = before / total  # what the products ranked above this one already make
        out[sku] = "A" if share < a_share else "B" if share < b_share else "C"
        before += n
    return out


def best_class(classes: Mapping[str, str], skus: list[str]) -> str:
    """A bin's class: the best class of the products it holds (C when it holds none known)."""
    return min((classes.get(s, "C") for s in skus), default="C")


def due(last_counted: date | None, every_days: int, today: date) -> bool:
    """Whether a bin counted last on ``last_counted`` (None: never) is due again."""
    return last_counted is None or last_counted + timedelta(days=every_days) <= today
