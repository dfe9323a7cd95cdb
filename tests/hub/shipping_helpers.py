"""The outbound floor as the hub hears it: a packing terminal pushing pick-to-tote, pack, load
and ship ops (as hardware/SHIPPING.md has them), carriers and number pools set up, and what an
auditor reads back (parcels, reservations by stage, the ledger against on-hand)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, text

from wms.domain.gtin import sscc
from wms.domain.waybills import WaybillFormat, waybill_number
from wms.hub.shipping.carriers import add_carrier
from wms.hub.shipping.numbers import (
    BLOCK_SIZE,
    add_sscc_pool,
    add_waybill_range,
    block_body,
    top_up,
)
from wms.hub.sync.devices import DeviceRow, enrol, new_enrolment
from wms.hub.sync.ingest import push
from wms.sync.ops import Delta, WireOp
from wms.sync.wire import PushReply, PushRequest

CART, PACK, DOCK = "CART-01", "PACK-01", "ODOCK-01"
COMPANY = "6901234"
EMS = WaybillFormat(prefix="EA", digits=8, suffix="CN", check="s10")


def set_up_carriers(engine: Engine, *, ems_numbers: int = 1000) -> None:
    """EMS (a pool carrier with a range of S10 numbers) and parcel SSCCs for DEMO."""
    with engine.begin() as conn:
        add_carrier(conn, "DEMO", "EMS", name="China Post EMS", kind="pool", services=["standard"])
        add_carrier(conn, "DEMO", "SF", name="SF Express", kind="pool", services=["standard"])
        add_sscc_pool(conn, "DEMO", COMPANY, 9)
        if ems_numbers:
            add_waybill_range(
                conn, "DEMO", "EMS", first=10_000_000, last=10_000_000 + ems_numbers - 1, fmt=EMS
            )


class Station:
    """A terminal at the hub: its device, and the stream its ops go up on."""

    def __init__(self, engine: Engine, stream: str | None = None) -> None:
        self.engine = engine
        with engine.begin() as conn:
            self.device, _ = enrol(conn, new_enrolment(conn, "DEMO", 60)[1])
        self.stream, self.seq = stream or str(uuid.uuid4()), 0
        self.sent: list[WireOp] = []
        self.used: set[str] = set()

    def blocks(self) -> list[dict[str, Any]]:
        """The number blocks the hub handed this stream (topped up first, as a pull with
        ``numbers_for`` does), as the terminal receives them."""
        with self.engine.begin() as conn:
            top_up(conn, "DEMO", self.device.id, self.stream, BLOCK_SIZE)
            ids = conn.scalars(
                text("SELECT id FROM number_block WHERE stream = :s ORDER BY id"),
                {"s": self.stream},
            ).all()
            return [block_body(conn, i) for i in ids]

    def next_number(self, kind: str, carrier: str | None = None) -> str:
        """The next unused number of this stream's blocks, as a pack station takes it."""
        for block in self.blocks():
            if block["kind"] != kind or block["carrier"] != carrier:
                continue
            for serial in range(block["first"], block["last"] + 1):
                number = (
                    sscc(block["extension"], block["company_prefix"], serial)
                    if kind == "sscc"
                    else waybill_number(block, serial)
                )
                if number not in self.used:
                    self.used.add(number)
                    return number
        raise LookupError(f"no {kind} number left in this stream's blocks")

    def op(self, kind: str, payload: dict[str, Any], *deltas: Delta) -> WireOp:
        """The next op of this stream (not sent yet)."""
        self.seq += 1
        return WireOp(
            stream=self.stream,
            seq=self.seq,
            type=kind,
            payload=payload,
            operator="1001",
            occurred_at=datetime.now(UTC),
            deltas=list(deltas),
        )

    def push(self, *ops: WireOp, conn: Connection | None = None) -> PushReply:
        """Push ``ops`` in one request (in the caller's transaction, or a new one)."""
        self.sent += ops
        row = DeviceRow(self.device.id, "DEMO")
        # As the wire reads it: each op checked against its type's model.
        sent = [op.model_dump(mode="json") for op in ops]
        request = PushRequest.model_validate({"epoch": 1, "ops": sent})
        if conn is not None:
            return push(conn, row, request)
        with self.engine.begin() as c:
            return push(c, row, request)

    def send(self, kind: str, payload: dict[str, Any], *deltas: Delta) -> PushReply:
        """Make one op and push it."""
        return self.push(self.op(kind, payload, *deltas))

    def resend_everything(self) -> PushReply:
        """Push every op sent so far again (a lost reply, a replay)."""
        return self.push(*self.sent[:])


def delta(sku: str, location: str, units: int, *, lot: str = "", container: str = "") -> Delta:
    """One ledger row of an op (available stock)."""
    return Delta(
        sku=sku, location=location, lot=lot, container=container, status="available", delta=units
    )


def pick_to_tote(
    station: Station,
    line: Any,
    units: int,
    tote: str,
    *,
    cart: str = CART,
    slot: int = 1,
) -> WireOp:
    """A pick of ``units`` of a pick line (a ``pick_line`` row) into ``tote`` on ``cart``."""
    payload = {
        "task": line.task,
        "line": line.seq,
        "order": line.order_number,
        "sku": line.sku,
        "lot": line.lot,
        "units": units,
        "location": line.location,
        "to_location": cart,
        "tote": tote,
        "slot": slot,
    }
    return station.op(
        "pick",
        payload,
        delta(line.sku, line.location, -units, lot=line.lot),
        delta(line.sku, cart, units, lot=line.lot, container=tote),
    )


def new_sscc(serial: int) -> str:
    """A parcel SSCC of the demo's pool."""
    return sscc(9, COMPANY, serial)


def pack(
    station: Station,
    parcel: str,
    order: str,
    contents: list[tuple[str, int, str]],
    *,
    carrier: str = "EMS",
    waybill: str | None = None,
    weight_g: int = 1200,
    cart: str = CART,
    at: str = PACK,
) -> WireOp:
    """A parcel closed at ``at``: ``contents`` are (sku, units, tote)."""
    lines = [
        {"sku": s, "lot": "", "units": n, "from_location": cart, "from_container": t}
        for s, n, t in contents
    ]
    payload = {
        "parcel": parcel,
        "order": order,
        "carrier": carrier,
        "service": "standard",
        "waybill": waybill,
        "carton": "BOX-S",
        "weight_g": weight_g,
        "expected_g": weight_g,
        "weight_source": "scale",
        "station": at,
        "lines": lines,
    }
    deltas = [d for s, n, t in contents for d in (delta(s, cart, -n, container=t),)]
    deltas += [delta(s, at, n, container=parcel) for s, n, _ in contents]
    return station.op("pack", payload, *deltas)


def parcel_rows(engine: Engine, parcel: str, location: str) -> list[tuple[str, int]]:
    """(sku, units) on hand in ``parcel`` at ``location``."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT sku, qty FROM on_hand WHERE warehouse = 'DEMO' AND container = :p"
                " AND location = :l AND qty <> 0 ORDER BY sku"
            ),
            {"p": parcel, "l": location},
        )
        return [(r.sku, r.qty) for r in rows]


def moves_parcel(
    station: Station,
    kind: str,
    parcel: str,
    contents: list[tuple[str, int]],
    payload: dict[str, Any],
    *,
    source: str,
    to: str | None,
) -> WireOp:
    """A load (``to`` the dock), ship (``to`` None: out of the building) or unpack (``to`` a
    bin, out of the parcel) of ``parcel`` holding ``contents`` at ``source``."""
    deltas = [delta(s, source, -n, container=parcel) for s, n in contents]
    if to is not None:
        container = "" if kind == "unpack" else parcel
        deltas += [delta(s, to, n, container=container) for s, n in contents]
    return station.op(kind, {"parcel": parcel, **payload}, *deltas)


def held(engine: Engine, order: str) -> list[tuple[str, str, str, str, int]]:
    """An order's reservations: (stage, sku, location, container, units)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT stage, sku, location, container, SUM(qty) FROM reservation"
                " WHERE warehouse = 'DEMO' AND order_number = :o GROUP BY 1, 2, 3, 4"
                " ORDER BY 1, 2, 3, 4"
            ),
            {"o": order},
        )
        return [(r[0], r[1], r[2], r[3], int(r[4])) for r in rows]


def parcel(engine: Engine, code: str) -> dict[str, Any]:
    """The hub's parcel record."""
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT * FROM parcel WHERE warehouse = 'DEMO' AND sscc = :s"), {"s": code}
        ).one()
        return dict(row._mapping)


def ledger_disagrees(conn: Connection) -> list[tuple[Any, ...]]:
    """Stock keys whose ledger sum is not their on-hand: must always be empty."""
    return list(
        conn.execute(
            text(
                "SELECT COALESCE(l.key, o.key), l.total, o.qty FROM (SELECT warehouse, sku,"
                " location, lot, container, status, SUM(delta) AS total, ROW(sku, location, lot,"
                " container, status)::text AS key FROM ledger GROUP BY 1, 2, 3, 4, 5, 6) l"
                " FULL JOIN (SELECT warehouse, qty, ROW(sku, location, lot, container,"
                " status)::text AS key FROM on_hand) o ON o.key = l.key AND o.warehouse ="
                " l.warehouse WHERE COALESCE(l.total, 0) <> COALESCE(o.qty, 0)"
            )
        ).all()
    )
