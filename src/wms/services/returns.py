"""Customer returns: graded, then routed to stock, quarantine or scrap."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import col, select

from wms.domain.errors import UnknownCode, WrongLocation
from wms.domain.kinds import LocationType, OpType, StockStatus
from wms.domain.rules import require_positive
from wms.services.context import Actor, Context
from wms.services.stock_access import get_or_create_lot, pid
from wms.store.documents import OutboundOrder
from wms.store.journal import Op, StockKey
from wms.store.queries import location_by_code, product_by_code


class Grade(StrEnum):
    """The condition of a returned item, deciding where it goes."""

    RESALEABLE = "resaleable"
    DAMAGED = "damaged"
    EXPIRED = "expired"
    SCRAP = "scrap"


_STATUS = {
    Grade.RESALEABLE: StockStatus.AVAILABLE,
    Grade.DAMAGED: StockStatus.QUARANTINE,
    Grade.EXPIRED: StockStatus.QUARANTINE,
}


@dataclass(frozen=True)
class Returned:
    """The op's seq, the units, and the status they took (None when scrapped)."""

    seq: int
    units: int
    status: StockStatus | None


def receive_return(
    ctx: Context,
    actor: Actor,
    order: str,
    code: str,
    *,
    grade: Grade,
    location: str,
    qty: int = 1,
    lot: str | None = None,
) -> Returned:
    """Book a customer return against its order into a returns bin (scrap books no stock)."""
    actor.may(OpType.RETURN)
    require_positive(qty)
    with ctx.uow() as uow:
        s = uow.session
        if s.exec(select(OutboundOrder).where(col(OutboundOrder.number) == order)).first() is None:
            raise UnknownCode(f"No order {order}")
        product, pack = product_by_code(s, code)
        bin_ = location_by_code(s, location)
        if bin_.type != LocationType.RETURNS:
            raise WrongLocation(f"{bin_.code} is not a returns bin")
        units = qty * pack
        status = _STATUS.get(grade)
        op = Op(s, OpType.RETURN, actor.code, ctx.clock())
        if status is not None:
            lot_id = pid(get_or_create_lot(s, product, lot, None)) if lot else None
            op.post(StockKey(pid(product), pid(bin_), lot_id, None, status), units)
        seq = op.record(
            {
                "order": order,
                "sku": product.sku,
                "lot": lot,
                "units": units,
                "grade": grade,
                "location": bin_.code,
                "status": status,
            }
        )
        uow.commit()
    return Returned(seq, units, status)
