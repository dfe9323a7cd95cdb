"""Closing a receipt: per-line short, over and damaged quantities (they feed the scorecard)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import col, select, update

from wms.domain.kinds import OpType
from wms.services.context import Actor, Context
from wms.services.receiving import open_document
from wms.services.stock_access import pid
from wms.store.catalog import Product
from wms.store.documents import InboundDocument, InboundLine, ReceiptDiscrepancy
from wms.store.journal import Op


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
        doc = open_document(s, number)
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
        s.execute(
            update(InboundDocument)
            .where(col(InboundDocument.id) == doc.id)
            .values(status="closed", closed_at=ctx.clock())
        )
        op = Op(s, OpType.CLOSE_RECEIPT, actor.code, ctx.clock())
        seq = op.record({"document": number, "discrepancies": [d.__dict__ for d in found]})
        uow.commit()
    return ReceiptClosed(seq, number, found)
