"""Supervisor actions on stock: adjustments with a reason, holds and their release."""

from __future__ import annotations

from dataclasses import dataclass

from wms.domain.errors import ReasonRequired, StockUnavailable
from wms.domain.kinds import LocationType, OpType, StockStatus
from wms.services.context import Actor, Context
from wms.services.stock_access import DEFAULT_STATUS, key_of, lot_for, pid
from wms.store.journal import Op, StockKey
from wms.store.queries import location_by_code, product_by_code, stock_rows


@dataclass(frozen=True)
class StockChanged:
    """The op's seq and how many units it touched."""

    seq: int
    units: int


def adjust(
    ctx: Context,
    actor: Actor,
    location: str,
    code: str,
    *,
    delta: int,
    reason: str,
    lot: str | None = None,
) -> StockChanged:
    """Add or remove units in a bin (found stock, write-off); needs a supervisor and a reason."""
    actor.may(OpType.ADJUST)
    if not reason:
        raise ReasonRequired("An adjustment needs a reason")
    if delta == 0:
        raise StockUnavailable("Adjustment of 0 changes nothing")
    with ctx.uow() as uow:
        s = uow.session
        product, pack = product_by_code(s, code)
        lot_row = lot_for(s, product, lot)
        bin_ = location_by_code(s, location)
        op = Op(s, OpType.ADJUST, actor.code, ctx.clock())
        units = delta * pack
        lot_id = lot_row.id if lot_row else None
        rows = [
            r
            for r in stock_rows(s, location_id=pid(bin_), product_id=pid(product))
            if r.lot_id == lot_id and r.container_id is None
        ]
        status = (
            rows[0].status if rows else DEFAULT_STATUS.get(LocationType(bin_.type), "available")
        )
        op.post(StockKey(pid(product), pid(bin_), lot_id, None, status), units)
        seq = op.record(
            {
                "sku": product.sku,
                "lot": lot,
                "location": bin_.code,
                "units": units,
                "status": status,
                "reason": reason,
            }
        )
        uow.commit()
    return StockChanged(seq, abs(units))


def change_status(
    ctx: Context,
    actor: Actor,
    code: str,
    to: StockStatus,
    reason: str,
    *,
    lot: str | None = None,
    location: str | None = None,
) -> StockChanged:
    """Hold (to quarantine, customs hold, recalled) or release (to available) stock of a
    product, optionally one lot and one bin; a lot recall is a hold with no bin given."""
    op_type = OpType.RELEASE if to is StockStatus.AVAILABLE else OpType.HOLD
    actor.may(op_type)
    if not reason:
        raise ReasonRequired(f"A {op_type.value} needs a reason")
    with ctx.uow() as uow:
        s = uow.session
        product, _ = product_by_code(s, code)
        lot_row = lot_for(s, product, lot) if lot else None
        bin_id = pid(location_by_code(s, location)) if location else None
        rows = [
            r
            for r in stock_rows(
                s,
                product_id=pid(product),
                location_id=bin_id,
                lot_id=lot_row.id if lot_row else None,
            )
            if r.status != to
        ]
        if not rows:
            raise StockUnavailable(f"No {product.sku} to {op_type.value}")
        op = Op(s, op_type, actor.code, ctx.clock())
        for r in rows:
            key = key_of(r)
            op.post(key, -r.qty)
            op.post(
                StockKey(key.product_id, key.location_id, key.lot_id, key.container_id, to), r.qty
            )
        units = sum(r.qty for r in rows)
        seq = op.record(
            {
                "sku": product.sku,
                "lot": lot,
                "location": location,
                "to": to,
                "units": units,
                "reason": reason,
            }
        )
        uow.commit()
    return StockChanged(seq, units)
