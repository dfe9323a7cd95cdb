"""Cycle count plans: which bins to count, how many a day, and how much of the warehouse the
plan has covered.

Rules:

- ``abc``: bins holding stock, classed by the best ABC class of their products (picks over the
  plan's period, :mod:`wms.domain.abc`); each class is counted every so many days;
- ``zone``: every bin of one zone, once per period;
- ``touched``: bins stock moved in or out of since their last count;
- ``zero``: bins that emptied since their last count, to confirm they are empty.

Running a plan publishes up to ``bins_per_day`` count tasks (documents ``count_task``, pulled by
terminals as always), most overdue first, skipping bins with a count task still open. A count
of a planned task closes it at the hub.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Connection, text

from wms.domain.abc import CLASSES, DEFAULT_EVERY, best_class, classify, due
from wms.hub.documents import save_many
from wms.hub.planning.allocation import PICKABLE_TYPES


class PlanRule(StrEnum):
    """What a count plan counts."""

    ABC = "abc"
    ZONE = "zone"
    TOUCHED = "touched"
    ZERO = "zero"


class PlanIn(BaseModel):
    """A count plan; ``every`` (abc) gives days between counts per class."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=40)
    rule: PlanRule
    zone: str | None = Field(default=None, max_length=5)
    period_days: int = Field(default=30, ge=1, le=366)
    bins_per_day: int = Field(ge=1, le=10_000)
    every: dict[str, int] | None = None

    @model_validator(mode="after")
    def _coherent(self) -> PlanIn:
        if self.rule is PlanRule.ZONE and not self.zone:
            raise ValueError("a zone plan names its zone")
        if self.rule is not PlanRule.ZONE and self.zone:
            raise ValueError("only a zone plan takes a zone")
        if self.every is not None:
            if self.rule is not PlanRule.ABC:
                raise ValueError("only an abc plan counts classes every so many days")
            if set(self.every) != set(CLASSES) or min(self.every.values()) < 1:
                raise ValueError("every gives A, B and C a number of days, 1 or more")
        return self


class UnknownPlan(Exception):
    """No count plan of that name in the warehouse."""


@dataclass(frozen=True)
class Coverage:
    """How far a plan has got: bins in its scope, those counted within their cycle, those with
    a count task out now, those due and not yet planned, and the days it takes to count the due
    ones at the plan's pace."""

    plan: str
    rule: str
    bins_per_day: int
    scope: int
    counted: int
    planned: int
    due: int

    @property
    def percent(self) -> float:
        """Share of the scope counted within its cycle."""
        return round(100 * self.counted / self.scope, 1) if self.scope else 100.0

    @property
    def days_to_cover(self) -> int:
        """Days the due bins take at ``bins_per_day``."""
        return math.ceil(self.due / self.bins_per_day)


_LAST_COUNT = text(
    "SELECT r.payload->>'location' AS location, MAX(r.occurred_at) AS at FROM received_op r"
    " WHERE r.warehouse = :w AND r.type = 'count'"
    " AND r.rejected IS NULL AND r.payload->>'outcome' = 'accepted' GROUP BY 1"
)
_PICKS = text(
    "SELECT r.payload->>'sku' AS sku, COUNT(*) AS n FROM received_op r"
    " WHERE r.warehouse = :w AND r.type = 'pick' AND r.rejected IS NULL"
    " AND r.occurred_at >= :since GROUP BY 1"
)
_BINS = text(
    "SELECT code, zone FROM location WHERE warehouse = :w AND NOT blocked"
    " AND type = ANY(CAST(:types AS text[]))"
)
_HOLDING = text("SELECT location, sku FROM on_hand WHERE warehouse = :w AND qty > 0")
_TOUCHED = text(
    "SELECT location, MAX(occurred_at) AS at FROM ledger WHERE warehouse = :w"
    " AND occurred_at >= :since GROUP BY location"
)
_OPEN_TASKS = text(
    "SELECT body->>'location' FROM document WHERE warehouse = :w AND kind = 'count_task'"
    " AND status = 'open'"
)


def save_plan(conn: Connection, warehouse: str, plan: PlanIn, who: str) -> None:
    """Create or change a count plan."""
    every = plan.every or (DEFAULT_EVERY if plan.rule is PlanRule.ABC else None)
    conn.execute(
        text(
            "INSERT INTO count_plan (warehouse, name, rule, zone, period_days, bins_per_day,"
            " every, created_by) VALUES (:w, :name, :rule, :zone, :period, :per_day,"
            " CAST(:every AS jsonb), :who) ON CONFLICT (warehouse, name) DO UPDATE SET"
            " rule = EXCLUDED.rule, zone = EXCLUDED.zone, period_days = EXCLUDED.period_days,"
            " bins_per_day = EXCLUDED.bins_per_day, every = EXCLUDED.every"
        ),
        {
            "w": warehouse,
            "name": plan.name,
            "rule": plan.rule,
            "zone": plan.zone,
            "period": plan.period_days,
            "per_day": plan.bins_per_day,
            "every": None if every is None else json.dumps(every),
            "who": who,
        },
    )


def _plan(conn: Connection, warehouse: str, name: str) -> PlanIn:
    row = conn.execute(
        text("SELECT * FROM count_plan WHERE warehouse = :w AND name = :n"),
        {"w": warehouse, "n": name},
    ).first()
    if row is None:
        raise UnknownPlan(f"no count plan {name} in {warehouse}")
    return PlanIn(
        name=row.name,
        rule=row.rule,
        zone=row.zone,
        period_days=row.period_days,
        bins_per_day=row.bins_per_day,
        every=row.every,
    )


@dataclass(frozen=True)
class _Bin:
    code: str
    last: date | None
    every: int
    rank: int  # lower is counted first among equally overdue bins (class A before B)


def _scope(conn: Connection, warehouse: str, plan: PlanIn, today: date) -> list[_Bin]:
    """The plan's bins, each with its last count and how often it is due."""
    since = datetime.combine(today - timedelta(days=plan.period_days), datetime.min.time(), UTC)
    last = {
        r.location: r.at.date()
        for r in conn.execute(_LAST_COUNT, {"w": warehouse})
        if r.location is not None
    }
    types = [str(t) for t in PICKABLE_TYPES]
    bins = {r.code: r.zone for r in conn.execute(_BINS, {"w": warehouse, "types": types})}
    holding: dict[str, list[str]] = {}
    for r in conn.execute(_HOLDING, {"w": warehouse}):
        holding.setdefault(r.location, []).append(r.sku)
    period = plan.period_days
    if plan.rule is PlanRule.ABC:
        picks = {r.sku: int(r.n) for r in conn.execute(_PICKS, {"w": warehouse, "since": since})}
        held_skus = {s for skus in holding.values() for s in skus}
        classes = classify({s: picks.get(s, 0) for s in held_skus | set(picks)})
        every = plan.every or DEFAULT_EVERY
        out = []
        for code in sorted(set(holding) & set(bins)):
            c = best_class(classes, holding[code])
            out.append(_Bin(code, last.get(code), every[c], CLASSES.index(c)))
        return out
    if plan.rule is PlanRule.ZONE:
        return [_Bin(c, last.get(c), period, 0) for c in sorted(bins) if bins[c] == plan.zone]
    moved = {
        r.location: r.at.date() for r in conn.execute(_TOUCHED, {"w": warehouse, "since": since})
    }
    empty = plan.rule is PlanRule.ZERO
    return [
        # Due as soon as it moved after its last count: "every" 0 makes due() true.
        _Bin(c, last.get(c), 0 if last.get(c) is None or last[c] < at else period, 0)
        for c, at in sorted(moved.items())
        if c in bins and (c not in holding) == empty
    ]


def coverage(conn: Connection, warehouse: str, name: str, today: date | None = None) -> Coverage:
    """How far plan ``name`` has got."""
    day = today or datetime.now(UTC).date()
    plan = _plan(conn, warehouse, name)
    scope = _scope(conn, warehouse, plan, day)
    busy = set(conn.scalars(_OPEN_TASKS, {"w": warehouse}))
    waiting = [b for b in scope if due(b.last, b.every, day)]
    planned = sum(1 for b in waiting if b.code in busy)
    counted = len(scope) - len(waiting)
    return Coverage(
        name, plan.rule, plan.bins_per_day, len(scope), counted, planned, len(waiting) - planned
    )


def plan_names(conn: Connection, warehouse: str) -> list[str]:
    """The warehouse's count plans."""
    return list(
        conn.scalars(
            text("SELECT name FROM count_plan WHERE warehouse = :w ORDER BY name"), {"w": warehouse}
        )
    )


def run_plan(conn: Connection, warehouse: str, name: str, today: date | None = None) -> list[str]:
    """Publish today's count tasks of plan ``name``; their numbers (none when nothing is due)."""
    day = today or datetime.now(UTC).date()
    plan = _plan(conn, warehouse, name)
    busy = set(conn.scalars(_OPEN_TASKS, {"w": warehouse}))
    todo = [
        b
        for b in _scope(conn, warehouse, plan, day)
        if b.code not in busy and due(b.last, b.every, day)
    ]
    todo.sort(key=lambda b: (b.last is not None, b.last or date.min, b.rank, b.code))
    chosen = todo[: plan.bins_per_day]
    numbers = [f"CT-H{n:06d}" for n in conn.scalars(
        text("SELECT nextval('count_task_no') FROM generate_series(1, :n)"), {"n": len(chosen)}
    )]  # fmt: skip
    bodies = [
        {"number": n, "location": b.code, "sku": None, "plan": name}
        for n, b in zip(numbers, chosen, strict=True)
    ]
    save_many(conn, warehouse, "count_task", bodies)
    return numbers
