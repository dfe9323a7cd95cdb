"""Putaway (with a suggested bin), moves of a product or lot, and moves of whole containers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from wms.domain.errors import ReasonRequired, StockUnavailable, UnknownCode
from wms.domain.kinds import PUTAWAY_HOME, LocationType, OpType, StockStatus
from wms.domain.putaway import BinCandidate, suggest_bin
from wms.domain.rules import require_accepts, require_positive
from wms.services.context import Actor, Context
from wms.services.stock_access import key_of, lot_for, pid
from wms.store.catalog import Location, Lot, Product, SerialNumber
from wms.store.journal import Op, StockKey
from wms.store.queries import (
    bin_total,
    container_by_code,
    location_by_code,
    product_by_code,
    stock_rows,
)
from wms.store.stock import OnHand
from wms.store.task_writes import settle_move_tasks


@dataclass(frozen=True)
class Move:
    """Move ``qty`` of a product (and lot) from one bin to another.

    ``suggested`` is the bin putaway proposed; scanning another needs a ``reason``.
    ``status`` picks among several statuses of the same lot in the source bin.
    """

    code: str
    qty: int
    source: str
    target: str
    lot: str | None = None
    serial: str | None = None
    status: StockStatus | None = None
    suggested: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Moved:
    """The op's seq and what moved where."""

    seq: int
    sku: str
    units: int
    source: str
    target: str


def _source_row(s: Session, product: Product, lot: Lot | None, src: Location, cmd: Move) -> OnHand:
    matching = [
        r
        for r in stock_rows(s, location_id=pid(src), product_id=pid(product))
        if (lot is None or r.lot_id == lot.id) and (cmd.status is None or r.status == cmd.status)
    ]
    rows = [r for r in matching if r.container_id is None]
    if not rows and matching:
        raise StockUnavailable(f"{product.sku} in {src.code} is on a pallet: scan the pallet")
    if not rows:
        raise StockUnavailable(f"No {product.sku} in {src.code}")
    if len({r.status for r in rows}) > 1 or len({r.lot_id for r in rows}) > 1:
        raise StockUnavailable(f"{src.code} holds {product.sku} in several lots/statuses: scan one")
    return rows[0]


def suggest_putaway(ctx: Context, code: str, source: str, lot: str | None = None) -> str | None:
    """The bin to put loose stock of ``code`` (at ``source``) into, or None when none fits."""
    with ctx.uow(write=False) as uow:
        s = uow.session
        product, _ = product_by_code(s, code)
        lot_row = lot_for(s, product, lot)
        src = location_by_code(s, source)
        row = _source_row(s, product, lot_row, src, Move(code, 1, source, source, lot))
        status = StockStatus(row.status)
        candidates = _candidates(s, pid(product), lot_row.id if lot_row else None, status)
        return suggest_bin(candidates, status, row.qty, src.code)


def _candidates(
    s: Session, product_id: int | None, lot_id: int | None, status: StockStatus
) -> list[BinCandidate]:
    """Bins that hold this product (with their fill), plus the first empty bins of the status's
    home types in walking order. Every query is indexed: a 100k-bin site loads only these."""
    holders = (
        s.exec(
            select(OnHand.location_id, OnHand.lot_id).where(col(OnHand.product_id) == product_id)
        ).all()
        if product_id is not None
        else []
    )
    with_product = {loc for loc, _ in holders}
    with_lot = {loc for loc, lot in holders if lot_id is not None and lot == lot_id}
    occupied = dict(
        s.exec(
            select(OnHand.location_id, func.sum(col(OnHand.qty)))
            .where(col(OnHand.location_id).in_(with_product))
            .group_by(col(OnHand.location_id))
        ).all()
    )
    held = s.exec(select(Location).where(col(Location.id).in_(with_product))).all()
    stocked = select(OnHand.id).where(col(OnHand.location_id) == Location.id).exists()
    empty = s.exec(
        select(Location)
        .where(col(Location.type).in_([t.value for t in PUTAWAY_HOME[status]]))
        .where(col(Location.blocked).is_(False), ~stocked)
        .order_by(col(Location.pick_sequence))
        .limit(200)  # enough choice for the rule
    ).all()
    return [
        BinCandidate(
            code=loc.code,
            type=LocationType(loc.type),
            blocked=loc.blocked,
            capacity=loc.capacity,
            occupied=int(occupied.get(pid(loc), 0)),
            pick_sequence=loc.pick_sequence,
            has_product=loc.id in with_product,
            has_lot=loc.id in with_lot,
        )
        for loc in [*held, *empty]
    ]


def suggest_container_putaway(ctx: Context, code: str) -> str | None:
    """The bin to put a whole pallet into: with its product (and lot) when it carries one,
    else an empty bin; None when its statuses differ or nothing fits."""
    with ctx.uow(write=False) as uow:
        s = uow.session
        container = container_by_code(s, code)
        if container is None or container.location_id is None:
            raise UnknownCode(f"No pallet {code} in the warehouse")
        rows = stock_rows(s, container_id=pid(container))
        statuses = {r.status for r in rows}
        if len(statuses) != 1:
            return None
        status = StockStatus(statuses.pop())
        products = {r.product_id for r in rows}
        lots = {r.lot_id for r in rows}
        product_id = products.pop() if len(products) == 1 else None
        lot_id = lots.pop() if product_id is not None and len(lots) == 1 else None
        here = s.get_one(Location, container.location_id).code
        total = sum(r.qty for r in rows)
        return suggest_bin(_candidates(s, product_id, lot_id, status), status, total, here)


def move(ctx: Context, actor: Actor, cmd: Move, op_type: OpType = OpType.MOVE) -> Moved:
    """Move loose stock between bins; the target must accept the stock's status."""
    actor.may(op_type)
    require_positive(cmd.qty)
    if cmd.suggested and cmd.target != cmd.suggested and not cmd.reason:
        raise ReasonRequired(f"Suggested {cmd.suggested}: give a reason for {cmd.target}")
    with ctx.uow() as uow:
        s = uow.session
        product, pack = product_by_code(s, cmd.code)
        units = cmd.qty * pack
        lot = lot_for(s, product, cmd.lot)
        src, dst = location_by_code(s, cmd.source), location_by_code(s, cmd.target)
        row = _source_row(s, product, lot, src, cmd)
        require_accepts(dst.code, LocationType(dst.type), dst.blocked, StockStatus(row.status))
        if dst.capacity is not None:
            _require_room(s, dst, units)
        if cmd.serial:
            _move_serial(s, product, cmd.serial, src, dst)
        op = Op(s, op_type, actor.code, ctx.clock())
        key = key_of(row)
        op.post(key, -units)
        op.post(StockKey(key.product_id, pid(dst), key.lot_id, None, key.status), units)
        settle_move_tasks(s, key.location_id, key.product_id, key.lot_id)
        seq = op.record(
            {
                "sku": product.sku,
                "lot": cmd.lot,
                "serial": cmd.serial,
                "units": units,
                "status": row.status,
                "from": src.code,
                "to": dst.code,
                "suggested": cmd.suggested,
                "reason": cmd.reason,
            }
        )
        uow.commit()
    return Moved(seq, product.sku, units, src.code, dst.code)


def putaway(ctx: Context, actor: Actor, cmd: Move) -> Moved:
    """Put stock away from the dock: a move recorded as putaway, checked against the suggestion."""
    return move(ctx, actor, cmd, OpType.PUTAWAY)


def _require_room(s: Session, dst: Location, units: int) -> None:
    assert dst.capacity is not None
    if bin_total(s, pid(dst)) + units > dst.capacity:
        raise StockUnavailable(f"{dst.code} is full (holds {dst.capacity})")


def _move_serial(s: Session, product: Product, serial: str, src: Location, dst: Location) -> None:
    unit = s.exec(
        select(SerialNumber).where(
            col(SerialNumber.product_id) == product.id, col(SerialNumber.serial) == serial
        )
    ).first()
    if unit is None or unit.location_id != src.id:
        raise UnknownCode(f"Serial {serial} is not in {src.code}")
    unit.location_id = dst.id
    s.add(unit)


def move_container(
    ctx: Context,
    actor: Actor,
    code: str,
    target: str,
    *,
    suggested: str | None = None,
    reason: str | None = None,
) -> Moved:
    """Move a pallet or carton with everything on it, with one scan of its label; another bin
    than the ``suggested`` one needs a ``reason`` (recorded)."""
    actor.may(OpType.MOVE_CONTAINER)
    if suggested and target != suggested and not reason:
        raise ReasonRequired(f"Suggested {suggested}: give a reason for {target}")
    with ctx.uow() as uow:
        s = uow.session
        container = container_by_code(s, code)
        if container is None:
            raise UnknownCode(f"No pallet {code}")
        dst = location_by_code(s, target)
        rows = stock_rows(s, container_id=pid(container))
        if container.location_id is None:
            raise StockUnavailable(f"Pallet {code} is not in the warehouse")
        src = s.get_one(Location, container.location_id)
        for r in rows:
            require_accepts(dst.code, LocationType(dst.type), dst.blocked, StockStatus(r.status))
        op = Op(s, OpType.MOVE_CONTAINER, actor.code, ctx.clock())
        for r in rows:
            key = key_of(r)
            op.post(key, -r.qty)
            op.post(
                StockKey(key.product_id, pid(dst), key.lot_id, key.container_id, key.status), r.qty
            )
            settle_move_tasks(s, key.location_id, key.product_id, key.lot_id)
        container.location_id = dst.id
        s.add(container)
        units = sum(r.qty for r in rows)
        seq = op.record(
            {
                "container": code,
                "from": src.code,
                "to": dst.code,
                "units": units,
                "suggested": suggested,
                "reason": reason,
            }
        )
        uow.commit()
    return Moved(seq, code, units, src.code, dst.code)
