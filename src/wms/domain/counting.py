"""Blind counts: tolerance and recount decisions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CountOutcome(StrEnum):
    """What the terminal says after a bin is counted. Never the expected quantity."""

    ACCEPTED = "accepted"
    RECOUNT = "recount"


@dataclass(frozen=True)
class Tolerance:
    """A variance is within tolerance if within ``units`` or within ``percent`` of expected."""

    units: int = 0
    percent: float = 0.0

    def allows(self, expected: int, counted: int) -> bool:
        """True when the difference between counted and expected is acceptable."""
        diff = abs(counted - expected)
        return diff <= self.units or (expected > 0 and diff * 100 <= self.percent * expected)


def judge_count(expected: int, counted: int, pass_no: int, tol: Tolerance) -> CountOutcome:
    """First pass beyond tolerance asks for a recount; a recount is always recorded.

    The second pass is an independent observation; the hub turns it into an adjustment and a
    supervisor sees the variance, so the terminal does not loop the operator forever.
    """
    if pass_no == 1 and not tol.allows(expected, counted):
        return CountOutcome.RECOUNT
    return CountOutcome.ACCEPTED
