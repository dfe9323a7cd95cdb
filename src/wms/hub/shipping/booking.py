"""Booking parcels with their carriers, once each: online from a pack station, or in the
background for parcels the floor closed without a waybill; voiding a parcel's waybill.

One booking row per SSCC is the only way to a carrier: it is claimed (``asking``) before the
call, so two requests for one parcel never call the carrier at once; the carrier's shipment id
is kept the moment it exists, so an attempt whose answer was lost is completed, never bought a
second time; and a booked SSCC answers its booking again, whoever asks.

The background worker (every hub process may run one) claims due parcels with ``FOR UPDATE
SKIP LOCKED`` and leases them forward before the carrier call, so two workers never take the
same parcel; a failed attempt is retried later, and after ``MAX_TRIES`` raises
``booking_failed`` for a supervisor.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, text

from wms.hub.db import in_transaction
from wms.hub.planning.order_documents import publish_parcels, ship_to
from wms.hub.shipping.carrier_api import ApiCarrier
from wms.hub.shipping.carriers import (
    POOL,
    Booking,
    CarrierRefused,
    CarrierRow,
    CarrierUnreachable,
    ParcelFacts,
    carrier_for,
    carrier_row,
)
from wms.hub.shipping.numbers import PoolExhausted

log = logging.getLogger("wms.hub")

MAX_TRIES = 8
LEASE = timedelta(minutes=2)  # a claimed parcel is another worker's again after this


class ParcelVoid(Exception):
    """The parcel was opened again or voided: it is not booked any more."""


class BookingInProgress(Exception):
    """Another request is booking this parcel right now."""


class UnknownCarrier(LookupError):
    """The warehouse has no such carrier."""


@dataclass(frozen=True)
class Booked:
    """A parcel's booking: its waybill, and the carrier's label when it sent one (base64)."""

    sscc: str
    carrier: str
    waybill: str
    label: str | None = None
    label_type: str | None = None


_CLAIM = text(
    "SELECT state, waybill, shipment, label, label_type, carrier, asked_at FROM booking"
    " WHERE warehouse = :w AND sscc = :s FOR UPDATE"
)
_ASK = text(
    "INSERT INTO booking (warehouse, sscc, carrier, order_number, state, asked_at)"
    " VALUES (:w, :s, :c, :o, 'asking', now()) ON CONFLICT (warehouse, sscc) DO UPDATE"
    " SET state = 'asking', asked_at = now(), carrier = EXCLUDED.carrier"
)
_SHIPMENT = text("UPDATE booking SET shipment = :id WHERE warehouse = :w AND sscc = :s")
_STATE = text("UPDATE booking SET state = :state WHERE warehouse = :w AND sscc = :s")
_BOOKED = text(
    "UPDATE booking SET state = 'booked', waybill = :waybill, shipment = :shipment,"
    " label = :label, label_type = :type, booked_at = now() WHERE warehouse = :w AND sscc = :s"
)
_PARCEL_WAYBILL = text(
    "UPDATE parcel SET waybill = :waybill, booking = 'booked', booking_error = NULL,"
    " book_after = NULL WHERE warehouse = :w AND sscc = :s AND waybill IS NULL"
    " AND status <> 'void' RETURNING sscc"
)
_VOID_PARCEL = text("SELECT status FROM parcel WHERE warehouse = :w AND sscc = :s")


def _claim(
    conn: Connection, warehouse: str, facts: ParcelFacts, window: timedelta
) -> Booked | str | None:
    """Claim the parcel's booking: its answer when booked already, else the carrier's
    shipment id of an attempt whose answer was lost (or None)."""
    args = {"w": warehouse, "s": facts.sscc}
    row = conn.execute(_CLAIM, args).first()
    if conn.execute(_VOID_PARCEL, args).scalar() == "void" or (row and row.state == "void"):
        raise ParcelVoid(f"parcel {facts.sscc} was opened again: it is not booked any more")
    if row is not None and row.state == "booked":
        return Booked(facts.sscc, row.carrier, row.waybill, row.label, row.label_type)
    if row is not None and row.state == "asking" and row.asked_at > datetime.now(UTC) - window:
        raise BookingInProgress(f"parcel {facts.sscc} is being booked: ask again in a moment")
    conn.execute(_ASK, args | {"c": facts.carrier, "o": facts.order})
    return None if row is None else row.shipment


def _record(conn: Connection, warehouse: str, facts: ParcelFacts, b: Booking) -> Booked:
    args = {"w": warehouse, "s": facts.sscc}
    conn.execute(
        _BOOKED,
        args
        | {"waybill": b.waybill, "shipment": b.shipment, "label": b.label, "type": b.label_type},
    )
    if conn.execute(_PARCEL_WAYBILL, args | {"waybill": b.waybill}).first() is not None:
        publish_parcels(conn, warehouse, [facts.sscc])
    return Booked(facts.sscc, facts.carrier, b.waybill, b.label, b.label_type)


def _carrier(conn: Connection, warehouse: str, code: str) -> CarrierRow:
    row = carrier_row(conn, warehouse, code)
    if row is None:
        raise UnknownCarrier(f"no carrier {code} in {warehouse}")
    return row


def book(engine: Engine, warehouse: str, facts: ParcelFacts) -> Booked:
    """Book one parcel (or answer its booking again). Refusals: UnknownCarrier, ParcelVoid,
    BookingInProgress, PoolExhausted, CarrierRefused, CarrierUnreachable; none of them leaves
    anything booked twice or a number lost."""
    with engine.connect() as conn:
        row = _carrier(conn, warehouse, facts.carrier)
    window = timedelta(seconds=2 * float((row.api or {}).get("timeout_s") or 10) + 5)
    if row.kind == POOL:  # no call leaves the hub: claim, take a number, record, at once

        def from_pool(conn: Connection) -> Booked:
            claimed = _claim(conn, warehouse, facts, window)
            if isinstance(claimed, Booked):
                return claimed
            taken = carrier_for(conn, row).book(facts)
            return _record(conn, warehouse, facts, taken)

        return in_transaction(engine, from_pool)
    claimed = in_transaction(engine, lambda c: _claim(c, warehouse, facts, window))
    if isinstance(claimed, Booked):
        return claimed
    args = {"w": warehouse, "s": facts.sscc}
    carrier = ApiCarrier.from_settings(row.code, row.api or {})

    def keep_shipment(shipment: str) -> None:
        in_transaction(engine, lambda c: c.execute(_SHIPMENT, args | {"id": shipment}))

    carrier.on_created = keep_shipment
    try:
        answer = carrier.book(facts, shipment=claimed)
    except CarrierRefused:
        in_transaction(engine, lambda c: c.execute(_STATE, args | {"state": "refused"}))
        raise
    except CarrierUnreachable:
        # Whether it booked is not known: the next attempt asks under the kept shipment id.
        in_transaction(engine, lambda c: c.execute(_STATE, args | {"state": "lost"}))
        raise
    return in_transaction(engine, lambda c: _record(c, warehouse, facts, answer))


# --- the parcels the floor closed without a waybill --------------------------------------------

_DUE = text(
    "SELECT warehouse, sscc, order_number, carrier, service, weight_g, booking, booking_tries,"
    " waybill FROM parcel WHERE booking IN ('pending', 'voiding') AND book_after <= :now"
    " ORDER BY book_after FOR UPDATE SKIP LOCKED LIMIT 1"
)
_LEASE = text(
    "UPDATE parcel SET book_after = :until, booking_tries = booking_tries + 1"
    " WHERE warehouse = :w AND sscc = :s"
)
_FAILED = text(
    "UPDATE parcel SET booking = :state, booking_error = :error, book_after = :next"
    " WHERE warehouse = :w AND sscc = :s"
)
_CONSIGNEE = text(
    "SELECT name, phone, address, city, province, postcode, country FROM order_consignee"
    " WHERE warehouse = :w AND order_number = :o"
)


def parcel_facts(conn: Connection, warehouse: str, parcel: Any) -> ParcelFacts:
    """What a carrier needs of a recorded parcel (its consignee read only for this)."""
    person = conn.execute(_CONSIGNEE, {"w": warehouse, "o": parcel.order_number}).first()
    return ParcelFacts(
        parcel.sscc,
        parcel.order_number,
        parcel.carrier,
        parcel.service,
        int(parcel.weight_g or 0),
        ship_to(person) if person is not None else None,
    )


def _void(engine: Engine, warehouse: str, parcel: Any) -> None:
    with engine.connect() as conn:
        row = _carrier(conn, warehouse, parcel.carrier)
        shipment = conn.execute(
            text("SELECT shipment FROM booking WHERE warehouse = :w AND sscc = :s"),
            {"w": warehouse, "s": parcel.sscc},
        ).scalar()
    carrier_for(None, row).void(Booking(parcel.waybill, shipment))
    args = {"w": warehouse, "s": parcel.sscc, "state": "void"}

    def voided(conn: Connection) -> None:
        conn.execute(_STATE, args)
        conn.execute(_FAILED, args | {"error": None, "next": None})
        publish_parcels(conn, warehouse, [parcel.sscc])

    in_transaction(engine, voided)


def work_one(engine: Engine, now: datetime | None = None) -> str | None:
    """Book (or void) one due parcel, claimed so no other worker takes it; returns its SSCC,
    or None when nothing is due."""
    at = now or datetime.now(UTC)
    with engine.begin() as conn:
        parcel = conn.execute(_DUE, {"now": at}).first()
        if parcel is None:
            return None
        args = {"w": parcel.warehouse, "s": parcel.sscc}
        conn.execute(_LEASE, args | {"until": at + LEASE})
        facts = parcel_facts(conn, parcel.warehouse, parcel)
    try:
        if parcel.booking == "voiding":
            _void(engine, parcel.warehouse, parcel)
        else:
            book(engine, parcel.warehouse, facts)
    except (CarrierRefused, CarrierUnreachable, PoolExhausted, UnknownCarrier) as e:
        tries = int(parcel.booking_tries) + 1
        last = tries >= MAX_TRIES
        retry = None if last else at + timedelta(minutes=2**tries)
        error = str(e)
        in_transaction(engine, lambda c: _failed(c, parcel, error, retry=retry, last=last))
    except (BookingInProgress, ParcelVoid):
        pass  # an online booking is under way, or the parcel was opened: the lease lapses
    return str(parcel.sscc)


def _failed(
    conn: Connection, parcel: Any, error: str, *, retry: datetime | None, last: bool
) -> None:
    """An attempt failed: try again at ``retry``, or (``last``) give up and tell a supervisor."""
    args = {"w": parcel.warehouse, "s": parcel.sscc}
    state = "failed" if last else parcel.booking
    conn.execute(_FAILED, args | {"state": state, "error": error[:1000], "next": retry})
    if last:
        what = "void the waybill of" if parcel.booking == "voiding" else "book"
        conn.execute(
            text(
                "INSERT INTO hub_exception (warehouse, kind, message, details) VALUES (:w,"
                " 'booking_failed', :m, CAST(:d AS jsonb))"
            ),
            args
            | {
                "m": f"could not {what} parcel {parcel.sscc} with {parcel.carrier}: {error}",
                "d": f'{{"sscc": "{parcel.sscc}", "carrier": "{parcel.carrier}"}}',
            },
        )
    publish_parcels(conn, parcel.warehouse, [parcel.sscc])


def work_due(engine: Engine, now: datetime | None = None, limit: int = 1000) -> list[str]:
    """Book every due parcel (at most ``limit``), one transaction each; safe to run in several
    hub processes at once."""
    done: list[str] = []
    while len(done) < limit and (sscc := work_one(engine, now)) is not None:
        done.append(sscc)
    return done


def booking_loop(engine: Engine, every_seconds: float, stop: threading.Event) -> None:
    """Book due parcels every ``every_seconds`` until ``stop`` is set (a hub process's
    background thread)."""
    while not stop.wait(every_seconds):
        try:
            for sscc in work_due(engine):
                log.info("booked", extra={"sscc": sscc})
        except Exception:  # a database hiccup must not end the loop: try again next time
            log.exception("booking failed")
