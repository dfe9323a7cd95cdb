"""Dispatch at the outbound dock (hardware/SHIPPING.md): parcels onto a load, one carrier per
load; closing the load ships them, and only then does their stock leave the building.

A parcel is refused at the load in the loader's words: not packed (or not known here), opened
again, already on a load, another carrier's, held by customs (a bonded-retail parcel customs has
not released), or its order cancelled. Parcels packed at other terminals are known from the hub's
``parcel`` records, their goods from the pulled stock.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from wms.domain.customs import CustomsStatus, dispatch_refusal
from wms.domain.errors import DocumentClosed, ParcelRefused, UnknownCode, WrongLocation
from wms.domain.kinds import LocationType, OpType, OrderKind, OrderStatus
from wms.services.carts import tote_order
from wms.services.context import Actor, Context
from wms.store.catalog import Location
from wms.store.documents import OutboundOrder
from wms.store.journal import Op, StockKey, cursor, utc_text
from wms.store.queries import snapshot, snapshots
from wms.store.shipping import Load, Parcel
from wms.store.stock import Container


@dataclass(frozen=True)
class LoadView:
    """A load as the loader sees it: its carrier (None until its first parcel), its dock, and
    the parcels on it."""

    number: str
    carrier: str | None
    dock: str | None
    closed: bool
    parcels: tuple[str, ...]


def load_view(ctx: Context, number: str) -> LoadView | None:
    """Load ``number`` as this terminal knows it (None: a new load)."""
    with ctx.uow(write=False) as uow:
        return _view(uow.session, number)


def _view(s: Session, number: str) -> LoadView | None:
    load = snapshot(s, Load, number=number)
    if load is None:
        return None
    dock = snapshot(s, Location, id=load.dock_id)
    on = [p.sscc for p in snapshots(s, Parcel, load=number) if p.status in ("loaded", "shipped")]
    return LoadView(
        number, load.carrier, dock.code if dock else None, load.status == "closed", tuple(on)
    )


def dock(ctx: Context, code: str) -> str:
    """The dock a load is made up at; WrongLocation for anything that is not a dock."""
    with ctx.uow(write=False) as uow:
        loc = snapshot(uow.session, Location, code=code)
    if loc is None:
        raise UnknownCode(f"No location {code}")
    if loc.type != LocationType.DOCK:
        raise WrongLocation(f"{code} is not a dock: scan the outbound dock")
    return code


def refusal(s: Session, parcel: Parcel | None, code: str, load: LoadView | None) -> str | None:
    """Why ``parcel`` may not go onto ``load``, in the loader's words; None when it may."""
    sscc = short(code)
    if parcel is None:
        return f"Parcel {sscc} is not packed (not known here): take it back to packing"
    if parcel.status == "void":
        return f"Parcel {sscc} was opened again (void): take it back to packing"
    if parcel.status == "shipped":
        return f"Parcel {sscc} has shipped already"
    if parcel.status == "loaded":
        where = "this load" if load and parcel.load == load.number else f"load {parcel.load}"
        return f"Parcel {sscc} is already on {where}"
    if load is not None and load.carrier and parcel.carrier != load.carrier:
        return f"Parcel {sscc} goes by {parcel.carrier}, this load is {load.carrier}'s"
    order = snapshot(s, OutboundOrder, number=parcel.order_number)
    if OrderStatus.CANCELLED in (parcel.order_status, order.status if order else None):
        return f"Order {parcel.order_number} was cancelled: take parcel {sscc} back to packing"
    bonded = parcel.customs_status is not None or (order and order.kind == OrderKind.BONDED_RETAIL)
    status = parcel.customs_status or CustomsStatus.PENDING
    why = dispatch_refusal(status, parcel.customs_text) if bonded else None
    if why:
        return f"Parcel {sscc}: {why}"
    if not parcel.waybill:
        return f"Parcel {sscc} has no waybill yet: reprint its label once it is booked"
    return None


def short(sscc: str) -> str:
    """A parcel as a 40-column message names it: its SSCC's last six digits (its serial's end,
    the digits printed largest under the label's GS1-128)."""
    return "…" + sscc[-6:]


@dataclass(frozen=True)
class Loaded:
    """A parcel on the load: its op, and the load as it now stands."""

    seq: int
    load: LoadView
    order: str


def load_parcel(ctx: Context, actor: Actor, number: str, dock_code: str, sscc: str) -> Loaded:
    """Put parcel ``sscc`` onto load ``number`` at ``dock_code``: its goods move to the dock;
    a new load takes the first parcel's carrier."""
    actor.may(OpType.LOAD)
    now = ctx.clock()
    with ctx.uow() as uow:
        s = uow.session
        view = _view(s, number)
        if view is not None and view.closed:
            raise DocumentClosed(f"Load {number} is closed: scan a new load")
        parcel = snapshot(s, Parcel, sscc=sscc)
        why = refusal(s, parcel, sscc, view)
        if why is not None:
            raise ParcelRefused(why)
        assert parcel is not None
        at_dock = snapshot(s, Location, code=dock_code)
        box = snapshot(s, Container, code=sscc)
        assert at_dock is not None
        assert at_dock.id is not None
        cur = cursor(s)
        rows = (
            cur.execute(
                "SELECT product_id, location_id, lot_id, status, qty FROM onhand"
                " WHERE container_id = ?",
                (box.id,),
            ).fetchall()
            if box is not None
            else []
        )
        if box is None or box.id is None or not rows:
            raise ParcelRefused(
                f"Parcel {sscc}'s goods are not on this terminal yet: sync, then scan it"
            )
        if view is None:
            cur.execute(
                "INSERT INTO load (number, carrier, dock_id, status, opened_at)"
                " VALUES (?, ?, ?, 'open', ?)",
                (number, parcel.carrier, at_dock.id, utc_text(now)),
            )
        op = Op(s, OpType.LOAD, actor.code, now)
        for product_id, location_id, lot_id, status, qty in rows:
            op.post(StockKey(product_id, location_id, lot_id, box.id, status), -qty)
            op.post(StockKey(product_id, at_dock.id, lot_id, box.id, status), qty)
        cur.execute("UPDATE container SET location_id = ? WHERE id = ?", (at_dock.id, box.id))
        cur.execute("UPDATE parcel SET status = 'loaded', load = ? WHERE sscc = ?", (number, sscc))
        seq = op.record(
            {"load": number, "parcel": sscc, "carrier": parcel.carrier, "dock": dock_code}
        )
        uow.commit()
        after = _view(s, number)
    assert after is not None
    return Loaded(seq, after, parcel.order_number)


@dataclass(frozen=True)
class Shipped:
    """A load closed: its parcels shipped, their units gone from the building."""

    seq: int
    parcels: int
    units: int


def close_load(ctx: Context, actor: Actor, number: str) -> Shipped:
    """Close load ``number``: one ``ship`` op per parcel on it takes its stock out, then one
    ``close_load``; all in one transaction. Orders whose parcels have all left forget their
    consignee here at once."""
    actor.may(OpType.SHIP)
    now = ctx.clock()
    with ctx.uow() as uow:
        s = uow.session
        view = _view(s, number)
        if view is None:
            raise UnknownCode(f"No load {number}: scan its parcels first")
        if view.closed:
            raise DocumentClosed(f"Load {number} is closed already")
        parcels = [p for p in snapshots(s, Parcel, load=number) if p.status == "loaded"]
        if not parcels:
            raise ParcelRefused(f"Load {number} holds no parcel: nothing to ship")
        cur = cursor(s)
        units = 0
        for parcel in parcels:
            units += _ship(s, Op(s, OpType.SHIP, actor.code, now), parcel, number)
        op = Op(s, OpType.CLOSE_LOAD, actor.code, now)
        seq = op.record(
            {"load": number, "carrier": view.carrier, "dock": view.dock, "parcels": len(parcels)}
        )
        cur.execute(
            "UPDATE load SET status = 'closed', closed_at = ? WHERE number = ?",
            (utc_text(now), number),
        )
        for order in sorted({p.order_number for p in parcels}):
            _maybe_gone(s, order)
        uow.commit()
    return Shipped(seq, len(parcels), units)


def _ship(s: Session, op: Op, parcel: Parcel, load: str) -> int:
    cur = cursor(s)
    box = snapshot(s, Container, code=parcel.sscc)
    assert box is not None
    assert box.id is not None
    units = 0
    for product_id, location_id, lot_id, status, qty in cur.execute(
        "SELECT product_id, location_id, lot_id, status, qty FROM onhand WHERE container_id = ?",
        (box.id,),
    ).fetchall():
        op.post(StockKey(product_id, location_id, lot_id, box.id, status), -qty)
        units += qty
    cur.execute("UPDATE container SET location_id = NULL WHERE id = ?", (box.id,))
    cur.execute("UPDATE parcel SET status = 'shipped' WHERE sscc = ?", (parcel.sscc,))
    op.record(
        {
            "load": load,
            "parcel": parcel.sscc,
            "order": parcel.order_number,
            "carrier": parcel.carrier,
            "waybill": parcel.waybill,
        }
    )
    return units


_ALL_PACKED = (
    "SELECT COALESCE((SELECT SUM(qty) FROM outboundline ol JOIN outboundorder o"
    " ON o.id = ol.order_id WHERE o.number = :n), 0) <= COALESCE((SELECT SUM(pl.units)"
    " FROM parcelline pl JOIN parcel p ON p.sscc = pl.sscc WHERE p.order_number = :n"
    " AND p.status <> 'void'), 0) OR EXISTS (SELECT 1 FROM outboundorder WHERE number = :n"
    " AND status IN ('packed', 'loaded'))"
)


def _maybe_gone(s: Session, number: str) -> None:
    """An order with nothing more to pack (every unit in a parcel, or the hub says packed),
    none of whose parcels and none of whose units waits here any more: shipped, as far as this
    terminal knows; its consignee is erased at once."""
    cur = cursor(s)
    if not cur.execute(_ALL_PACKED, {"n": number}).fetchone()[0]:
        return
    waiting = cur.execute(
        "SELECT 1 FROM parcel WHERE order_number = ? AND status IN ('packed', 'loaded') LIMIT 1",
        (number,),
    ).fetchone()
    if waiting is not None:
        return
    totes = cur.execute(
        "SELECT DISTINCT c.code FROM onhand o JOIN container c ON c.id = o.container_id"
        " WHERE c.kind = 'tote'"
    ).fetchall()
    if any(tote_order(s, code) == number for (code,) in totes):
        return
    cur.execute("UPDATE outboundorder SET status = 'shipped' WHERE number = ?", (number,))
    cur.execute(
        "DELETE FROM orderconsignee WHERE order_id ="
        " (SELECT id FROM outboundorder WHERE number = ?)",
        (number,),
    )


def loadable(ctx: Context) -> list[Parcel]:
    """Parcels this terminal knows waiting to be loaded (for the demo's hints)."""
    with ctx.uow(write=False) as uow:
        return list(snapshots(uow.session, Parcel, status="packed"))


def open_loads(ctx: Context) -> list[str]:
    """Loads still being made up here."""
    with ctx.uow(write=False) as uow:
        return [ld.number for ld in snapshots(uow.session, Load, status="open")]
