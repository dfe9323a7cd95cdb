"""Receiving goods at a dock, against a PO/ASN line or blind, and closing the receipt."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from wms.domain.errors import (
    DocumentClosed,
    InvalidQuantity,
    LotRefused,
    NotPermitted,
    ReasonRequired,
    ShortShelfLife,
    StockUnavailable,
    UnknownCode,
    WrongLocation,
)
from wms.domain.gtin import is_valid_gtin, normalize_gtin
from wms.domain.kinds import LocationType, OpType, Role, ShortShelfLifeAction, StockStatus, Tracking
from wms.domain.receiving import check_over_receipt
from wms.domain.rules import require_positive
from wms.domain.shelf_life import ShelfLifePolicy, check_receipt
from wms.services.context import Actor, Context
from wms.services.stock_access import get_or_create_lot, pid
from wms.store.catalog import Location, Product, ProductBarcode, SerialNumber
from wms.store.documents import InboundDocument, InboundLine, ReceiptDiscrepancy
from wms.store.journal import Op, StockKey
from wms.store.people import ExceptionRecord, Operator
from wms.store.queries import (
    barcode_lookup,
    container_by_code,
    location_by_code,
    product_by_code,
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


def _document(s: Session, number: str) -> InboundDocument:
    doc = s.exec(select(InboundDocument).where(col(InboundDocument.number) == number)).first()
    if doc is None:
        raise UnknownCode(f"No document {number}")
    if doc.status != "open":
        raise DocumentClosed(f"{number} is closed")
    return doc


def _dock(s: Session, cmd: Receive, doc: InboundDocument | None) -> Location:
    if cmd.location:
        loc = location_by_code(s, cmd.location)
    elif doc is not None and doc.dock_id is not None:
        loc = s.get_one(Location, doc.dock_id)
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
    line = s.exec(
        select(InboundLine)
        .where(col(InboundLine.document_id) == doc.id, col(InboundLine.product_id) == product.id)
        .order_by(col(InboundLine.line_no))
    ).first()
    if line is None:
        raise UnknownCode(f"{product.sku} is not on {doc.number}")
    return line


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
        doc = _document(s, cmd.document) if cmd.document else None
        dock = _dock(s, cmd, doc)
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
            line.received_qty += units
            line.damaged_qty += units if cmd.damaged else 0
            s.add(line)
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
        line.received_qty if line else None,
        line.expected_qty if line else None,
    )


@dataclass(frozen=True)
class Discrepancy:
    """A difference between what a line expected and what arrived."""

    line_no: int
    sku: str
    kind: str
    qty: int


@dataclass(frozen=True)
class ReceiptClosed:
    """The closed document and its discrepancies (empty when everything matched)."""

    seq: int
    document: str
    discrepancies: list[Discrepancy] = field(default_factory=list)


def close_receipt(ctx: Context, actor: Actor, number: str) -> ReceiptClosed:
    """Close a receipt, recording per-line short, over and damaged quantities."""
    actor.may(OpType.CLOSE_RECEIPT)
    with ctx.uow() as uow:
        s = uow.session
        doc = _document(s, number)
        found: list[Discrepancy] = []
        lines = s.exec(select(InboundLine).where(col(InboundLine.document_id) == doc.id)).all()
        for line in sorted(lines, key=lambda ln: ln.line_no):
            sku = s.get_one(Product, line.product_id).sku
            diff = line.received_qty - line.expected_qty
            if diff:
                found.append(
                    Discrepancy(line.line_no, sku, "over" if diff > 0 else "short", abs(diff))
                )
            if line.damaged_qty:
                found.append(Discrepancy(line.line_no, sku, "damaged", line.damaged_qty))
        for d in found:
            s.add(
                ReceiptDiscrepancy(
                    document_id=pid(doc),
                    line_no=d.line_no,
                    product_id=next(ln.product_id for ln in lines if ln.line_no == d.line_no),
                    kind=d.kind,
                    qty=d.qty,
                )
            )
        doc.status = "closed"
        doc.closed_at = ctx.clock()
        s.add(doc)
        op = Op(s, OpType.CLOSE_RECEIPT, actor.code, ctx.clock())
        seq = op.record({"document": number, "discrepancies": [d.__dict__ for d in found]})
        uow.commit()
    return ReceiptClosed(seq, number, found)


@dataclass(frozen=True)
class ReceiveUnknown:
    """Goods whose code the catalogue does not know: captured, never turned away."""

    code: str
    qty: int
    description: str
    location: str


def receive_unknown(ctx: Context, actor: Actor, cmd: ReceiveUnknown) -> Received:
    """Capture goods with an unknown code into quarantine and raise it to the hub, where a
    supervisor creates the product. A GTIN-shaped code must still have a valid check digit."""
    actor.may(OpType.RECEIVE)
    require_positive(cmd.qty)
    if not cmd.description:
        raise ReasonRequired("Type what the goods are")
    with ctx.uow() as uow:
        s = uow.session
        if barcode_lookup(s, cmd.code) is not None:
            raise StockUnavailable(f"{cmd.code} is known: receive it normally")
        key = normalize_gtin(cmd.code) if is_valid_gtin(cmd.code) else cmd.code
        dock = _dock(s, Receive(cmd.code, location=cmd.location), None)
        product = Product(sku=f"NEW-{key}", name=cmd.description[:200])
        s.add(product)
        s.flush()
        s.add(ProductBarcode(code=key, product_id=pid(product), kind="unknown"))
        op = Op(s, OpType.RECEIVE, actor.code, ctx.clock())
        status = StockStatus.QUARANTINE
        op.post(StockKey(pid(product), pid(dock), None, None, status), cmd.qty)
        s.add(
            ExceptionRecord(
                kind="unknown_product",
                op_seq=op.seq,
                message=f"New code {cmd.code} at {dock.code}: {cmd.description}"[:200],
                details=json.dumps({"code": cmd.code, "qty": cmd.qty}),
                created_at=ctx.clock(),
            )
        )
        seq = op.record(
            {
                "sku": product.sku,
                "code": cmd.code,
                "units": cmd.qty,
                "location": dock.code,
                "status": status,
                "unknown": True,
                "description": cmd.description,
            }
        )
        uow.commit()
    return Received(seq, product.sku, cmd.qty, dock.code, status)
