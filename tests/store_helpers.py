"""Assertions' helpers: read the store directly, as an auditor would."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from wms.services.auth import logon_badge
from wms.services.carts import load_cart, put_tote
from wms.services.context import Context
from wms.store.catalog import Location, Lot, Product
from wms.store.people import OpLog
from wms.store.stock import Container, OnHand


def qty_at(
    ctx: Context,
    bin_code: str,
    sku: str,
    lot: str | None = None,
    status: str | None = None,
    *,
    container: str | None = None,
) -> int:
    """Units of a product (lot, status, container) in a bin, read straight from the on-hand
    projection."""
    with Session(ctx.engine) as s:
        q = (
            select(func.coalesce(func.sum(OnHand.qty), 0))
            .join(Location, col(Location.id) == OnHand.location_id)
            .join(Product, col(Product.id) == OnHand.product_id)
            .where(Location.code == bin_code, Product.sku == sku)
        )
        if lot is not None:
            q = q.join(Lot, col(Lot.id) == OnHand.lot_id).where(Lot.code == lot)
        if status is not None:
            q = q.where(OnHand.status == status)
        if container is not None:
            q = q.join(Container, col(Container.id) == OnHand.container_id).where(
                Container.code == container
            )
        return int(s.exec(q).one())


def op_count(ctx: Context) -> int:
    """Rows in the op log."""
    with Session(ctx.engine) as s:
        return int(s.exec(select(func.count()).select_from(OpLog)).one())


def on_cart(ctx: Context, task: str, cart: str, *totes: str, badge: str = "OP0001") -> None:
    """Take pick task ``task`` onto ``cart`` with ``totes`` in its slots, as a picker scans
    them before the first stop."""
    actor = logon_badge(ctx, badge)
    load_cart(ctx, actor, task, cart)
    for tote in totes:
        put_tote(ctx, actor, task, tote)
