"""Picking a task line by line in walking sequence, with FEFO, and short picks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlmodel import Session, col, select

from wms.domain.errors import (
    DocumentClosed,
    InvalidQuantity,
    LotRefused,
    ReasonRequired,
    StockUnavailable,
    UnknownCode,
    WrongLocation,
)
from wms.domain.kinds import OpType, StockStatus, Tracking
from wms.domain.rules import may_take, require_positive
from wms.domain.shelf_life import LotOption, check_fefo, fefo_first
from wms.services.context import Actor, Context
from wms.services.stock_access import key_of, pid
from wms.store.catalog import Location, Lot, Product, SerialNumber
from wms.store.documents import CountTask, OutboundOrder, PickTask, PickTaskLine
from wms.store.journal import Op
from wms.store.people import ExceptionRecord
from wms.store.queries import next_number, product_by_code, snapshot, stock_rows
from wms.store.stock import OnHand
from wms.store.task_writes import book_pick, mark_short, settle_task

_T = TypeVar("_T", Location, Lot, Product, OutboundOrder)


@dataclass(frozen=True)
class PickStop:
    """The next line to pick: where to go, what to take, and how far along the task is."""

    task: str
    seq: int
    location: str
    sku: str
    name: str
    qty: int
    done_lines: int
    total_lines: int
    lot: str | None = None  # the lot FEFO takes first, for a lot-tracked product
    expiry: date | None = None


def _task(s: Session, number: str, seq: int | None = None) -> PickTask:
    task = snapshot(s, PickTask, number=number)
    if task is None:
        raise UnknownCode(f"No pick task {number}")
    line = None if seq is None else snapshot(s, PickTaskLine, task_id=task.id, seq=seq)
    if line is not None and line.status == "withdrawn":  # the hub withdrew it (wms.sync)
        raise DocumentClosed(
            f"Line {seq} of {number} was withdrawn: its order was cancelled. Do not pick;"
            " put back anything taken for it"
        )
    if task.status == "done":
        raise DocumentClosed(f"Task {number} is done")
    if task.status == "leased":  # the hub gave it to another terminal (see wms.sync.documents)
        raise DocumentClosed(f"Task {number} is being picked on another terminal")
    if task.status == "cancelled":  # the hub withdrew every line: its order was cancelled
        raise DocumentClosed(f"Task {number} was withdrawn: its order was cancelled")
    return task


def _lines(s: Session, task: PickTask) -> list[PickTaskLine]:
    return list(
        s.exec(
            select(PickTaskLine)
            .where(col(PickTaskLine.task_id) == task.id)
            .order_by(col(PickTaskLine.seq))
        )
    )


def next_stop(ctx: Context, number: str) -> PickStop | None:
    """The first open line of a task in walking sequence, or None when all are done."""
    with ctx.uow(write=False) as uow:
        s = uow.session
        lines = _lines(s, _task(s, number))
        open_lines = [ln for ln in lines if ln.status == "open"]
        if not open_lines:
            return None
        ln = open_lines[0]
        product = s.get_one(Product, ln.product_id)
        fefo = _fefo_lot(s, _task(s, number), ln, product, ctx.today())
        return PickStop(
            number,
            ln.seq,
            s.get_one(Location, ln.location_id).code,
            product.sku,
            product.name,
            ln.qty - ln.picked_qty,
            len(lines) - len(open_lines),
            len(lines),
            fefo.code if fefo else None,
            fefo.expiry if fefo else None,
        )


def first_stops(ctx: Context, numbers: list[str]) -> list[PickStop]:
    """The first open stop of each task in ``numbers`` that can be worked here (not done,
    not leased to another terminal, something left to pick), in the order given."""
    stops = []
    for number in numbers:
        try:
            stop = next_stop(ctx, number)
        except DocumentClosed:
            continue
        if stop is not None:
            stops.append(stop)
    return stops


def _fefo_lot(
    s: Session, task: PickTask, line: PickTaskLine, product: Product, today: date
) -> LotOption | None:
    """The lot the picker should take from the line's bin (None: untracked, or none there)."""
    if product.tracking != Tracking.LOT:
        return None
    kind = _get(s, OutboundOrder, task.order_id).kind
    rows = stock_rows(s, location_id=line.location_id, product_id=line.product_id)
    lot_ids = {r.lot_id for r in rows if r.lot_id and may_take(kind, r.status)}
    options = [LotOption(lot.code, lot.expiry) for lot in (_get(s, Lot, i) for i in lot_ids)]
    return fefo_first(options, product.removal_margin_days, today)


@dataclass(frozen=True)
class Pick:
    """A pick confirmed by scans: the bin, the product, its lot or serial, the quantity."""

    task: str
    seq: int
    location: str
    code: str
    qty: int = 1
    lot: str | None = None
    serial: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Picked:
    """The op's seq, units taken, and whether the line and the task are complete."""

    seq: int
    units: int
    line_done: bool
    task_done: bool


def _get(s: Session, model: type[_T], row_id: int) -> _T:
    found = snapshot(s, model, id=row_id)
    assert found is not None, "dangling reference: foreign keys are on"
    return found


def _open_line(s: Session, task: PickTask, seq: int) -> PickTaskLine:
    line = snapshot(s, PickTaskLine, task_id=task.id, seq=seq)
    if line is None or line.status != "open":
        raise UnknownCode(f"Line {seq} of {task.number} is not open")
    return line


def _pick_lot(
    s: Session,
    product: Product,
    rows: list[OnHand],
    ok: list[OnHand],
    cmd: Pick,
    *,
    today: date,
) -> int | None:
    """The lot to take: it must be in the bin, not held, and first by FEFO (or have a reason)."""
    if product.tracking != Tracking.LOT:
        return None
    if not cmd.lot:
        raise LotRefused(f"Scan the lot of {product.sku}")
    lots = {lot_id: _get(s, Lot, lot_id) for lot_id in {r.lot_id for r in rows} if lot_id}
    lot = next((lot for lot in lots.values() if lot.code == cmd.lot), None)
    if lot is None:
        raise LotRefused(f"Lot {cmd.lot} is not here")
    if not any(r.lot_id == lot.id for r in ok):
        held = next(r.status for r in rows if r.lot_id == lot.id)
        raise StockUnavailable(f"Lot {cmd.lot} is {held.replace('_', ' ')}: do not pick")
    options = [LotOption(lots[i].code, lots[i].expiry) for i in {r.lot_id for r in ok} if i]
    check_fefo(cmd.lot, options, product.removal_margin_days, today, cmd.reason)
    return lot.id


def pick(ctx: Context, actor: Actor, cmd: Pick) -> Picked:
    """Take stock for a task line after verifying bin, product, lot (FEFO) and quantity."""
    actor.may(OpType.PICK)
    require_positive(cmd.qty)
    with ctx.uow() as uow:
        s = uow.session
        task = _task(s, cmd.task, cmd.seq)
        line = _open_line(s, task, cmd.seq)
        bin_ = _get(s, Location, line.location_id)
        if cmd.location != bin_.code:
            raise WrongLocation(f"Wrong bin: go to {bin_.code}")
        product, pack = product_by_code(s, cmd.code)
        if product.id != line.product_id:
            want = _get(s, Product, line.product_id).sku
            raise UnknownCode(f"Wrong product: pick {want}")
        units = cmd.qty * pack
        if units > line.qty - line.picked_qty:
            raise InvalidQuantity(f"Only {line.qty - line.picked_qty} left on this line")
        order = _get(s, OutboundOrder, task.order_id)
        # Pallets standing in the bin are picked from too, once the loose stock is gone.
        rows = stock_rows(s, location_id=pid(bin_), product_id=pid(product))
        ok = [r for r in rows if may_take(order.kind, r.status)]
        lot_id = _pick_lot(s, product, rows, ok, cmd, today=ctx.today())
        candidates = [r for r in ok if r.lot_id == lot_id]
        have = sum(r.qty for r in candidates)
        if have < units:
            what = "held" if rows and not ok else "in stock"
            raise StockUnavailable(f"Only {have} {product.sku} {what} here: short pick?")
        if product.tracking == Tracking.SERIAL:
            _take_serial(s, product, cmd, bin_)
        op = Op(s, OpType.PICK, actor.code, ctx.clock())
        remaining = units
        for r in sorted(
            candidates,
            key=lambda r: (r.container_id is not None, r.status != StockStatus.AVAILABLE),
        ):
            take = min(remaining, r.qty)
            op.post(key_of(r), -take)
            remaining -= take
            if remaining == 0:
                break
        line_done = book_pick(s, pid(line), line.order_line_id, units)
        task_done = settle_task(s, pid(task), actor.operator_id)
        seq = op.record(
            {
                "task": task.number,
                "order": order.number,
                "line": line.seq,
                "sku": product.sku,
                "lot": cmd.lot,
                "serial": cmd.serial,
                "units": units,
                "location": bin_.code,
                "reason": cmd.reason,
            }
        )
        uow.commit()
    return Picked(seq, units, line_done, task_done)


def _take_serial(s: Session, product: Product, cmd: Pick, bin_: Location) -> None:
    if not cmd.serial:
        raise LotRefused(f"Scan the serial number of {product.sku}")
    unit = s.exec(
        select(SerialNumber).where(
            col(SerialNumber.product_id) == product.id, col(SerialNumber.serial) == cmd.serial
        )
    ).first()
    if unit is None or unit.location_id != bin_.id:
        raise UnknownCode(f"Serial {cmd.serial} is not in {bin_.code}")
    unit.location_id = None
    s.add(unit)


@dataclass(frozen=True)
class ShortPicked:
    """The op's seq, the missing quantity, and the count task raised for the bin."""

    seq: int
    short_qty: int
    count_task: str
    task_done: bool


def short_pick(ctx: Context, actor: Actor, task_no: str, seq: int, reason: str) -> ShortPicked:
    """Record that the rest of a line is not in its bin: an exception and a count task follow."""
    actor.may(OpType.SHORT_PICK)
    if not reason:
        raise ReasonRequired("Give a reason for the short pick")
    with ctx.uow() as uow:
        s = uow.session
        task = _task(s, task_no, seq)
        line = _open_line(s, task, seq)
        bin_ = s.get_one(Location, line.location_id)
        sku = s.get_one(Product, line.product_id).sku
        short = line.qty - line.picked_qty
        mark_short(s, pid(line))
        op = Op(s, OpType.SHORT_PICK, actor.code, ctx.clock())
        count_no = f"CT-S{next_number(s, 'count_task'):06d}"
        s.add(CountTask(number=count_no, location_id=pid(bin_), product_id=line.product_id))
        s.add(
            ExceptionRecord(
                kind="short_pick",
                op_seq=op.seq,
                message=f"Short {short} {sku} at {bin_.code}: {reason}",
                details=json.dumps({"task": task_no, "line": seq}),
                created_at=ctx.clock(),
            )
        )
        task_done = settle_task(s, pid(task), actor.operator_id)
        rec = op.record(
            {
                "task": task_no,
                "line": seq,
                "sku": sku,
                "location": bin_.code,
                "short": short,
                "reason": reason,
                "count_task": count_no,
            }
        )
        uow.commit()
    return ShortPicked(rec, short, count_no, task_done)
