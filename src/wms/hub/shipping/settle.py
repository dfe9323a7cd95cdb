"""The outbound floor's facts at the hub (called by sync's ingest, in the push's transaction):
totes filled by picks, parcels packed, opened again, loaded and shipped, loads closed.

Every op is a fact: recorded whatever it says, with an exception for a supervisor where it
says something wrong (a parcel on two loads, a cancelled order packed, a 1210 parcel shipped
before customs released it). A parcel's reservations follow it (tote → parcel → dock → gone
at ship), and its order moves on (:func:`wms.hub.planning.order_state.settle_orders`).

Terminals sync in any order, so a load or ship of a parcel the hub has not seen packed yet is
kept in the received ops and applied when the pack arrives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic_core import to_json
from sqlalchemy import Connection, text

from wms.domain.kinds import OpType, OrderKind, OrderStatus
from wms.hub.feed import Emit, emit
from wms.hub.planning.floor import Raised
from wms.hub.planning.order_documents import publish_parcels, republish_orders
from wms.hub.planning.order_state import settle_orders
from wms.hub.planning.reservations import Held, hold, shrink
from wms.hub.shipping.numbers import SSCC, WAYBILL, block_of, top_up
from wms.sync.ops import WireOp

PACKED, LOADED, SHIPPED, VOID = "packed", "loaded", "shipped", "void"
RELEASED = "released"  # customs' word that lets a 1210 parcel leave

_PARCEL = text("SELECT * FROM parcel WHERE warehouse = :w AND sscc = :s FOR UPDATE")
_ORDER = text("SELECT status, trade_mode FROM sales_order WHERE warehouse = :w AND number = :n")
_EARLIER = text(
    "SELECT stream_id, seq, type, payload, operator, occurred_at FROM received_op"
    " WHERE warehouse = :w AND type IN ('unpack', 'load', 'ship') AND rejected IS NULL"
    " AND payload->>'parcel' = :s ORDER BY received_at, stream_id, seq"
)
_NEW_PARCEL = text(
    "INSERT INTO parcel (warehouse, sscc, order_number, carrier, service, waybill, status,"
    " carton, weight_g, expected_g, weight_source, station, location, customs_status,"
    " booking, book_after, sscc_block, waybill_block, stream_id, seq, packed_at)"
    " VALUES (:w, :sscc, :order, :carrier, :service, :waybill, 'packed', :carton, :weight_g,"
    " :expected_g, :weight_source, :station, :station, :customs, :booking, :book_after,"
    " :sscc_block, :waybill_block, :stream, :seq, :at)"
)
_LINES = text(
    "INSERT INTO parcel_line (warehouse, sscc, n, sku, lot, units, from_location,"
    " from_container, status) SELECT :w, :s, n, sku, lot, units, from_location, from_container,"
    " status FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(n int, sku text, lot text,"
    " units int, from_location text, from_container text, status text)"
)
_CONTENT = text(
    "SELECT sku, lot, status, SUM(units) AS units FROM parcel_line WHERE warehouse = :w"
    " AND sscc = :s GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
)
_DROP_HELD = text(
    "DELETE FROM reservation WHERE warehouse = :w AND container = :s AND stage <> 'pick'"
)
_IN_TOTE = text(
    "SELECT id, qty FROM reservation WHERE warehouse = :w AND order_number = :o AND sku = :sku"
    " AND lot = :lot AND location = :loc AND container = :ctr AND stage = 'picked'"
    " ORDER BY id FOR UPDATE"
)
_SET = text(
    "UPDATE parcel SET status = :status, location = :location, load = :load,"
    " loaded_at = COALESCE(:loaded_at, loaded_at), shipped_at = COALESCE(:shipped_at,"
    " shipped_at), void_reason = COALESCE(:why, void_reason),"
    " book_after = CASE WHEN CAST(:booking AS text) = 'voiding' AND booking <> 'voiding'"
    " THEN now() ELSE book_after END, booking = CAST(:booking AS text)"
    " WHERE warehouse = :w AND sscc = :s"
)
_LOAD = text(
    "INSERT INTO load (warehouse, number, carrier, dock, opened_at) VALUES (:w, :n, :c, :d, :at)"
    " ON CONFLICT (warehouse, number) DO UPDATE SET carrier = COALESCE(load.carrier,"
    " EXCLUDED.carrier), dock = COALESCE(load.dock, EXCLUDED.dock)"
)
_COUNT_LOADS = text(
    "UPDATE load l SET parcels = (SELECT COUNT(*) FROM parcel p WHERE p.warehouse = l.warehouse"
    " AND p.load = l.number AND p.status IN ('loaded', 'shipped'))"
    " WHERE l.warehouse = :w AND l.number = ANY(CAST(:n AS text[]))"
)
_CLOSE = text(
    "UPDATE load SET status = 'closed', closed_at = :at WHERE warehouse = :w AND number = :n"
)
_TOTE = text("SELECT order_number FROM tote WHERE warehouse = :w AND code = :c FOR UPDATE")
_TOTE_STOCK = text(
    "SELECT COALESCE(SUM(qty), 0) FROM on_hand WHERE warehouse = :w AND container = :c"
)
_BIND = text(
    "INSERT INTO tote (warehouse, code, order_number, task, cart) VALUES (:w, :c, :o, :t, :cart)"
    " ON CONFLICT (warehouse, code) DO UPDATE SET order_number = EXCLUDED.order_number,"
    " task = EXCLUDED.task, cart = EXCLUDED.cart, bound_at = now()"
)
_PICK_ORDER = text(
    "SELECT order_number FROM pick_line WHERE warehouse = :w AND task = :t AND seq = :s"
)
_BOOKED = text(
    "SELECT waybill FROM booking WHERE warehouse = :w AND sscc = :s AND state = 'booked'"
)
_CARRIER_KIND = text("SELECT kind FROM carrier WHERE warehouse = :w AND code = :c")


@dataclass
class ShippingPush:
    """What one push did to parcels, loads and totes; :meth:`after` finishes once its stock
    is written."""

    conn: Connection
    warehouse: str
    device: int
    block_size: int
    raised: list[Raised] = field(default_factory=list)
    orders: set[str] = field(default_factory=set)
    parcels: set[str] = field(default_factory=set)
    loads: set[str] = field(default_factory=set)
    totes: set[str] = field(default_factory=set)
    streams: dict[str, WireOp] = field(default_factory=dict)  # the last pack of each stream
    waiting: dict[str, list[WireOp]] = field(default_factory=lambda: defaultdict(list))

    def say(self, op: WireOp, kind: str, message: str, **details: Any) -> None:
        """Raise an exception for a supervisor, tied to ``op``."""
        self.raised.append(Raised(op, kind, message, details))

    # --- totes --------------------------------------------------------------------------------

    def tote_filled(self, op: WireOp) -> None:
        """A pick put units into a tote: the tote holds its order (one order at a time)."""
        p = op.payload
        code, cart = str(p["tote"]), str(p.get("to_location") or "")
        order = p.get("order")
        if not order and p.get("task") and isinstance(p.get("line"), int):
            args = {"w": self.warehouse, "t": str(p["task"]), "s": p["line"]}
            order = self.conn.execute(_PICK_ORDER, args).scalar()
        if not order:
            return
        held = self.conn.execute(_TOTE, {"w": self.warehouse, "c": code}).scalar()
        self.totes.add(code)
        if held is not None and held != order:
            stock = self.conn.execute(_TOTE_STOCK, {"w": self.warehouse, "c": code}).scalar_one()
            if int(stock) > 0:
                self.say(
                    op,
                    "pick_into_busy_tote",
                    f"{p['sku']} for order {order} went into tote {code}, which holds order"
                    f" {held}: the two must be parted at packing",
                    tote=code,
                    order=str(order),
                    holds=str(held),
                )
                return
        args = {"w": self.warehouse, "c": code, "o": str(order), "t": p.get("task"), "cart": cart}
        self.conn.execute(_BIND, args)

    # --- parcels ------------------------------------------------------------------------------

    def pack(self, op: WireOp) -> None:
        """A parcel closed: recorded with its lines, its numbers checked, its units' promise
        moved from the tote, and any load or ship of it that arrived first applied."""
        p = op.payload
        sscc, order = str(p["parcel"]), str(p["order"])
        self.orders.add(order)
        if self.conn.execute(_PARCEL, {"w": self.warehouse, "s": sscc}).first() is not None:
            self.say(
                op,
                "duplicate_sscc",
                f"a second parcel was packed as {sscc} (order {order}): two parcels cannot share"
                " an SSCC; relabel this one and tell the supervisor of the terminal's numbers",
                sscc=sscc,
                order=order,
            )
            return
        found = self.conn.execute(_ORDER, {"w": self.warehouse, "n": order}).first()
        if found is None:
            self.say(op, "pack_of_unknown_order", f"parcel {sscc} packed for unknown order {order}")
        elif found.status == OrderStatus.CANCELLED:
            self.say(
                op,
                "pack_of_cancelled_order",
                f"parcel {sscc} was packed for order {order}, cancelled meanwhile: open it again"
                " and put its goods back",
                sscc=sscc,
                order=order,
            )
        carrier = str(p["carrier"])
        waybill, booking, waybill_block = self._waybill(op, sscc, carrier)
        bonded = found is not None and found.trade_mode == OrderKind.BONDED_RETAIL
        self.conn.execute(
            _NEW_PARCEL,
            {
                "w": self.warehouse,
                "sscc": sscc,
                "order": order,
                "carrier": carrier,
                "service": p.get("service"),
                "waybill": waybill,
                "carton": p.get("carton"),
                "weight_g": p.get("weight_g"),
                "expected_g": p.get("expected_g"),
                "weight_source": p.get("weight_source"),
                "station": str(p["station"]),
                "customs": "pending" if bonded else None,
                "booking": booking,
                "book_after": datetime.now(UTC) if booking == "pending" else None,
                "sscc_block": block_of(
                    self.conn, self.warehouse, op.stream, kind=SSCC, carrier=None, number=sscc
                ),
                "waybill_block": waybill_block,
                "stream": op.stream,
                "seq": op.seq,
                "at": op.occurred_at,
            },
        )
        self._lines(op, sscc)
        self.parcels.add(sscc)
        self.streams[op.stream] = op
        live = found is not None and found.status != OrderStatus.CANCELLED
        if live:
            self._from_totes(op, order)
        self._hold(sscc)
        earlier = self.conn.execute(_EARLIER, {"w": self.warehouse, "s": sscc}).all()
        for r in earlier:
            self._apply(_as_op(r))
        for waiting in self.waiting.pop(sscc, []):
            self._apply(waiting)

    def _waybill(self, op: WireOp, sscc: str, carrier: str) -> tuple[str | None, str, int | None]:
        """(waybill kept, booking state, block it came from) of a packed parcel."""
        wanted = op.payload.get("waybill")
        args = {"w": self.warehouse, "s": sscc}
        if not wanted:
            booked = self.conn.execute(_BOOKED, args).scalar()  # booked online, answer lost
            return (str(booked), "booked", None) if booked else (None, "pending", None)
        waybill = str(wanted)
        other = self.conn.execute(
            text("SELECT sscc FROM parcel WHERE warehouse = :w AND carrier = :c AND waybill = :n"),
            {"w": self.warehouse, "c": carrier, "n": waybill},
        ).scalar()
        if other is not None:
            self.say(
                op,
                "duplicate_waybill",
                f"parcel {sscc} came with waybill {waybill}, which parcel {other} has: the hub"
                " books it a new one; reprint its label",
                sscc=sscc,
                waybill=waybill,
                holder=str(other),
            )
            return None, "pending", None
        kind = self.conn.execute(_CARRIER_KIND, {"w": self.warehouse, "c": carrier}).scalar()
        block = None
        if kind == "pool":
            block = block_of(
                self.conn, self.warehouse, op.stream, kind=WAYBILL, carrier=carrier, number=waybill
            )
            booked = self.conn.execute(_BOOKED, args).scalar()
            if block is None and booked != waybill:
                self.say(
                    op,
                    "waybill_outside_blocks",
                    f"parcel {sscc} has {carrier} waybill {waybill}, which was not handed to"
                    " this terminal: check it is not on another parcel",
                    sscc=sscc,
                    waybill=waybill,
                )
        return waybill, "booked", block

    def _lines(self, op: WireOp, sscc: str) -> None:
        """The parcel's lines, each with the stock status its units have in the parcel."""
        station = str(op.payload["station"])
        statuses = {
            (d.sku, d.lot): d.status
            for d in op.deltas
            if d.delta > 0 and d.location == station and d.container == sscc
        }
        rows = [
            {
                "n": n,
                "sku": ln["sku"],
                "lot": ln.get("lot") or "",
                "units": ln["units"],
                "from_location": ln["from_location"],
                "from_container": ln.get("from_container") or "",
                "status": statuses.get((ln["sku"], ln.get("lot") or ""), "available"),
            }
            for n, ln in enumerate(op.payload["lines"], start=1)
        ]
        self.conn.execute(_LINES, {"w": self.warehouse, "s": sscc, "rows": to_json(rows).decode()})
        self.totes |= {r["from_container"] for r in rows if r["from_container"]}

    def _from_totes(self, op: WireOp, order: str) -> None:
        """Take the packed units' promise off the totes they came from."""
        keep: dict[int, int] = {}
        for ln in op.payload["lines"]:
            left = int(ln["units"])
            args = {"w": self.warehouse, "o": order, "sku": ln["sku"], "lot": ln.get("lot") or ""}
            args |= {"loc": ln["from_location"], "ctr": ln.get("from_container") or ""}
            for r in self.conn.execute(_IN_TOTE, args):
                n = min(left, keep.get(r.id, r.qty))
                keep[r.id] = keep.get(r.id, r.qty) - n
                left -= n
        shrink(self.conn, keep)

    def _hold(self, sscc: str) -> None:
        """The parcel's reservations as it now stands: on its row while its order is live and
        it is in the building; none once it is shipped, void or its order cancelled."""
        self.conn.execute(_DROP_HELD, {"w": self.warehouse, "s": sscc})
        parcel = self.conn.execute(_PARCEL, {"w": self.warehouse, "s": sscc}).one()
        if parcel.status not in (PACKED, LOADED):
            return
        order = self.conn.execute(_ORDER, {"w": self.warehouse, "n": parcel.order_number}).first()
        if order is None or order.status == OrderStatus.CANCELLED:
            return
        content = self.conn.execute(_CONTENT, {"w": self.warehouse, "s": sscc}).all()
        hold(
            self.conn,
            self.warehouse,
            [
                Held(
                    r.sku,
                    parcel.location,
                    r.lot,
                    sscc,
                    r.status,
                    int(r.units),
                    parcel.order_number,
                    None,
                    parcel.status,
                )
                for r in content
            ],
        )

    def _apply(self, op: WireOp) -> None:
        """A load, ship or unpack of a parcel; one the hub has not seen packed waits for it."""
        sscc = str(op.payload["parcel"])
        parcel = self.conn.execute(_PARCEL, {"w": self.warehouse, "s": sscc}).first()
        if op.type in (OpType.LOAD, OpType.SHIP):
            self._note_load(op, None if parcel is None else parcel.carrier)
        if parcel is None:
            self.waiting[sscc].append(op)
            return
        self.parcels.add(sscc)
        self.orders.add(parcel.order_number)
        order = self.conn.execute(_ORDER, {"w": self.warehouse, "n": parcel.order_number}).first()
        cancelled = order is not None and order.status == OrderStatus.CANCELLED
        change = {
            "status": parcel.status,
            "location": parcel.location,
            "load": parcel.load,
            "loaded_at": None,
            "shipped_at": None,
            "why": None,
            "booking": parcel.booking,
        }
        if op.type == OpType.UNPACK:
            change |= self._unpack(op, parcel)
        elif op.type == OpType.LOAD:
            change |= self._load(op, parcel, cancelled)
        else:
            change |= self._ship(op, parcel, cancelled, order)
        self.conn.execute(_SET, change | {"w": self.warehouse, "s": sscc})
        self._hold(sscc)
        if op.type == OpType.UNPACK and order is not None and not cancelled:
            self._back_to(op, parcel.order_number)

    def _unpack(self, op: WireOp, parcel: Any) -> dict[str, Any]:
        if parcel.status == SHIPPED:
            self.say(op, "unpack_of_shipped_parcel", f"parcel {parcel.sscc} was shipped already")
        kind = self.conn.execute(_CARRIER_KIND, {"w": self.warehouse, "c": parcel.carrier}).scalar()
        booking = parcel.booking
        if parcel.waybill and kind == "api" and booking == "booked":
            booking = "voiding"  # the hub voids it with the carrier, out of this transaction
        elif booking == "pending":
            booking = "void"  # never booked: nothing to void
        return {
            "status": VOID,
            "location": str(op.payload["to_location"]),
            "why": str(op.payload.get("reason") or "opened again"),
            "booking": booking,
        }

    def _load(self, op: WireOp, parcel: Any, cancelled: bool) -> dict[str, Any]:
        load, sscc = str(op.payload["load"]), parcel.sscc
        if parcel.status in (VOID, SHIPPED):
            self.say(
                op,
                f"load_of_{parcel.status}_parcel",
                f"parcel {sscc} was loaded onto {load} but is {parcel.status}",
                sscc=sscc,
                load=load,
            )
            return {}
        if parcel.status == LOADED and parcel.load not in (None, load):
            self.say(
                op,
                "parcel_on_two_loads",
                f"parcel {sscc} was on load {parcel.load} and is now scanned onto {load}: it"
                f" stays on {load}; check load {parcel.load} is one parcel short",
                sscc=sscc,
                load=load,
                first=parcel.load,
            )
            self.loads.add(parcel.load)
        carrier = op.payload.get("carrier")
        if carrier and carrier != parcel.carrier:
            self.say(
                op,
                "parcel_on_wrong_load",
                f"parcel {sscc} ({parcel.carrier}) was loaded onto {load}, a {carrier} load",
                sscc=sscc,
                load=load,
            )
        if cancelled:
            self.say(
                op,
                "load_of_cancelled_order",
                f"parcel {sscc} was loaded, but its order {parcel.order_number} is cancelled",
                sscc=sscc,
                order=parcel.order_number,
            )
        return {
            "status": LOADED,
            "location": str(op.payload["dock"]),
            "load": load,
            "loaded_at": op.occurred_at,
        }

    def _ship(self, op: WireOp, parcel: Any, cancelled: bool, order: Any) -> dict[str, Any]:
        sscc, load = parcel.sscc, str(op.payload["load"])
        if parcel.status == VOID:
            self.say(op, "ship_of_void_parcel", f"void parcel {sscc} left on load {load}")
            return {}
        if cancelled:
            self.say(
                op,
                "ship_of_cancelled_order",
                f"parcel {sscc} left on load {load} for cancelled order {parcel.order_number}",
                sscc=sscc,
                order=parcel.order_number,
            )
        bonded = order is not None and order.trade_mode == OrderKind.BONDED_RETAIL
        if bonded and parcel.customs_status != RELEASED:
            self.say(
                op,
                "ship_of_unreleased_parcel",
                f"bonded-retail parcel {sscc} left on load {load} before customs released it"
                f" (customs: {parcel.customs_status or 'nothing declared'})",
                sscc=sscc,
                order=parcel.order_number,
                customs_status=parcel.customs_status,
            )
        return {"status": SHIPPED, "load": load, "shipped_at": op.occurred_at}

    def _back_to(self, op: WireOp, order: str) -> None:
        """An opened parcel's units, back where the unpack put them, still promised."""
        where = str(op.payload["to_location"])
        hold(
            self.conn,
            self.warehouse,
            [
                Held(d.sku, where, d.lot, d.container, d.status, d.delta, order, None, "picked")
                for d in op.deltas
                if d.delta > 0 and d.location == where
            ],
        )

    # --- loads --------------------------------------------------------------------------------

    def _note_load(self, op: WireOp, carrier: str | None) -> None:
        p = op.payload
        load = str(p["load"])
        self.loads.add(load)
        args = {"w": self.warehouse, "n": load, "c": p.get("carrier") or carrier}
        self.conn.execute(_LOAD, args | {"d": p.get("dock"), "at": op.occurred_at})

    def close_load(self, op: WireOp) -> None:
        """A load closed at the dock."""
        self._note_load(op, None)
        self.conn.execute(
            _CLOSE, {"w": self.warehouse, "n": str(op.payload["load"]), "at": op.occurred_at}
        )

    # --- when the push's ops are through ------------------------------------------------------

    def finish(self) -> None:
        """Move the orders on, count the loads' parcels, publish the parcels."""
        changed = settle_orders(self.conn, self.warehouse, sorted(self.orders))
        republish_orders(self.conn, self.warehouse, sorted(changed))
        if self.loads:
            self.conn.execute(_COUNT_LOADS, {"w": self.warehouse, "n": sorted(self.loads)})
        publish_parcels(self.conn, self.warehouse, sorted(self.parcels))

    def after(self) -> list[Raised]:
        """Once the push's stock is written: free the totes it emptied, and keep the
        terminals that packed topped up with numbers; returns exceptions to raise (a pool
        used up)."""
        for code in sorted(self.totes):
            stock = self.conn.execute(_TOTE_STOCK, {"w": self.warehouse, "c": code}).scalar_one()
            row = self.conn.execute(
                text(
                    "SELECT code, order_number AS order, task, cart FROM tote"
                    " WHERE warehouse = :w AND code = :c"
                ),
                {"w": self.warehouse, "c": code},
            ).first()
            if row is None:
                continue
            if int(stock) <= 0:
                self.conn.execute(
                    text("DELETE FROM tote WHERE warehouse = :w AND code = :c"),
                    {"w": self.warehouse, "c": code},
                )
                emit(self.conn, [Emit(self.warehouse, "tote", code, None)])
            else:
                emit(self.conn, [Emit(self.warehouse, "tote", code, dict(row._mapping))])
        out: list[Raised] = []
        told = set(
            self.conn.scalars(
                text(
                    "SELECT COALESCE(details->>'carrier', '') FROM hub_exception WHERE"
                    " warehouse = :w AND kind = 'pool_exhausted' AND NOT resolved"
                ),
                {"w": self.warehouse},
            )
        )
        for stream, op in sorted(self.streams.items()):
            done = top_up(self.conn, self.warehouse, self.device, stream, self.block_size)
            for _, carrier in done.exhausted:
                if (carrier or "") in told:
                    continue  # once, until a supervisor resolves it
                told.add(carrier or "")
                what = f"{carrier}'s waybill numbers" if carrier else "parcel SSCCs"
                message = f"{what} are used up: the pack stations run out; add a range"
                out.append(Raised(op, "pool_exhausted", message, {"carrier": carrier}))
        return out


def _as_op(r: Any) -> WireOp:
    return WireOp(
        stream=r.stream_id,
        seq=r.seq,
        type=r.type,
        payload=r.payload,
        operator=r.operator or "",
        occurred_at=r.occurred_at,
    )


def settle_shipping(
    conn: Connection, warehouse: str, device: int, ops: Sequence[WireOp], block_size: int
) -> ShippingPush:
    """Apply a push's accepted ops to parcels, loads and totes; the caller raises the
    exceptions in ``raised`` and calls ``after`` once the push's stock is written."""
    push = ShippingPush(conn, warehouse, device, block_size)
    for op in ops:
        if op.type == OpType.PICK and op.payload.get("tote") and op.payload.get("to_location"):
            push.tote_filled(op)
        elif op.type == OpType.PACK:
            push.pack(op)
        elif op.type in (OpType.UNPACK, OpType.LOAD, OpType.SHIP):
            push._apply(op)
        elif op.type == OpType.CLOSE_LOAD:
            push.close_load(op)
    push.finish()
    return push
