"""Blind counts: the operator never sees the expected quantity while counting.

A count also heals statuses: the units counted are physically there, so a status of the
counted lot that stands below zero in the bin (a pick booked against stock the hub had moved to
another status meanwhile, e.g. a recall) is brought back to zero from the other statuses of the
same lot, the most restrictive first: "recalled 30 / customs hold -6" counted 24 becomes
"recalled 24".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlmodel import Session

from wms.domain.counting import CountOutcome, heal_split, judge_count
from wms.domain.errors import DocumentClosed, ReasonRequired, UnknownCode, WrongLocation
from wms.domain.kinds import LocationType, OpType
from wms.domain.rules import require_positive
from wms.services.context import Actor, Context
from wms.services.stock_access import DEFAULT_STATUS, key_of, lot_for, pid
from wms.store.catalog import Location, Lot, Product
from wms.store.documents import CountTask
from wms.store.journal import Op, StockKey, cursor, utc_text
from wms.store.queries import product_by_code, snapshot, stock_rows


@dataclass(frozen=True)
class CountStarted:
    """What the counter is told: the bin and the pass. Deliberately no quantities."""

    task: str
    location: str
    sku: str | None
    pass_no: int


@dataclass(frozen=True)
class Counted:
    """A product (and lot) and how many were found. The quantity is the eaches counted."""

    code: str
    qty: int
    lot: str | None = None


@dataclass(frozen=True)
class CountResult:
    """ACCEPTED or RECOUNT; never the expected quantity or the variance."""

    seq: int
    outcome: CountOutcome


def _task(s: Session, number: str) -> CountTask:
    """The open count task ``number`` (a read-only snapshot: writes go through SQL)."""
    task = snapshot(s, CountTask, number=number)
    if task is None:
        raise UnknownCode(f"No count task {number}")
    if task.status == "done":
        raise DocumentClosed(f"Count {number} is done")
    return task


def start_count(ctx: Context, actor: Actor, number: str, location: str) -> CountStarted:
    """Begin a pass at the bin the operator scanned; the count's moment is now."""
    actor.may(OpType.COUNT)
    with ctx.uow() as uow:
        s = uow.session
        task = _task(s, number)
        bin_ = _get(s, Location, task.location_id)
        if location != bin_.code:
            raise WrongLocation(f"Wrong bin: count {bin_.code}")
        params = (utc_text(ctx.clock()), actor.operator_id, task.id)
        cursor(s).execute(_START, params)
        sku = _get(s, Product, task.product_id).sku if task.product_id else None
        uow.commit()
    return CountStarted(number, bin_.code, sku, task.pass_no + 1)


# A count runs fixed SQL on the unit of work's cursor, like the other operations (bench/ops).
_START = "UPDATE counttask SET pass_no = pass_no + 1, started_at = ?, operator_id = ? WHERE id = ?"
_EXPECTED = (
    "SELECT product_id, lot_id, sum(delta) FROM stockledger WHERE location_id = ? AND at <= ?"
    " GROUP BY product_id, lot_id"
)
_ENTRY = (
    "INSERT INTO countentry (task_id, pass_no, product_id, lot_id, counted_qty, expected_qty,"
    " started_at, counted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_DONE = "UPDATE counttask SET status = 'done' WHERE id = ?"
_Row = TypeVar("_Row", Location, Product, Lot)


def _get(s: Session, model: type[_Row], row_id: int) -> _Row:
    found = snapshot(s, model, id=row_id)
    assert found is not None, "dangling reference: foreign keys are on"
    return found


def _expected_at(s: Session, bin_id: int, at: datetime) -> dict[tuple[int, int | None], int]:
    """Stock per (product, lot) in a bin as the ledger stood when the count started."""
    rows = cursor(s).execute(_EXPECTED, (bin_id, utc_text(at))).fetchall()
    return {(p, lot): int(q) for p, lot, q in rows if q}


def record_count(
    ctx: Context, actor: Actor, number: str, found: list[Counted], *, empty_confirmed: bool = False
) -> CountResult:
    """Record one pass. Beyond tolerance on the first pass, ask for a recount; otherwise adjust
    the bin by the difference from the stock as it stood when the count started."""
    actor.may(OpType.COUNT)
    if not found and not empty_confirmed:
        raise ReasonRequired("Nothing counted: confirm the bin is empty")
    with ctx.uow() as uow:
        s = uow.session
        task = _task(s, number)
        if task.started_at is None:
            raise DocumentClosed(f"Scan bin to start count {number}")
        bin_ = _get(s, Location, task.location_id)
        counted: dict[tuple[int, int | None], int] = defaultdict(int)
        for c in found:
            product, pack = product_by_code(s, c.code)
            if task.product_id and product.id != task.product_id:
                raise UnknownCode(f"This count is for another product, not {product.sku}")
            lot = lot_for(s, product, c.lot)
            counted[(pid(product), lot.id if lot else None)] += require_positive(c.qty) * pack
        expected = _expected_at(s, pid(bin_), task.started_at)
        if task.product_id:
            expected = {k: v for k, v in expected.items() if k[0] == task.product_id}
        keys = sorted(set(expected) | set(counted), key=lambda k: (k[0], k[1] or 0))
        outcome = CountOutcome.ACCEPTED
        for k in keys:
            verdict = judge_count(
                expected.get(k, 0), counted.get(k, 0), task.pass_no, ctx.settings.count_tolerance
            )
            if verdict is CountOutcome.RECOUNT:
                outcome = verdict
        op = Op(s, OpType.COUNT, actor.code, ctx.clock())
        started, now = utc_text(task.started_at), utc_text(ctx.clock())
        for k in keys:
            entry = (pid(task), task.pass_no, *k, counted.get(k, 0), expected.get(k, 0))
            cursor(s).execute(_ENTRY, (*entry, started, now))
            if outcome is CountOutcome.ACCEPTED:
                _adjust_to(op, s, bin_, k, counted.get(k, 0) - expected.get(k, 0))
                _heal_statuses(op, s, bin_, k)
        if outcome is CountOutcome.ACCEPTED:
            cursor(s).execute(_DONE, (task.id,))
        seq = op.record(
            {
                "task": number,
                "location": bin_.code,
                "pass": task.pass_no,
                "started_at": task.started_at,
                "outcome": outcome,
                "counted": [
                    {
                        "sku": _get(s, Product, k[0]).sku,
                        "lot": _get(s, Lot, k[1]).code if k[1] else None,
                        "qty": counted.get(k, 0),
                    }
                    for k in keys
                ],
            }
        )
        uow.commit()
    return CountResult(seq, outcome)


def _adjust_to(op: Op, s: Session, bin_: Location, k: tuple[int, int | None], diff: int) -> None:
    """Apply a count difference: losses come off loose stock first (largest rows), then off
    pallets in the bin; gains go loose, in the bin's usual status (available, or quarantine /
    customs hold in those areas). Pallets count as part of the bin: a counter counts them too."""
    if diff == 0:
        return
    rows = [r for r in stock_rows(s, location_id=pid(bin_), product_id=k[0]) if r.lot_id == k[1]]
    if diff > 0:
        loose = [r for r in rows if r.container_id is None] or rows
        status = (
            loose[0].status if loose else DEFAULT_STATUS.get(LocationType(bin_.type), "available")
        )
        op.post(StockKey(k[0], pid(bin_), k[1], None, status), diff)
        return
    left = -diff
    for r in sorted(rows, key=lambda r: (r.container_id is not None, -r.qty)):
        take = min(left, r.qty)
        op.post(key_of(r), -take)
        left -= take
        if left == 0:
            break


def _heal_statuses(op: Op, s: Session, bin_: Location, k: tuple[int, int | None]) -> None:
    """Bring every status of the counted lot in the bin that is below zero back to zero,
    taking the units off the lot's other statuses there (wms.domain.counting.heal_split)."""
    rows = [r for r in stock_rows(s, location_id=pid(bin_), product_id=k[0]) if r.lot_id == k[1]]
    for key, delta in heal_split([(key_of(r), r.status, r.qty) for r in rows]):
        op.post(key, delta)
