"""The pack station (hardware/SHIPPING.md): an order's picked units, from its totes into parcels.

The packer scans a tote (or the order, or a single-order pick task); the order's lines and what
its totes hold come up. Each item scanned is checked by `check_item` — the one place an item is
refused at packing — against what was picked for the order: a product it does not have, more
than was picked, a lot other than the one picked. A parcel is closed with its carton and weight:
its SSCC (and a pool carrier's waybill number) come from this terminal's number blocks, and one
``pack`` op moves its units from the totes to the parcel at the station. Several parcels per
order; one order per parcel, always.

A parcel may be opened again (``unpack``): its goods go back to the station's bench, loose, still
the order's, and are packed again from there.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from wms.domain.customs import CustomsFacts, packing_refusal
from wms.domain.errors import (
    CustomsDataMissing,
    DocumentClosed,
    DomainError,
    LotRefused,
    ParcelRefused,
    StockUnavailable,
    UnknownCode,
    WrongContainer,
    WrongLocation,
)
from wms.domain.kinds import LocationType, OpType, OrderKind, OrderStatus, Tracking
from wms.domain.packing import (
    SSCC,
    WAYBILL,
    CartonType,
    Goods,
    expected_weight,
    suggest_carton,
)
from wms.services.carts import tote_order
from wms.services.context import Actor, Context
from wms.services.numbers import take_number
from wms.store.catalog import Location, Product
from wms.store.documents import OrderConsignee, OutboundOrder, PickTask
from wms.store.journal import Op, StockKey, cursor, utc_text
from wms.store.queries import product_by_code, snapshot, snapshots
from wms.store.shipping import Carrier, Carton, CustomsItem, Parcel
from wms.store.stock import Container

POOL, API = "pool", "api"
# Order statuses in which nothing may be packed for it any more.
_CLOSED = {OrderStatus.CANCELLED, OrderStatus.SHIPPED}


@dataclass(frozen=True)
class Source:
    """Units of one product (lot, status) picked for the order, where they wait: a tote on a
    cart, or the station's bench after an unpack (``container`` None)."""

    location: str
    location_id: int
    container: str | None
    container_id: int | None
    product_id: int
    sku: str
    lot: str | None
    lot_id: int | None
    status: str
    qty: int


@dataclass(frozen=True)
class OrderLine:
    """One product of the order: how many it asks for and how many earlier parcels hold."""

    sku: str
    name: str
    ordered: int
    packed: int


@dataclass(frozen=True)
class PackOrder:
    """An order at the pack station: its lines, what was picked for it and where, its carrier."""

    number: str
    kind: str
    carrier: str | None
    carrier_kind: str | None
    service: str | None
    station: str
    lines: tuple[OrderLine, ...]
    sources: tuple[Source, ...]
    parcels_before: int
    goods: dict[int, Goods] = field(default_factory=dict)  # one unit of each product
    # A bonded-retail order's products' customs data by sku (None: the hub sent none).
    customs: dict[str, CustomsFacts | None] = field(default_factory=dict)

    def line(self, sku: str) -> OrderLine | None:
        """The order's line for ``sku``, if it has one."""
        return next((ln for ln in self.lines if ln.sku == sku), None)

    @property
    def totes(self) -> tuple[str, ...]:
        """The totes the order's units wait in."""
        return tuple(sorted({s.container for s in self.sources if s.container}))


@dataclass(frozen=True)
class Take:
    """``units`` scanned into the parcel from source ``source`` (its index in the order's)."""

    source: int
    units: int


@dataclass
class Draft:
    """The parcel being filled: what has been scanned into it so far."""

    takes: list[Take] = field(default_factory=list)

    def taken(self, source: int) -> int:
        """Units taken from source ``source`` so far."""
        return sum(t.units for t in self.takes if t.source == source)

    def units(self, order: PackOrder, sku: str | None = None) -> int:
        """Units in the parcel (of ``sku`` only, when given)."""
        return sum(t.units for t in self.takes if sku is None or order.sources[t.source].sku == sku)


@dataclass(frozen=True)
class Item:
    """What one scan at the pack station names: a product, how many units (a case counts its
    pack), and the lot the label carries (None when it carries none)."""

    product_id: int
    sku: str
    name: str
    tracking: str
    customs_controlled: bool
    units: int
    lot: str | None = None


class LotNeeded(LotRefused):
    """The item's lot must be scanned: the order's totes hold more than one lot of it."""


def check_item(order: PackOrder, draft: Draft, item: Item) -> list[Take]:
    """Check one scanned item against what was picked for the order and say where its units
    come from; refuse (DomainError) a product the order does not have, a surplus, a lot other
    than the one picked, or (bonded retail) a product lacking customs data. Every refusal at
    packing is decided here."""
    line = order.line(item.sku)
    if line is None:
        raise ParcelRefused(f"{item.sku} is not in order {order.number}: put it aside")
    if order.kind == OrderKind.BONDED_RETAIL:
        refusal = packing_refusal(item.sku, order.customs.get(item.sku))
        if refusal:
            raise CustomsDataMissing(refusal)
    rows = [i for i, s in enumerate(order.sources) if s.product_id == item.product_id]
    left = {i: order.sources[i].qty - draft.taken(i) for i in rows}
    if item.lot is not None and item.tracking == Tracking.LOT:
        picked = sorted({order.sources[i].lot or "" for i in rows if left[i] > 0})
        rows = [i for i in rows if order.sources[i].lot == item.lot]
        if not rows:
            take = ", ".join(picked) if picked else "none left"
            raise LotRefused(f"Lot {item.lot} was not picked for {order.number}: take {take}")
    elif item.tracking == Tracking.LOT:
        lots = {order.sources[i].lot for i in rows if left[i] > 0}
        if len(lots) > 1:
            raise LotNeeded(f"Scan the lot of {item.sku}: {', '.join(sorted(map(str, lots)))}")
    available = sum(left[i] for i in rows)
    if item.units > available:
        scanned = draft.units(order, item.sku)
        if available == 0:
            raise ParcelRefused(
                f"Surplus {item.sku}: all picked for {order.number} are packed ({scanned} here)"
            )
        raise ParcelRefused(f"Surplus: only {available} more {item.sku} picked for {order.number}")
    takes, need = [], item.units
    for i in sorted(rows, key=lambda i: (order.sources[i].container is None, i)):
        n = min(need, left[i])
        if n > 0:
            takes.append(Take(i, n))
            need -= n
    return takes


@dataclass(frozen=True)
class Missing:
    """What of an order line is in no parcel yet: still to scan (in a tote), or not picked."""

    sku: str
    to_scan: int
    not_picked: int


def missing(order: PackOrder, draft: Draft) -> list[Missing]:
    """Per line, what is neither in an earlier parcel nor in this one."""
    out = []
    for ln in order.lines:
        here = draft.units(order, ln.sku)
        in_totes = sum(s.qty for s in order.sources if s.sku == ln.sku) - here
        rest = ln.ordered - ln.packed - here
        if rest > 0:
            to_scan = min(rest, in_totes)
            out.append(Missing(ln.sku, to_scan, rest - to_scan))
    return out


# --- finding the order --------------------------------------------------------------------------

_IN_TOTES = (
    "SELECT DISTINCT c.code FROM onhand o JOIN container c ON c.id = o.container_id"
    " JOIN location l ON l.id = o.location_id WHERE c.kind = 'tote' AND l.type = 'cart'"
)
_TOTE_ROWS = (
    "SELECT o.location_id, l.code, o.container_id, c.code, o.product_id, p.sku, o.lot_id,"
    " lot.code, o.status, o.qty FROM onhand o JOIN container c ON c.id = o.container_id"
    " JOIN location l ON l.id = o.location_id JOIN product p ON p.id = o.product_id"
    " LEFT JOIN lot ON lot.id = o.lot_id WHERE c.code = ? ORDER BY o.id"
)


def order_for(ctx: Context, code: str) -> str:
    """The order a scanned tote, order or pick task stands for at the pack station."""
    with ctx.uow(write=False) as uow:
        s = uow.session
        if snapshot(s, OutboundOrder, number=code) is not None:
            return code
        task = snapshot(s, PickTask, number=code)
        if task is not None:
            if task.order_id is None:
                raise WrongContainer(f"{code} holds several orders: scan one of its totes")
            order = snapshot(s, OutboundOrder, id=task.order_id)
            assert order is not None
            return order.number
        if code.startswith("TOTE"):
            found = tote_order(s, code)
            if found is None:
                raise WrongContainer(f"{code} is empty: nothing to pack")
            return found
    raise UnknownCode(f"No order {code} on this terminal")


def open_order(ctx: Context, number: str, station: str) -> PackOrder:
    """Order ``number`` as the pack station at ``station`` sees it; refused when it cannot be
    packed (cancelled, shipped, or nothing of it waits to be packed here)."""
    with ctx.uow(write=False) as uow:
        s = uow.session
        order = snapshot(s, OutboundOrder, number=number)
        if order is None:
            raise UnknownCode(f"No order {number} on this terminal")
        if order.status in _CLOSED:
            raise DocumentClosed(f"Order {number} is {order.status}: do not pack it")
        here = snapshot(s, Location, code=station)
        if here is None or here.type != LocationType.PACK:
            raise WrongLocation(f"{station} is not a pack station")
        sources = _sources(s, number, station)
        if not sources:
            raise StockUnavailable(f"Nothing of {number} waits to be packed here")
        carrier = snapshot(s, Carrier, code=order.carrier) if order.carrier else None
        lines, goods = _lines(s, order, sources)
        before = int(
            cursor(s)
            .execute(
                "SELECT COUNT(*) FROM parcel WHERE order_number = ? AND status <> 'void'",
                (number,),
            )
            .fetchone()[0]
        )
        return PackOrder(
            number,
            order.kind,
            order.carrier,
            carrier.kind if carrier else None,
            order.service,
            station,
            lines,
            tuple(sources),
            before,
            goods,
            _customs(s, order.kind, [ln.sku for ln in lines]),
        )


def _customs(s: Session, kind: str, skus: list[str]) -> dict[str, CustomsFacts | None]:
    """The customs data of a bonded-retail order's products (other orders need none)."""
    if kind != OrderKind.BONDED_RETAIL:
        return {}
    found: dict[str, CustomsFacts | None] = dict.fromkeys(skus)
    for item in s.exec(select(CustomsItem).where(col(CustomsItem.sku).in_(skus))):
        found[item.sku] = CustomsFacts(
            item.hs_code, item.unit, item.legal_unit, item.origin, item.item_record_no
        )
    return found


def _sources(s: Session, number: str, station: str) -> list[Source]:
    cur = cursor(s)
    totes = [code for (code,) in cur.execute(_IN_TOTES).fetchall()]
    out = []
    for code in sorted(totes):
        if tote_order(s, code) != number:
            continue
        for r in cur.execute(_TOTE_ROWS, (code,)).fetchall():
            out.append(Source(r[1], r[0], r[3], r[2], r[4], r[5], r[7], r[6], r[8], int(r[9])))
    return out + _bench(s, number, station)


_UNPACKED = (
    "SELECT pl.product_id, pl.lot_id, pl.status, SUM(CASE WHEN p.status = 'void'"
    " AND p.unpacked_to = ? THEN pl.units ELSE 0 END) - SUM(CASE WHEN p.status <> 'void'"
    " AND pl.from_container_id IS NULL AND pl.from_location_id = ? THEN pl.units ELSE 0 END)"
    " FROM parcelline pl JOIN parcel p ON p.sscc = pl.sscc WHERE p.order_number = ?"
    " GROUP BY pl.product_id, pl.lot_id, pl.status"
)
_LOOSE = (
    "SELECT COALESCE(SUM(qty), 0) FROM onhand WHERE location_id = ? AND product_id = ?"
    " AND lot_id IS ? AND container_id IS NULL AND status = ?"
)


def _bench(s: Session, number: str, station: str) -> list[Source]:
    """The order's units on the station's bench: unpacked here and not packed again."""
    loc = snapshot(s, Location, code=station)
    assert loc is not None
    assert loc.id is not None
    cur = cursor(s)
    out = []
    for product_id, lot_id, status, units in cur.execute(
        _UNPACKED, (station, loc.id, number)
    ).fetchall():
        there = int(cur.execute(_LOOSE, (loc.id, product_id, lot_id, status)).fetchone()[0])
        qty = min(int(units), there)
        if qty <= 0:
            continue
        product = snapshot(s, Product, id=product_id)
        assert product is not None
        lot = _lot_code(s, lot_id)
        out.append(
            Source(station, loc.id, None, None, product_id, product.sku, lot, lot_id, status, qty)
        )
    return out


def _lot_code(s: Session, lot_id: int | None) -> str | None:
    if lot_id is None:
        return None
    row = cursor(s).execute("SELECT code FROM lot WHERE id = ?", (lot_id,)).fetchone()
    return None if row is None else str(row[0])


_ORDER_LINES = (
    "SELECT p.id, p.sku, p.name, SUM(ol.qty), p.weight_g, p.length_mm, p.width_mm, p.height_mm"
    " FROM outboundline ol JOIN product p ON p.id = ol.product_id WHERE ol.order_id = ?"
    " GROUP BY p.id ORDER BY MIN(ol.line_no)"
)
_PACKED = (
    "SELECT pl.product_id, SUM(pl.units) FROM parcelline pl JOIN parcel p ON p.sscc = pl.sscc"
    " WHERE p.order_number = ? AND p.status <> 'void' GROUP BY pl.product_id"
)


def _lines(
    s: Session, order: OutboundOrder, sources: Sequence[Source]
) -> tuple[tuple[OrderLine, ...], dict[int, Goods]]:
    cur = cursor(s)
    packed = dict(cur.execute(_PACKED, (order.number,)).fetchall())
    lines, goods = [], {}
    for pid_, sku, name, qty, weight, length, width, height in cur.execute(
        _ORDER_LINES, (order.id,)
    ).fetchall():
        lines.append(OrderLine(sku, name, int(qty), int(packed.get(pid_, 0))))
        size = (length, width, height) if length and width and height else None
        goods[pid_] = Goods(1, weight, size)
    for src in sources:  # a unit picked for the order that it no longer asks for still counts
        goods.setdefault(src.product_id, Goods(1))
    return tuple(lines), goods


def parcel_goods(order: PackOrder, draft: Draft) -> list[Goods]:
    """The parcel's goods, per product, with their units' weights and sizes."""
    units: dict[int, int] = defaultdict(int)
    for t in draft.takes:
        units[order.sources[t.source].product_id] += t.units
    return [
        Goods(n, order.goods[p].weight_g, order.goods[p].size_mm) for p, n in sorted(units.items())
    ]


# --- cartons --------------------------------------------------------------------------------------


def cartons(ctx: Context) -> list[CartonType]:
    """The cartons this warehouse packs in."""
    with ctx.uow(write=False) as uow:
        return [
            CartonType(c.code, (c.length_mm, c.width_mm, c.height_mm), c.max_weight_g, c.tare_g)
            for c in snapshots(uow.session, Carton)
        ]


def carton(ctx: Context, code: str) -> CartonType:
    """The carton ``code`` (a scan of its barcode); UnknownCode when there is none."""
    found = next((c for c in cartons(ctx) if c.code == code), None)
    if found is None:
        raise UnknownCode(f"No carton {code[:20]}: scan a carton's barcode")
    return found


def suggestion(ctx: Context, order: PackOrder, draft: Draft) -> CartonType | None:
    """The carton the parcel's goods fit best, where their sizes or weights are known."""
    return suggest_carton(parcel_goods(order, draft), cartons(ctx))


def expected_g(order: PackOrder, draft: Draft, box: CartonType | None) -> int | None:
    """What the parcel should weigh (None: a weight is unknown)."""
    return expected_weight(parcel_goods(order, draft), box)


# --- closing a parcel ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Closed:
    """A parcel closed: its SSCC, its waybill (None until an API carrier books it), whether
    it completes the order, and its place among the order's parcels."""

    seq: int
    sscc: str
    waybill: str | None
    carrier_kind: str
    complete: bool
    parcel_no: int


@dataclass(frozen=True)
class Boxed:
    """How the parcel was closed: its carton, its weight and where the weight came from
    (``scale`` or ``typed``)."""

    carton: CartonType
    weight_g: int
    source: str


def close_parcel(
    ctx: Context, actor: Actor, order: PackOrder, draft: Draft, boxed: Boxed
) -> Closed:
    """Close the parcel: number it from this terminal's blocks, move its units from the totes
    (or the bench) into it at the station, record the ``pack`` op; all in one transaction."""
    box, weight_g, weight_source = boxed.carton, boxed.weight_g, boxed.source
    actor.may(OpType.PACK)
    if not draft.takes:
        raise ParcelRefused("The parcel is empty: scan its items first")
    if order.carrier is None:
        raise ParcelRefused(f"Order {order.number} names no carrier: ask the supervisor")
    if order.carrier_kind not in (POOL, API):
        raise ParcelRefused(f"Carrier {order.carrier} is not known here yet: sync first")
    now = ctx.clock()
    with ctx.uow() as uow:
        s = uow.session
        current = snapshot(s, OutboundOrder, number=order.number)
        if current is None or current.status in _CLOSED:
            what = current.status if current else "gone"
            raise DocumentClosed(f"Order {order.number} is {what}: open the parcel, do not ship")
        station = snapshot(s, Location, code=order.station)
        assert station is not None
        assert station.id is not None
        sscc = take_number(s, SSCC, None, now)
        waybill = (
            take_number(s, WAYBILL, order.carrier, now) if order.carrier_kind == POOL else None
        )
        cur = cursor(s)
        cur.execute(
            "INSERT INTO container (code, kind, location_id) VALUES (?, 'sscc', ?)",
            (sscc, station.id),
        )
        parcel_box = snapshot(s, Container, code=sscc)
        assert parcel_box is not None
        assert parcel_box.id is not None
        expected = expected_g(order, draft, box)
        complete = not any(m.to_scan or m.not_picked for m in missing(order, draft))
        cur.execute(
            "INSERT INTO parcel (sscc, order_number, carrier, service, waybill, status,"
            " weight_g, expected_g, carton, station, booking, packed_here, packed_at)"
            " VALUES (?, ?, ?, ?, ?, 'packed', ?, ?, ?, ?, ?, 1, ?)",
            (
                sscc,
                order.number,
                order.carrier,
                order.service,
                waybill,
                weight_g,
                expected,
                box.code,
                order.station,
                "booked" if waybill else "pending",
                utc_text(now),
            ),
        )
        op = Op(s, OpType.PACK, actor.code, now)
        lines = _post(s, op, order, draft, into=(station.id, parcel_box.id, sscc))
        seq = op.record(
            {
                "parcel": sscc,
                "order": order.number,
                "carrier": order.carrier,
                "service": order.service,
                "waybill": waybill,
                "carton": box.code,
                "weight_g": weight_g,
                "expected_g": expected,
                "weight_source": weight_source,
                "station": order.station,
                "lines": lines,
            }
        )
        uow.commit()
    return Closed(seq, sscc, waybill, order.carrier_kind, complete, order.parcels_before + 1)


def _post(
    s: Session, op: Op, order: PackOrder, draft: Draft, *, into: tuple[int, int, str]
) -> list[dict[str, object]]:
    """Move the draft's units into the parcel (``into``: station, parcel container, SSCC); its
    lines as the op names them."""
    station_id, parcel_id, sscc = into
    taken: dict[int, int] = defaultdict(int)
    for t in draft.takes:
        taken[t.source] += t.units
    lines = []
    cur = cursor(s)
    for i, units in sorted(taken.items()):
        src = order.sources[i]
        key = StockKey(src.product_id, src.location_id, src.lot_id, src.container_id, src.status)
        try:
            op.post(key, -units)
        except StockUnavailable:  # moved meanwhile (a sync, another station): nothing written
            where = src.container or src.location
            raise StockUnavailable(
                f"{src.sku} is no longer in {where}: scan the tote again"
            ) from None
        op.post(StockKey(src.product_id, station_id, src.lot_id, parcel_id, src.status), units)
        cur.execute(
            "INSERT INTO parcelline (sscc, product_id, lot_id, status, units, from_location_id,"
            " from_container_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                sscc,
                src.product_id,
                src.lot_id,
                src.status,
                units,
                src.location_id,
                src.container_id,
            ),
        )
        lines.append(
            {
                "sku": src.sku,
                "lot": src.lot or "",
                "units": units,
                "from_location": src.location,
                "from_container": src.container or "",
            }
        )
    return lines


# --- after closing: booking, labels, opening again ---------------------------------------------


def record_booking(ctx: Context, sscc: str, waybill: str) -> None:
    """The hub booked the parcel online: keep its waybill for the label and for dispatch."""
    with ctx.uow() as uow:
        cursor(uow.session).execute(
            "UPDATE parcel SET waybill = ?, booking = 'booked' WHERE sscc = ?", (waybill, sscc)
        )
        uow.commit()


@dataclass(frozen=True)
class LabelFacts:
    """What the shipping label of a parcel prints (the consignee is personal data: it goes to
    the label and nowhere else)."""

    waybill: str
    sscc: str
    carrier: str
    service: str
    order: str
    weight_g: int
    ship_to: OrderConsignee
    parcel: int
    parcels: int


def label_facts(ctx: Context, sscc: str, *, parcels: tuple[int, int] = (1, 1)) -> LabelFacts:
    """The facts of parcel ``sscc``'s shipping label; refused while it has no waybill yet or
    once its order's consignee is gone (shipped or cancelled)."""
    with ctx.uow(write=False) as uow:
        s = uow.session
        parcel = snapshot(s, Parcel, sscc=sscc)
        if parcel is None:
            raise UnknownCode(f"No parcel {sscc} on this terminal")
        if parcel.status == "void":
            raise ParcelRefused(f"Parcel {sscc} is void: it has no label")
        if not parcel.waybill:
            raise ParcelRefused(
                f"{parcel.carrier} has not booked {sscc} yet: sync, then reprint its label"
            )
        order = snapshot(s, OutboundOrder, number=parcel.order_number)
        to = snapshot(s, OrderConsignee, order_id=order.id) if order else None
        if to is None:
            raise ParcelRefused(
                f"Order {parcel.order_number}'s consignee is not on this terminal: the hub"
                " prints the label (wms hub parcels label)"
            )
        return LabelFacts(
            parcel.waybill,
            sscc,
            parcel.carrier,
            parcel.service or "",
            parcel.order_number,
            parcel.weight_g,
            to,
            *parcels,
        )


def address_lines(consignee: OrderConsignee) -> tuple[str, ...]:
    """The consignee's address lines as stored (a JSON list)."""
    try:
        found = json.loads(consignee.address)
    except ValueError:
        return (consignee.address,)
    return tuple(str(a) for a in found) if isinstance(found, list) else (str(found),)


@dataclass(frozen=True)
class Opened:
    """A parcel opened again: its op, and its goods (units) now on the station's bench."""

    seq: int
    units: int


def unpack(ctx: Context, actor: Actor, sscc: str, station: str, reason: str) -> Opened:
    """Open parcel ``sscc`` again at ``station``: its goods go onto the bench (loose, in their
    status, still the order's), the parcel is void and its waybill never used again."""
    actor.may(OpType.UNPACK)
    if not reason.strip():
        raise DomainError("Say why the parcel is opened")
    now = ctx.clock()
    with ctx.uow() as uow:
        s = uow.session
        parcel = snapshot(s, Parcel, sscc=sscc)
        if parcel is None:
            raise UnknownCode(f"No parcel {sscc} on this terminal")
        if parcel.status in ("shipped", "void"):
            raise ParcelRefused(f"Parcel {sscc} is {parcel.status}: it cannot be opened")
        if parcel.status == "loaded":
            raise ParcelRefused(f"Parcel {sscc} is on load {parcel.load}: take it off first")
        bench = snapshot(s, Location, code=station)
        box = snapshot(s, Container, code=sscc)
        if bench is None or bench.id is None or box is None or box.id is None:
            raise WrongLocation(f"Parcel {sscc} is not at {station}")
        cur = cursor(s)
        rows = cur.execute(
            "SELECT product_id, location_id, lot_id, status, qty FROM onhand"
            " WHERE container_id = ?",
            (box.id,),
        ).fetchall()
        if not rows:
            raise ParcelRefused(f"Parcel {sscc}'s goods are not on this terminal: sync first")
        op = Op(s, OpType.UNPACK, actor.code, now)
        units = 0
        for product_id, location_id, lot_id, status, qty in rows:
            op.post(StockKey(product_id, location_id, lot_id, box.id, status), -qty)
            op.post(StockKey(product_id, bench.id, lot_id, None, status), qty)
            units += qty
        cur.execute(
            "UPDATE parcel SET status = 'void', unpacked_to = ? WHERE sscc = ?", (station, sscc)
        )
        seq = op.record({"parcel": sscc, "reason": reason.strip(), "to_location": station})
        uow.commit()
    return Opened(seq, units)


def parcel_at(ctx: Context, sscc: str) -> Parcel:
    """Parcel ``sscc`` as this terminal knows it."""
    with ctx.uow(write=False) as uow:
        parcel = snapshot(uow.session, Parcel, sscc=sscc)
    if parcel is None:
        raise UnknownCode(f"No parcel {sscc} on this terminal")
    return parcel


def consignee_gone(s: Session, order_id: int) -> None:
    """Erase an order's consignee (its parcels have all left, or it was cancelled)."""
    cursor(s).execute("DELETE FROM orderconsignee WHERE order_id = ?", (order_id,))


# --- what the pack station's screens need -------------------------------------------------------


def scanned_item(
    ctx: Context, code: str, qty: int, lot: str | None, count: int | None = None
) -> Item:
    """What a product scan names: the product, its units (``qty`` times the case's pack, or a
    case label's own count) and the lot the label carries."""
    with ctx.uow(write=False) as uow:
        product, pack = product_by_code(uow.session, code)
    assert product.id is not None
    units = qty * (count or pack)
    return Item(
        product.id,
        product.sku,
        product.name,
        product.tracking,
        product.customs_controlled,
        units,
        lot,
    )


def last_station(ctx: Context) -> str | None:
    """The pack station this terminal last closed a parcel at."""
    with ctx.uow(write=False) as uow:
        row = (
            cursor(uow.session)
            .execute(
                "SELECT station FROM parcel WHERE packed_here = 1 AND station IS NOT NULL"
                " ORDER BY packed_at DESC LIMIT 1"
            )
            .fetchone()
        )
    return None if row is None else str(row[0])


def station_type(ctx: Context, code: str) -> str | None:
    """The type of location ``code`` (None: no such location)."""
    with ctx.uow(write=False) as uow:
        loc = snapshot(uow.session, Location, code=code)
    return None if loc is None else loc.type


def waiting_totes(ctx: Context) -> list[tuple[str, str]]:
    """(tote, order) of the totes on carts waiting to be packed here."""
    with ctx.uow(write=False) as uow:
        s = uow.session
        codes = [str(c) for (c,) in cursor(s).execute(_IN_TOTES).fetchall()]
        found = [(code, tote_order(s, code)) for code in sorted(codes)]
    return [(code, order) for code, order in found if order]


def packed_here(ctx: Context, limit: int) -> list[Parcel]:
    """The parcels this terminal closed last, not yet loaded."""
    with ctx.uow(write=False) as uow:
        rows = snapshots(uow.session, Parcel, packed_here=True, status="packed")
    return sorted(rows, key=lambda p: str(p.packed_at), reverse=True)[:limit]


def lots_of(ctx: Context, sku: str) -> list[str]:
    """Every lot of product ``sku`` this terminal knows."""
    with ctx.uow(write=False) as uow:
        rows = cursor(uow.session).execute(
            "SELECT l.code FROM lot l JOIN product p ON p.id = l.product_id WHERE p.sku = ?"
            " ORDER BY l.code",
            (sku,),
        )
        return [str(r[0]) for r in rows]
