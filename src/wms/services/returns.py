"""Customer returns against their order: graded, then routed to stock, quarantine or scrap.

A return is bounded by what the order shipped (picked on this terminal, less what came back
already); a lot-tracked item needs its lot and a serial-tracked one its serial, and a serial
must be one that left. A product the order never had, or a lot this warehouse never held, is
not turned away: it goes to quarantine, and the op says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from wms.domain.errors import InvalidQuantity, LotRefused, UnknownCode, WrongLocation
from wms.domain.kinds import LocationType, OpType, StockStatus, Tracking
from wms.domain.rules import require_positive
from wms.services.context import Actor, Context
from wms.services.stock_access import get_or_create_lot, pid
from wms.store.catalog import Location, Product, SerialNumber
from wms.store.documents import OutboundLine, OutboundOrder
from wms.store.journal import Op, StockKey, cursor
from wms.store.queries import find_lot, location_by_code, product_by_code, snapshot, snapshots


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
# What an order shipped of one product and what came back; and the first of its lines with
# room for more returned units (fixed SQL: a return reads no line it does not book).
_SHIPPED = (
    "SELECT coalesce(sum(picked_qty), 0), coalesce(sum(returned_qty), 0), count(*)"
    " FROM outboundline WHERE order_id = ? AND product_id = ?"
)
_ROOM = (
    "SELECT id, picked_qty - returned_qty FROM outboundline WHERE order_id = ?"
    " AND product_id = ? AND picked_qty > returned_qty ORDER BY line_no LIMIT 1"
)
_BOOK = "UPDATE outboundline SET returned_qty = returned_qty + ? WHERE id = ?"


@dataclass(frozen=True)
class Returned:
    """The op's seq, the units, the status they took (None when scrapped), and why they went to
    quarantine whatever their grade (None when the order and the lot were as expected)."""

    seq: int
    units: int
    status: StockStatus | None
    reason: str | None = None


@dataclass(frozen=True)
class Returnable:
    """What an order shipped of one product, and what came back of it so far."""

    sku: str
    shipped: int
    returned: int

    @property
    def left(self) -> int:
        """Units that may still come back."""
        return self.shipped - self.returned


def shipped_order(s: Session, number: str) -> OutboundOrder:
    """The order ``number`` (a read-only snapshot); UnknownCode when there is none."""
    order = snapshot(s, OutboundOrder, number=number)
    if order is None:
        raise UnknownCode(f"No order {number}")
    return order


def _lines(s: Session, order: OutboundOrder) -> list[OutboundLine]:
    return snapshots(s, OutboundLine, order_id=order.id)


def returnable(ctx: Context, number: str) -> list[Returnable]:
    """Per product, what order ``number`` shipped and what came back; UnknownCode when there is
    no such order."""
    with ctx.uow(write=False) as uow:
        s = uow.session
        per: dict[int, list[OutboundLine]] = {}
        for line in _lines(s, shipped_order(s, number)):
            per.setdefault(line.product_id, []).append(line)
        return [
            Returnable(
                s.get_one(Product, product_id).sku,
                sum(ln.picked_qty for ln in lines),
                sum(ln.returned_qty for ln in lines),
            )
            for product_id, lines in per.items()
        ]


def _book_back(s: Session, order: OutboundOrder, product: Product, units: int) -> bool:
    """Count ``units`` back against the order's lines of this product, line by line, refusing
    more than shipped; False when the order has no line of this product."""
    cur = cursor(s)
    shipped, returned, lines = cur.execute(_SHIPPED, (order.id, product.id)).fetchone()
    if not lines:
        return False
    if returned + units > shipped:
        raise InvalidQuantity(f"{order.number} shipped {shipped} {product.sku}, {returned} back")
    left = units
    while left > 0:  # one line in the usual case: an order has one line per product
        line_id, room = cur.execute(_ROOM, (order.id, product.id)).fetchone()
        cur.execute(_BOOK, (min(left, room), line_id))
        left -= min(left, room)
    return True


def _serial_back(s: Session, product: Product, serial: str | None, bin_: Location) -> None:
    if not serial:
        raise LotRefused(f"{product.sku} needs its serial number")
    unit = s.exec(
        select(SerialNumber).where(
            col(SerialNumber.product_id) == product.id, col(SerialNumber.serial) == serial
        )
    ).first()
    if unit is not None and unit.location_id is not None:
        raise UnknownCode(f"Serial {serial} is in stock: it did not ship")
    if unit is None:
        s.add(SerialNumber(product_id=pid(product), serial=serial, location_id=bin_.id))
    else:
        unit.location_id = bin_.id
        s.add(unit)


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
    serial: str | None = None,
) -> Returned:
    """Book a customer return against its order into a returns bin (scrap books no stock)."""
    actor.may(OpType.RETURN)
    require_positive(qty)
    with ctx.uow() as uow:
        s = uow.session
        shipped = shipped_order(s, order)
        product, pack = product_by_code(s, code)
        bin_ = location_by_code(s, location)
        if bin_.type != LocationType.RETURNS:
            raise WrongLocation(f"{bin_.code} is not a returns bin")
        units = qty * pack
        if product.tracking == Tracking.LOT and not lot:
            raise LotRefused(f"{product.sku} needs its lot: scan or type it")
        if product.tracking == Tracking.SERIAL and units != 1:
            raise InvalidQuantity("Serial items come back one at a time")
        reason = None if _book_back(s, shipped, product, units) else f"not on {order}"
        known_lot = find_lot(s, pid(product), lot) if lot else None
        if lot and known_lot is None:
            reason = reason or f"lot {lot} never held here"
        status = _STATUS.get(grade)
        if status is not None and reason is not None:
            status = StockStatus.QUARANTINE
        if product.tracking == Tracking.SERIAL and status is not None:
            _serial_back(s, product, serial, bin_)
        op = Op(s, OpType.RETURN, actor.code, ctx.clock())
        if status is not None:
            lot_id = pid(known_lot) if known_lot else _new_lot(s, product, lot)
            op.post(StockKey(pid(product), pid(bin_), lot_id, None, status), units)
        seq = op.record(
            {
                "order": order,
                "sku": product.sku,
                "lot": lot,
                "serial": serial,
                "units": units,
                "grade": grade,
                "location": bin_.code,
                "status": status,
                "reason": reason,
            }
        )
        uow.commit()
    return Returned(seq, units, status, reason)


def _new_lot(s: Session, product: Product, lot: str | None) -> int | None:
    """A lot this warehouse never held, recorded so its quarantined units can be booked."""
    if not lot:
        return None
    return pid(get_or_create_lot(s, product, lot, None))
