"""Parcels and loads as supervisors see them; a parcel's label printed again; a parcel voided.

Voiding a parcel at the hub (it will not ship: a wrong carrier, a damaged box) voids its
waybill with the carrier (in the background, never reused) and leaves its goods promised to the
order in the box, until the floor opens it (``unpack``) and packs them again.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Connection, text

from wms.hub.planning.order_documents import publish_parcels, republish_orders
from wms.hub.planning.order_state import settle_orders
from wms.hub.planning.reservations import Held, hold
from wms.labels import STOCKS, Format, LabelError, ShippingLabel, ShipTo, render


class NoSuchParcel(LookupError):
    """The warehouse has no parcel with that SSCC."""


class CannotVoid(Exception):
    """The parcel is loaded, shipped or void already."""


class NoLabel(Exception):
    """The parcel has no waybill yet (its booking is pending) or no consignee."""


@dataclass(frozen=True)
class ParcelLine:
    """Units of one product (lot) in a parcel, and the tote they came from."""

    sku: str
    lot: str
    units: int
    from_container: str


@dataclass(frozen=True)
class ParcelView:
    """A parcel as the hub holds it."""

    sscc: str
    order_number: str
    carrier: str
    service: str | None
    waybill: str | None
    status: str
    booking: str
    weight_g: int | None
    expected_g: int | None
    carton: str | None
    station: str | None
    location: str | None
    load: str | None
    customs_status: str | None
    packed_at: datetime
    shipped_at: datetime | None
    lines: list[ParcelLine] = field(default_factory=list)


_FIELDS = [f for f in ParcelView.__dataclass_fields__ if f != "lines"]


def parcels(
    conn: Connection,
    warehouse: str,
    *,
    status: str | None = None,
    carrier: str | None = None,
    order: str | None = None,
    day: date | None = None,
    limit: int = 500,
) -> list[ParcelView]:
    """The warehouse's parcels, newest first (of one status, carrier, order or packing day)."""
    rows = conn.execute(
        text(
            f"SELECT {', '.join(_FIELDS)} FROM parcel WHERE warehouse = :w"
            " AND (CAST(:st AS text) IS NULL OR status = :st)"
            " AND (CAST(:c AS text) IS NULL OR carrier = :c)"
            " AND (CAST(:o AS text) IS NULL OR order_number = :o)"
            " AND (CAST(:d AS date) IS NULL OR packed_at::date = :d)"
            " ORDER BY packed_at DESC, sscc LIMIT :n"
        ),
        {"w": warehouse, "st": status, "c": carrier, "o": order, "d": day, "n": limit},
    )
    return [ParcelView(**r._mapping) for r in rows]


def parcel_view(conn: Connection, warehouse: str, sscc: str) -> ParcelView:
    """One parcel with its lines; NoSuchParcel when the warehouse has none of that SSCC."""
    row = conn.execute(
        text(f"SELECT {', '.join(_FIELDS)} FROM parcel WHERE warehouse = :w AND sscc = :s"),
        {"w": warehouse, "s": sscc},
    ).first()
    if row is None:
        raise NoSuchParcel(f"no parcel {sscc} in {warehouse}")
    lines = conn.execute(
        text(
            "SELECT sku, lot, units, from_container FROM parcel_line WHERE warehouse = :w"
            " AND sscc = :s ORDER BY n"
        ),
        {"w": warehouse, "s": sscc},
    )
    return ParcelView(**row._mapping, lines=[ParcelLine(**r._mapping) for r in lines])


def order_parcels(conn: Connection, warehouse: str, order: str) -> list[ParcelView]:
    """An order's parcels and their waybills, oldest first."""
    return list(reversed(parcels(conn, warehouse, order=order)))


@dataclass(frozen=True)
class LoadView:
    """A load at the dock and its parcels."""

    number: str
    carrier: str | None
    dock: str | None
    status: str
    parcels: int
    opened_at: datetime
    closed_at: datetime | None
    members: list[str] = field(default_factory=list)


def loads(
    conn: Connection, warehouse: str, *, status: str | None = None, limit: int = 200
) -> list[LoadView]:
    """The warehouse's loads, newest first, each with its parcels."""
    rows = conn.execute(
        text(
            "SELECT l.number, l.carrier, l.dock, l.status, l.parcels, l.opened_at, l.closed_at,"
            " COALESCE((SELECT array_agg(p.sscc ORDER BY p.sscc) FROM parcel p"
            " WHERE p.warehouse = l.warehouse AND p.load = l.number"
            " AND p.status IN ('loaded', 'shipped')), '{}') AS members FROM load l"
            " WHERE l.warehouse = :w AND (CAST(:st AS text) IS NULL OR l.status = :st)"
            " ORDER BY l.opened_at DESC, l.number LIMIT :n"
        ),
        {"w": warehouse, "st": status, "n": limit},
    )
    return [LoadView(**{**r._mapping, "members": list(r.members)}) for r in rows]


def void_parcel(conn: Connection, warehouse: str, sscc: str, who: str, why: str) -> ParcelView:
    """Void a packed parcel (it will not ship): its waybill is voided with the carrier and
    never used again; its goods stay promised to the order until the floor opens it."""
    found = conn.execute(
        text("SELECT * FROM parcel WHERE warehouse = :w AND sscc = :s FOR UPDATE"),
        {"w": warehouse, "s": sscc},
    ).first()
    if found is None:
        raise NoSuchParcel(f"no parcel {sscc} in {warehouse}")
    if found.status != "packed":
        raise CannotVoid(
            f"parcel {sscc} is {found.status}: only a parcel not yet loaded can be voided"
        )
    kind = conn.execute(
        text("SELECT kind FROM carrier WHERE warehouse = :w AND code = :c"),
        {"w": warehouse, "c": found.carrier},
    ).scalar()
    booking = "voiding" if kind == "api" and found.waybill else "void"
    conn.execute(
        text(
            "UPDATE parcel SET status = 'void', booking = CAST(:b AS text), void_reason = :why,"
            " book_after = CASE WHEN CAST(:b AS text) = 'voiding' THEN now() END"
            " WHERE warehouse = :w AND sscc = :s"
        ),
        {"b": booking, "why": why, "w": warehouse, "s": sscc},
    )
    if booking == "void":
        conn.execute(
            text("UPDATE booking SET state = 'void' WHERE warehouse = :w AND sscc = :s"),
            {"w": warehouse, "s": sscc},
        )
    conn.execute(
        text("DELETE FROM reservation WHERE warehouse = :w AND container = :s AND stage <> 'pick'"),
        {"w": warehouse, "s": sscc},
    )
    content = conn.execute(
        text(
            "SELECT sku, lot, status, SUM(units) AS units FROM parcel_line WHERE warehouse = :w"
            " AND sscc = :s GROUP BY 1, 2, 3"
        ),
        {"w": warehouse, "s": sscc},
    ).all()
    live = conn.execute(
        text("SELECT status FROM sales_order WHERE warehouse = :w AND number = :n"),
        {"w": warehouse, "n": found.order_number},
    ).scalar() not in (None, "cancelled")
    if live:
        hold(
            conn,
            warehouse,
            [
                Held(
                    r.sku,
                    found.location,
                    r.lot,
                    sscc,
                    r.status,
                    int(r.units),
                    found.order_number,
                    None,
                    "picked",
                )
                for r in content
            ],
        )
    conn.execute(
        text(
            "INSERT INTO decision (warehouse, action, who, why, details)"
            " VALUES (:w, 'void_parcel', :who, :why, CAST(:d AS jsonb))"
        ),
        {"w": warehouse, "who": who, "why": why, "d": json.dumps({"sscc": sscc})},
    )
    changed = settle_orders(conn, warehouse, [found.order_number])
    republish_orders(conn, warehouse, sorted(changed))
    publish_parcels(conn, warehouse, [sscc])
    return parcel_view(conn, warehouse, sscc)


_LABEL_FACTS = text(
    "SELECT p.sscc, p.waybill, p.carrier, p.service, p.weight_g, p.order_number, p.status,"
    " c.name, c.phone, c.address, c.city, c.province, c.postcode, c.country, w.name AS sender,"
    " b.label, b.label_type FROM parcel p JOIN warehouse w ON w.code = p.warehouse"
    " LEFT JOIN order_consignee c ON c.warehouse = p.warehouse AND c.order_number ="
    " p.order_number LEFT JOIN booking b ON b.warehouse = p.warehouse AND b.sscc = p.sscc"
    " AND b.state = 'booked' WHERE p.warehouse = :w AND p.sscc = :s"
)
_PLACE = text(
    "SELECT sscc FROM parcel WHERE warehouse = :w AND order_number = :o AND status <> 'void'"
    " ORDER BY packed_at, sscc"
)


def shipping_label(conn: Connection, warehouse: str, sscc: str) -> ShippingLabel:
    """The parcel's shipping label as the pack station printed it."""
    r = conn.execute(_LABEL_FACTS, {"w": warehouse, "s": sscc}).first()
    if r is None:
        raise NoSuchParcel(f"no parcel {sscc} in {warehouse}")
    if not r.waybill:
        raise NoLabel(f"parcel {sscc} has no waybill yet: its booking is {r.status} / pending")
    if r.name is None:
        raise NoLabel(f"order {r.order_number} has no consignee at this hub")
    siblings = list(conn.scalars(_PLACE, {"w": warehouse, "o": r.order_number}))
    place = siblings.index(sscc) + 1 if sscc in siblings else 1
    address = tuple(line for line in str(r.address).splitlines() if line.strip())
    ship_to = ShipTo(
        r.name,
        address,
        r.country,
        phone=r.phone or "",
        city=r.city or "",
        province=r.province or "",
        postcode=r.postcode or "",
    )
    try:
        return ShippingLabel(
            r.waybill,
            sscc,
            r.carrier,
            ship_to,
            max(int(r.weight_g or 0), 1),
            r.order_number,
            service=r.service or "",
            parcel=place,
            parcels=max(len(siblings), place),
            sender=(r.sender,),
        )
    except LabelError as e:
        raise NoLabel(str(e)) from None


def label_document(conn: Connection, warehouse: str, sscc: str, fmt: Format) -> bytes:
    """The parcel's label to print again: the carrier's own when it sent one in that format,
    else ours (100 x 150 mm)."""
    r = conn.execute(_LABEL_FACTS, {"w": warehouse, "s": sscc}).first()
    if r is not None and r.label and (r.label_type or "").lower() == fmt:
        return base64.b64decode(r.label)
    return render([shipping_label(conn, warehouse, sscc)], STOCKS["thermal-100x150"], fmt)[0]
