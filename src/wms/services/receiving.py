"""Receiving goods at a dock, against a PO/ASN line or blind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from wms.domain.errors import (
    DocumentClosed,
    InvalidQuantity,
    LotRefused,
    NotPermitted,
    ShortShelfLife,
    StockUnavailable,
    UnknownCode,
    WrongLocation,
)
from wms.domain.kinds import LocationType, OpType, Role, ShortShelfLifeAction, StockStatus, Tracking
from wms.domain.receiving import check_over_receipt
from wms.domain.rules import require_positive
from wms.domain.shelf_life import ShelfLifePolicy, check_receipt
from wms.services.context import Actor, Context
from wms.services.stock_access import get_or_create_lot, pid
from wms.store.catalog import Location, Product, SerialNumber
from wms.store.documents import InboundDocument, InboundLine
from wms.store.journal import Op, StockKey, cursor
from wms.store.people import Operator
from wms.store.queries import (
    container_by_code,
    location_by_code,
    product_by_code,
    snapshot,
    snapshots,
)
from wms.store.stock import Container

_RECEIVING_TYPES = frozenset(
    {LocationType.DOCK, LocationType.BONDED, LocationType.STAGING, LocationType.RETURNS}
)


@dataclass(frozen=True)
class Receive:
    """One receiving scan (or typed quantity) of a product at a dock."""

    code: str
    qty: int = 1
    document: str | None = None
    location: str | None = None
    lot: str | None = None
    expiry: date | None = None
    serial: str | None = None
    damaged: bool = False
    quarantine_short_life: bool = False
    container: str | None = None
    over_receipt_approved_by: str | None = None  # badge of the supervisor who approved


@dataclass(frozen=True)
class Received:
    """What the receipt recorded: units, where, in which status, and the line's progress."""

    seq: int
    sku: str
    units: int
    location: str
    status: StockStatus
    line_received: int | None = None
    line_expected: int | None = None


def open_document(s: Session, number: str) -> InboundDocument:
    """The open inbound document ``number`` (a read-only snapshot: see wms.store.queries);
    UnknownCode or DocumentClosed otherwise."""
    doc = snapshot(s, InboundDocument, number=number)
    if doc is None:
        raise UnknownCode(f"No document {number}")
    if doc.status != "open":
        raise DocumentClosed(f"{number} is closed")
    return doc


def receiving_dock(s: Session, cmd: Receive, doc: InboundDocument | None) -> Location:
    """Where goods are received: the scanned dock, or the document's; refused if it cannot."""
    if cmd.location:
        loc = location_by_code(s, cmd.location)
    elif doc is not None and doc.dock_id is not None:
        found = snapshot(s, Location, id=doc.dock_id)
        assert found is not None, "a document's dock: foreign keys are on"
        loc = found
    else:
        raise WrongLocation("Scan the dock you receive at")
    if loc.blocked or LocationType(loc.type) not in _RECEIVING_TYPES:
        raise WrongLocation(f"Cannot receive into {loc.code}")
    return loc


def _status(cmd: Receive, product: Product, dock: Location, today: date) -> StockStatus:
    """Damage and short shelf life quarantine; a bonded dock puts goods on customs hold."""
    if product.tracking == Tracking.LOT and cmd.expiry is not None and cmd.lot:
        policy = ShelfLifePolicy(
            min_remaining_days=product.min_remaining_days,
            removal_margin_days=product.removal_margin_days,
            on_short=ShortShelfLifeAction(product.short_shelf_life_action),
        )
        try:
            check_receipt(cmd.lot, cmd.expiry, today, policy)
        except ShortShelfLife as refusal:
            if not (refusal.quarantine_allowed and cmd.quarantine_short_life):
                raise
            return StockStatus.QUARANTINE
    if cmd.damaged:
        return StockStatus.QUARANTINE
    if dock.type == LocationType.BONDED:
        return StockStatus.CUSTOMS_HOLD
    return StockStatus.AVAILABLE


def _line(s: Session, doc: InboundDocument, product: Product) -> InboundLine:
    lines = snapshots(s, InboundLine, document_id=doc.id, product_id=product.id)
    if not lines:
        raise UnknownCode(f"{product.sku} is not on {doc.number}")
    return min(lines, key=lambda ln: ln.line_no)


_BOOK_LINE = (
    "UPDATE inboundline SET received_qty = received_qty + ?, damaged_qty = damaged_qty + ?"
    " WHERE id = ?"
)


def _approver(s: Session, badge: str | None) -> str | None:
    """The ID of the supervisor whose badge approves an over-receipt, or None if no badge."""
    if badge is None:
        return None
    op = s.exec(select(Operator).where(col(Operator.badge) == badge)).first()
    if op is None or not op.active or op.role != Role.SUPERVISOR:
        raise NotPermitted(f"Badge {badge} cannot approve: supervisor needed")
    return op.code


def _container(s: Session, code: str, dock: Location) -> Container:
    found = container_by_code(s, code)
    if found is None:
        found = Container(code=code, kind="sscc" if code.isdigit() else "lpn", location_id=dock.id)
        s.add(found)
        s.flush()
    elif found.location_id != dock.id:
        raise WrongLocation(f"Pallet {code} is not at {dock.code}")
    return found


def _serial(s: Session, product: Product, cmd: Receive, units: int, dock: Location) -> None:
    if not cmd.serial:
        raise LotRefused(f"{product.sku} needs a serial number")
    if units != 1:
        raise InvalidQuantity("Serial items are received one at a time")
    existing = s.exec(
        select(SerialNumber).where(
            col(SerialNumber.product_id) == product.id, col(SerialNumber.serial) == cmd.serial
        )
    ).first()
    if existing is not None and existing.location_id is not None:
        raise StockUnavailable(f"Serial {cmd.serial} is already in stock")
    if existing is None:
        s.add(SerialNumber(product_id=pid(product), serial=cmd.serial, location_id=dock.id))
    else:
        existing.location_id = dock.id
        s.add(existing)


def receive(ctx: Context, actor: Actor, cmd: Receive) -> Received:
    """Record goods arriving: stock appears at the dock in the status the rules give it."""
    actor.may(OpType.RECEIVE)
    require_positive(cmd.qty)
    with ctx.uow() as uow:
        s = uow.session
        product, pack = product_by_code(s, cmd.code)
        units = cmd.qty * pack
        doc = open_document(s, cmd.document) if cmd.document else None
        dock = receiving_dock(s, cmd, doc)
        status = _status(cmd, product, dock, ctx.today())
        lot_id = None
        if product.tracking == Tracking.LOT:
            if not cmd.lot:
                raise LotRefused(f"{product.sku} needs a lot: scan or type it")
            if cmd.expiry is None and product.shelf_life_days:
                raise LotRefused(f"Lot {cmd.lot}: scan or type the expiry date")
            lot_id = pid(get_or_create_lot(s, product, cmd.lot, cmd.expiry))
        elif product.tracking == Tracking.SERIAL:
            _serial(s, product, cmd, units, dock)
        line = None
        approver = _approver(s, cmd.over_receipt_approved_by)
        if doc is not None:
            line = _line(s, doc, product)
            check_over_receipt(
                product.sku,
                line.expected_qty,
                line.received_qty,
                units,
                ctx.settings.over_receipt_pct,
                approved=approver is not None,
            )
            damaged = units if cmd.damaged else 0
            cursor(s).execute(_BOOK_LINE, (units, damaged, line.id))
        container = _container(s, cmd.container, dock) if cmd.container else None
        op = Op(s, OpType.RECEIVE, actor.code, ctx.clock())
        op.post(
            StockKey(pid(product), pid(dock), lot_id, container.id if container else None, status),
            units,
        )
        seq = op.record(
            {
                "document": cmd.document,
                "line_no": line.line_no if line else None,
                "sku": product.sku,
                "code": cmd.code,
                "units": units,
                "lot": cmd.lot,
                "expiry": cmd.expiry,
                "serial": cmd.serial,
                "location": dock.code,
                "container": cmd.container,
                "status": status,
                "damaged": cmd.damaged,
                "approved_by": approver,
            }
        )
        uow.commit()
    return Received(
        seq,
        product.sku,
        units,
        dock.code,
        status,
        line.received_qty + units if line else None,
        line.expected_qty if line else None,
    )
