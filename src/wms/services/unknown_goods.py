"""Goods with a code the catalogue does not know: captured into quarantine, never turned away;
a supervisor at the hub creates the product."""

from __future__ import annotations

import json
from dataclasses import dataclass

from wms.domain.errors import ReasonRequired, StockUnavailable
from wms.domain.gtin import is_valid_gtin, normalize_gtin
from wms.domain.kinds import OpType, StockStatus
from wms.domain.rules import require_positive
from wms.services.context import Actor, Context
from wms.services.receiving import Receive, Received, receiving_dock
from wms.services.stock_access import pid
from wms.store.catalog import Product, ProductBarcode
from wms.store.journal import Op, StockKey
from wms.store.people import ExceptionRecord
from wms.store.queries import barcode_lookup


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
        dock = receiving_dock(s, Receive(cmd.code, location=cmd.location), None)
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
