"""Picking a task line by line in walking sequence, with FEFO, and short picks.

Picked units stay in the building: a pick moves them from the bin into the tote of the line's
slot, on the task's cart (wms.services.carts), where packing takes them from.
"""

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
    WrongContainer,
    WrongLocation,
)
from wms.domain.kinds import OpType, StockStatus, Tracking
from wms.domain.rules import may_take, require_positive
from wms.domain.shelf_life import LotOption, check_fefo, fefo_first
from wms.services.carts import CartSetup, setup_of
from wms.services.context import Actor, Context
from wms.services.stock_access import key_of, pid
from wms.store.catalog import Location, Lot, Product, SerialNumber
from wms.store.documents import CountTask, OutboundLine, OutboundOrder, PickTask, PickTaskLine
from wms.store.journal import Op, StockKey
from wms.store.people import ExceptionRecord
from wms.store.queries import location_by_code, next_number, product_by_code, snapshot, stock_rows
from wms.store.stock import Container, OnHand
from wms.store.task_writes import book_pick, mark_short, settle_task

_T = TypeVar("_T", Location, Lot, Product, OutboundOrder, OutboundLine)


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
    slot: int = 1  # the tote slot the units go into
    order: str = ""
    tote: str | None = None  # the tote in that slot (None: not on the cart yet)
    cluster: bool = False


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
        task = _task(s, number)
        fefo = _fefo_lot(s, ln, product, ctx.today())
        setup = setup_of(s, task)
        slot = setup.slot(ln.slot)
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
            ln.slot,
            slot.order,
            slot.tote,
            setup.cluster,
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


def _order_of(s: Session, line: PickTaskLine) -> OutboundOrder:
    """The order a task line picks for (a cluster task's lines are of several orders)."""
    return _get(s, OutboundOrder, _get(s, OutboundLine, line.order_line_id).order_id)


def _fefo_lot(s: Session, line: PickTaskLine, product: Product, today: date) -> LotOption | None:
    """The lot the picker should take from the line's bin (None: untracked, or none there)."""
    if product.tracking != Tracking.LOT:
        return None
    kind = _order_of(s, line).kind
    rows = stock_rows(s, location_id=line.location_id, product_id=line.product_id)
    lot_ids = {r.lot_id for r in rows if r.lot_id and may_take(kind, r.status)}
    options = [LotOption(lot.code, lot.expiry) for lot in (_get(s, Lot, i) for i in lot_ids)]
    return fefo_first(options, product.removal_margin_days, today)


@dataclass(frozen=True)
class Pick:
    """A pick confirmed by scans: the bin, the product, its lot or serial, the quantity, and
    the tote it went into (None on a single-order task: its one tote)."""

    task: str
    seq: int
    location: str
    code: str
    qty: int = 1
    lot: str | None = None
    serial: str | None = None
    reason: str | None = None
    tote: str | None = None


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


def pick(ctx: Context, actor: Actor, cmd: Pick, *, check_only: bool = False) -> Picked:
    """Take stock for a task line after verifying bin, product, lot (FEFO) and quantity, into
    the tote of the line's slot. ``check_only``: verify everything but the tote (a cluster pick
    asks for it once the rest is right) and write nothing."""
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
        cart, tote = _into(s, setup_of(s, task), line, cmd.tote, check_only=check_only)
        order = _order_of(s, line)
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
            _take_serial(s, product, cmd, bin_, cart)
        if check_only:
            return Picked(0, units, line_done=False, task_done=False)  # rolled back
        op = Op(s, OpType.PICK, actor.code, ctx.clock())
        remaining = units
        for r in sorted(
            candidates,
            key=lambda r: (r.container_id is not None, r.status != StockStatus.AVAILABLE),
        ):
            take = min(remaining, r.qty)
            op.post(key_of(r), -take)
            op.post(StockKey(r.product_id, pid(cart), r.lot_id, pid(tote), r.status), take)
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
                "to_location": cart.code,
                "tote": tote.code,
                "slot": line.slot,
            }
        )
        uow.commit()
    return Picked(seq, units, line_done, task_done)


def _into(
    s: Session, setup: CartSetup, line: PickTaskLine, scanned: str | None, *, check_only: bool
) -> tuple[Location, Container]:
    """The cart and the tote a line's units go into; a tote scanned for it must be that one."""
    if setup.cart is None:
        raise WrongContainer(f"Scan the cart for {setup.task} first")
    slot = setup.slot(line.slot)
    if slot.tote is None:
        raise WrongContainer(f"Put a tote in slot {slot.slot} ({slot.order}) first")
    if scanned is None and setup.cluster and not check_only:
        raise WrongContainer(f"Scan the tote: {slot.tote} (slot {slot.slot})")
    if scanned is not None and scanned != slot.tote:
        other = next((sl for sl in setup.slots if sl.tote == scanned), None)
        whose = f" is {other.order}'s" if other else " is not on this cart"
        raise WrongContainer(f"{scanned}{whose}: put it in {slot.tote} (slot {slot.slot})")
    tote = snapshot(s, Container, code=slot.tote)
    assert tote is not None, "a slot's tote is a container of this store"
    return location_by_code(s, setup.cart), tote


def _take_serial(s: Session, product: Product, cmd: Pick, bin_: Location, cart: Location) -> None:
    if not cmd.serial:
        raise LotRefused(f"Scan the serial number of {product.sku}")
    unit = s.exec(
        select(SerialNumber).where(
            col(SerialNumber.product_id) == product.id, col(SerialNumber.serial) == cmd.serial
        )
    ).first()
    if unit is None or unit.location_id != bin_.id:
        raise UnknownCode(f"Serial {cmd.serial} is not in {bin_.code}")
    unit.location_id = cart.id  # with the tote on the cart, until it ships
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
