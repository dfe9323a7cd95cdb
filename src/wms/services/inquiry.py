"""Inquiry: scan anything (bin, product, lot, pallet, document) and see what it is and what it
holds, lot by lot with expiries, and the totals per status apart (held stock is not available
stock)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from wms.domain.errors import InvalidBarcode, UnknownCode
from wms.services.context import Context
from wms.store.catalog import Location, Lot, Product
from wms.store.documents import InboundDocument, OutboundOrder, PickTask
from wms.store.queries import (
    container_by_code,
    find_lot,
    location_by_code,
    product_by_code,
    stock_rows,
)
from wms.store.stock import Container, OnHand


@dataclass(frozen=True)
class StockLine:
    """One on-hand row in words an operator reads."""

    location: str
    sku: str
    lot: str | None
    container: str | None
    status: str
    qty: int
    expiry: date | None = None


@dataclass(frozen=True)
class Inquiry:
    """What a code is (``kind``, ``title``) and the stock it holds."""

    kind: str
    title: str
    lines: list[StockLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Units across all lines, whatever their status."""
        return sum(line.qty for line in self.lines)

    def by_status(self) -> dict[str, int]:
        """Units per status, available first: held stock is never added to available."""
        totals: Counter[str] = Counter()
        for line in self.lines:
            totals[line.status] += line.qty
        return dict(sorted(totals.items(), key=lambda kv: (kv[0] != "available", kv[0])))


def _lines(s: Session, rows: list[OnHand]) -> list[StockLine]:
    out = []
    for r in rows:
        lot = s.get_one(Lot, r.lot_id) if r.lot_id else None
        cont = s.get_one(Container, r.container_id).code if r.container_id else None
        out.append(
            StockLine(
                s.get_one(Location, r.location_id).code,
                s.get_one(Product, r.product_id).sku,
                lot.code if lot else None,
                cont,
                r.status,
                r.qty,
                lot.expiry if lot else None,
            )
        )
    return sorted(out, key=lambda x: (x.location, x.sku, x.expiry or date.max, x.lot or ""))


def _document(s: Session, code: str) -> Inquiry | None:
    receipt = s.exec(select(InboundDocument).where(col(InboundDocument.number) == code)).first()
    if receipt is not None:
        return Inquiry("receipt", f"Receipt {code} from {receipt.supplier}: {receipt.status}")
    order = s.exec(select(OutboundOrder).where(col(OutboundOrder.number) == code)).first()
    if order is not None:
        return Inquiry("order", f"Order {code} ({order.kind.replace('_', '-')}): {order.status}")
    task = s.exec(select(PickTask).where(col(PickTask.number) == code)).first()
    if task is not None:
        return Inquiry("task", f"Pick task {code}: {task.status}")
    return None


def inquire_lot(ctx: Context, code: str, lot: str) -> Inquiry:
    """Where lot ``lot`` of the product ``code`` names lies, with its expiry; UnknownCode when
    the product or the lot is not known."""
    with ctx.uow(write=False) as uow:
        s = uow.session
        product, _ = product_by_code(s, code)
        assert product.id is not None
        found = find_lot(s, product.id, lot)
        if found is None:
            raise UnknownCode(f"Lot {lot} of {product.sku} is not known here")
        expiry = f" exp {found.expiry}" if found.expiry else ""
        rows = stock_rows(s, product_id=product.id, lot_id=found.id)
        return Inquiry("lot", f"{product.sku} lot {lot}{expiry}", _lines(s, rows))


def inquire(ctx: Context, code: str) -> Inquiry:
    """Explain a scanned or typed code; UnknownCode when it names nothing in this warehouse."""
    with ctx.uow(write=False) as uow:
        s = uow.session
        try:
            loc = location_by_code(s, code)
            state = " (blocked)" if loc.blocked else ""
            title = f"Bin {loc.code} · {loc.type.replace('_', ' ')}{state}"
            return Inquiry("location", title, _lines(s, stock_rows(s, location_id=loc.id)))
        except UnknownCode:
            pass
        container = container_by_code(s, code)
        if container is not None:
            rows = stock_rows(s, container_id=container.id)
            return Inquiry("container", f"Pallet {code}", _lines(s, rows))
        document = _document(s, code)
        if document is not None:
            return document
        try:
            product, pack = product_by_code(s, code)
        except (UnknownCode, InvalidBarcode) as err:
            raise UnknownCode(f"{code}: not a bin, product, pallet or document here") from err
        per = f" · case of {pack}" if pack > 1 else ""
        rows = stock_rows(s, product_id=product.id)
        return Inquiry("product", f"{product.sku} {product.name}{per}", _lines(s, rows))
