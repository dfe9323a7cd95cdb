"""Supplier scorecard rules: indicators from receiving facts, and the two-level weighted score.

Pure (no I/O): the hub gathers the facts (``wms.hub.supervision.scorecard``), these
functions score them, so a hand-computed example can check every figure. Kept next to the hub
rather than in ``wms.domain`` because only the hub sees every terminal's receipts.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

Weights = dict[str, tuple[float, dict[str, float]]]  # group -> (weight, indicator -> weight)
INDICATORS = ("on_time", "fill_rate", "damage", "shelf_life", "over_short", "asn_accuracy")


@dataclass(frozen=True)
class LineFacts:
    """One product on a receipt: advised (expected > 0) and/or scanned (received > 0)."""

    sku: str
    expected: int
    received: int
    damaged: int = 0
    short_life: int = 0  # units below the product's minimum remaining shelf life


@dataclass(frozen=True)
class ReceiptFacts:
    """What receiving recorded about one receipt (``arrived`` None: nothing received yet)."""

    supplier: str
    number: str
    expected_date: date | None
    arrived: date | None
    lines: tuple[LineFacts, ...]


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


def counts(receipts: Iterable[ReceiptFacts]) -> dict[str, int]:
    """The underlying counts of one supplier's receipts."""
    c = dict.fromkeys(
        (
            "receipts",
            "dated",
            "on_time",
            "expected_units",
            "filled_units",
            "received_units",
            "damaged_units",
            "short_life_units",
            "lines",
            "exact_lines",
            "skus_scanned_or_advised",
            "skus_matching",
        ),
        0,
    )
    for r in receipts:
        c["receipts"] += 1
        if r.expected_date is not None:
            c["dated"] += 1
            late = r.arrived is None or r.arrived > r.expected_date
            c["on_time"] += 0 if late else 1
        for ln in r.lines:
            c["expected_units"] += ln.expected
            c["filled_units"] += min(ln.expected, ln.received)
            c["received_units"] += ln.received
            c["damaged_units"] += ln.damaged
            c["short_life_units"] += ln.short_life
            c["lines"] += 1
            c["exact_lines"] += ln.expected == ln.received
            c["skus_scanned_or_advised"] += 1
            c["skus_matching"] += ln.expected > 0 and ln.received > 0
    return c


def indicators(c: Mapping[str, int]) -> dict[str, float | None]:
    """Each indicator 0–100 from the counts; None when there is nothing to score it on."""
    received = c["received_units"]
    return {
        "on_time": _pct(c["on_time"], c["dated"]),
        "fill_rate": _pct(c["filled_units"], c["expected_units"]),
        "damage": _pct(received - c["damaged_units"], received),
        "shelf_life": _pct(received - c["short_life_units"], received),
        "over_short": _pct(c["exact_lines"], c["lines"]),
        "asn_accuracy": _pct(c["skus_matching"], c["skus_scanned_or_advised"]),
    }


def score(values: Mapping[str, float | None], weights: Weights) -> float | None:
    """Σ group weight × Σ indicator weight × indicator score. An indicator without data is
    left out and its group's other weights scaled up; likewise an empty group."""
    total = used = 0.0
    for group_weight, members in weights.values():
        scored = {k: w for k, w in members.items() if values.get(k) is not None}
        share = sum(scored.values())
        if share == 0:
            continue
        group = sum(w * float(values[k] or 0) for k, w in scored.items()) / share
        total += group_weight * group
        used += group_weight
    return None if used == 0 else total / used


def parse_weights(text: str) -> Weights:
    """Weights from TOML: a table per group with ``weight`` and indicator weights; each level
    must add up to 1 and name only known indicators."""
    raw = tomllib.loads(text)
    out: Weights = {}
    for name, table in raw.items():
        members = {k: float(v) for k, v in table.items() if k != "weight"}
        unknown = set(members) - set(INDICATORS)
        if unknown:
            raise ValueError(f"[{name}]: unknown indicators {', '.join(sorted(unknown))}")
        if abs(sum(members.values()) - 1) > 1e-6:
            raise ValueError(f"[{name}]: indicator weights must add up to 1")
        out[name] = (float(table["weight"]), members)
    if abs(sum(w for w, _ in out.values()) - 1) > 1e-6:
        raise ValueError("group weights must add up to 1")
    return out


_PERIOD = re.compile(r"(?P<year>[0-9]{4})(?:-(?:[Qq](?P<quarter>[1-4])|(?P<month>[0-9]{2})))?")


def period_range(period: str) -> tuple[date, date]:
    """First and last day of ``YYYY``, ``YYYY-MM`` or ``YYYY-Qn``; ValueError saying what is
    expected for anything else."""
    m = _PERIOD.fullmatch(period)
    if m is None or (m["month"] and not 1 <= int(m["month"]) <= 12):
        raise ValueError(f"Not a period: {period} (YYYY, YYYY-MM or YYYY-Qn)")
    y = int(m["year"])
    if m["quarter"]:
        first, last = 3 * int(m["quarter"]) - 2, 3 * int(m["quarter"])
    elif m["month"]:
        first = last = int(m["month"])
    else:
        first, last = 1, 12
    return date(y, first, 1), date(y, last, calendar.monthrange(y, last)[1])
