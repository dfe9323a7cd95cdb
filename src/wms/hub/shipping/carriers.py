"""Carriers: who takes a warehouse's parcels, and how a parcel gets its waybill number.

One interface, :class:`Carrier` (``book`` a parcel, ``void`` a booking), two implementations:
a pool carrier's numbers come from ranges it assigned in advance (:class:`PoolCarrier`); an
API carrier books online (:mod:`wms.hub.shipping.carrier_api`, on karrio).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Connection, text

from wms.hub.feed import Emit, emit
from wms.hub.shipping.numbers import WAYBILL, cut, number_of

POOL, API = "pool", "api"
KINDS = (POOL, API)
_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,19}")


@dataclass(frozen=True)
class ParcelFacts:
    """What a carrier needs to book a parcel: who it goes to, how heavy and big it is."""

    sscc: str
    order: str
    carrier: str
    service: str | None
    weight_g: int
    ship_to: dict[str, Any] | None = None
    dimensions_mm: tuple[int, int, int] | None = None


@dataclass(frozen=True)
class Booking:
    """A carrier's answer: the waybill number, and its label when it sends one (base64)."""

    waybill: str
    shipment: str | None = None
    label: str | None = None
    label_type: str | None = None


class CarrierRefused(Exception):
    """The carrier answered with an error (its words are the message)."""


class CarrierUnreachable(Exception):
    """The carrier did not answer in time, or could not be reached: whether it booked is not
    known, so the booking is asked again under the same reference before anything new."""


class Carrier(Protocol):
    """How a parcel gets its waybill number, and how a waybill is voided."""

    def book(self, parcel: ParcelFacts, shipment: str | None = None) -> Booking:
        """Book ``parcel``; ``shipment``: the carrier's id of an earlier attempt whose answer
        was lost, to be completed instead of booking anew."""
        ...

    def void(self, booking: Booking) -> None:
        """Void a booking with the carrier; its number is never used again."""
        ...


@dataclass
class PoolCarrier:
    """A carrier whose numbers the hub holds: booking takes the pool's next number."""

    conn: Connection
    warehouse: str
    code: str
    booked: list[str] = field(default_factory=list)

    def book(self, parcel: ParcelFacts, shipment: str | None = None) -> Booking:
        """The next number of the carrier's pools (PoolExhausted when none is left)."""
        from wms.hub.shipping.numbers import PoolExhausted

        runs = cut(self.conn, self.warehouse, WAYBILL, self.code, 1)
        if not runs:
            raise PoolExhausted(
                f"{self.code}'s waybill numbers are used up: add a range"
                f" (wms hub carriers pool add {self.code} --warehouse {self.warehouse} …)"
            )
        pool, serial, _ = runs[0]
        number = number_of(self.conn, pool, serial)
        self.booked.append(number)
        return Booking(number)

    def void(self, booking: Booking) -> None:
        """Nothing to tell anyone: a pool number is never handed out again anyway."""


@dataclass(frozen=True)
class CarrierRow:
    """A carrier as the hub holds it."""

    warehouse: str
    code: str
    name: str
    kind: str
    services: list[str]
    api: dict[str, Any] | None

    def published(self) -> dict[str, Any]:
        """What terminals receive (never the API's settings)."""
        return {"code": self.code, "name": self.name, "kind": self.kind, "services": self.services}


def add_carrier(
    conn: Connection,
    warehouse: str,
    code: str,
    *,
    name: str,
    kind: str,
    services: Sequence[str],
    api: dict[str, Any] | None = None,
) -> CarrierRow:
    """Create or change a carrier and publish it; ValueError for a bad code or kind."""
    if not _CODE.fullmatch(code):
        raise ValueError(f"Not a carrier code: {code!r} (capital letters, digits, - or _)")
    if kind not in KINDS:
        raise ValueError(f"A carrier is {' or '.join(KINDS)}, not {kind!r}")
    if kind == API and not (api and api.get("url")):
        raise ValueError("An API carrier needs its API's URL (--api-url)")
    if not name.strip() or len(name) > 100 or any(len(s) > 40 or not s for s in services):
        raise ValueError("A carrier needs a name (1-100) and services of 1-40 characters")
    conn.execute(
        text(
            "INSERT INTO carrier (warehouse, code, name, kind, services, api)"
            " VALUES (:w, :c, :n, :k, :s, CAST(:api AS jsonb)) ON CONFLICT (warehouse, code)"
            " DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,"
            " services = EXCLUDED.services, api = EXCLUDED.api"
        ),
        {"w": warehouse, "c": code, "n": name.strip(), "k": kind, "s": list(services)}
        | {"api": json.dumps(api) if api else None},
    )
    row = CarrierRow(warehouse, code, name.strip(), kind, list(services), api)
    emit(conn, [Emit(warehouse, "carrier", code, row.published())])
    return row


def carriers(conn: Connection, warehouse: str) -> list[CarrierRow]:
    """The warehouse's carriers, by code."""
    rows = conn.execute(
        text(
            "SELECT warehouse, code, name, kind, services, api FROM carrier WHERE warehouse = :w"
            " ORDER BY code"
        ),
        {"w": warehouse},
    )
    return [CarrierRow(**r._mapping) for r in rows]


def carrier_row(conn: Connection, warehouse: str, code: str) -> CarrierRow | None:
    """One carrier of the warehouse, or None."""
    return next((c for c in carriers(conn, warehouse) if c.code == code), None)


def pool_left(conn: Connection, warehouse: str) -> list[dict[str, Any]]:
    """Numbers left per pool (carrier, or the parcels' SSCCs), and in blocks on the floor."""
    rows = conn.execute(
        text(
            "SELECT kind, COALESCE(carrier, '') AS carrier, SUM(last - next + 1) AS left,"
            " SUM(next - first) AS handed_out FROM number_pool WHERE warehouse = :w"
            " GROUP BY 1, 2 ORDER BY 1, 2"
        ),
        {"w": warehouse},
    )
    return [dict(r._mapping) for r in rows]


def carrier_for(conn: Connection | None, row: CarrierRow) -> Carrier:
    """The implementation that books with ``row``'s carrier (a pool's needs ``conn``: its
    numbers are taken under the pool's lock, in the caller's transaction)."""
    if row.kind == POOL:
        if conn is None:
            raise ValueError("a pool carrier books in a transaction")
        return PoolCarrier(conn, row.warehouse, row.code)
    from wms.hub.shipping.carrier_api import ApiCarrier

    return ApiCarrier.from_settings(row.code, row.api or {})
