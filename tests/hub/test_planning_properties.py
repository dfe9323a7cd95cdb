"""Property: whatever orders, cancellations, waves, receipts, picks (into totes or, as an older
terminal does, out of stock), short picks, packs, shipments and stock losses come, in any order,
reserved never exceeds on hand on any stock row, available to sell is never negative, every
ordered unit is reserved, picked, backordered or cancelled, the ledger adds up to on hand,
units picked or packed for a live order are never free to sell, and shipped units leave the
building exactly once."""

from __future__ import annotations

import contextlib
import itertools
import uuid
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, text

from tests.hub.planning_helpers import (
    RESERVE,
    RESERVE2,
    SHIRT,
    SOCKS,
    order_body,
    over_reserved,
    take,
    unbalanced_lines,
)
from tests.hub.shipping_helpers import ledger_disagrees
from wms.domain.gtin import sscc
from wms.hub.planning.available import available
from wms.hub.planning.cancel import CannotCancel, NoSuchOrder, cancel
from wms.hub.planning.waves import NothingToRelease, WaveRule, release
from wms.hub.sync.devices import DeviceRow, enrol, new_enrolment
from wms.hub.sync.ingest import push
from wms.sync.ops import Delta
from wms.sync.wire import PushRequest

SKUS = [SHIRT, SOCKS]
BINS = [RESERVE, RESERVE2, "P-01-01-A-1"]
_orders = itertools.count()

event = st.one_of(
    st.tuples(
        st.just("order"),
        st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 6)), min_size=1, max_size=3),
    ),
    st.tuples(st.just("receive"), st.sampled_from(SKUS), st.sampled_from(BINS), st.integers(1, 12)),
    st.tuples(st.just("lose"), st.sampled_from(SKUS), st.sampled_from(BINS), st.integers(1, 8)),
    st.tuples(st.just("wave"), st.integers(1, 4), st.booleans()),
    st.tuples(st.just("pick"), st.integers(0, 50), st.booleans(), st.booleans()),
    st.tuples(st.just("cancel"), st.integers(0, 50)),
    st.tuples(st.just("pack"), st.integers(0, 50)),
    st.tuples(st.just("ship"), st.integers(0, 50)),
)
CART, STATION, DOCK = "CART-01", "PACK-01", "ODOCK-01"
_parcels = itertools.count(1)


class Floor:
    """A device pushing ops to the hub, as a terminal would."""

    def __init__(self, engine: Engine) -> None:
        with engine.begin() as conn:
            self.device, _ = enrol(conn, new_enrolment(conn, "DEMO", 60)[1])
        self.stream, self.seq = str(uuid.uuid4()), 0

    def push(self, conn: Connection, kind: str, payload: dict[str, Any], *deltas: Delta) -> None:
        self.seq += 1
        op = {
            "stream": self.stream,
            "seq": self.seq,
            "type": kind,
            "payload": payload,
            "operator": "1001",
            "occurred_at": datetime.now(UTC),
            "deltas": [d.model_dump() for d in deltas],
        }
        request = PushRequest.model_validate({"epoch": 1, "ops": [op]})  # as the wire reads it
        push(conn, DeviceRow(self.device.id, "DEMO"), request)


def _pick(conn: Connection, floor: Floor, n: int, short: bool, tote: bool) -> None:
    lines = conn.execute(
        text(
            "SELECT task, seq, order_number, sku, location, lot, status, qty - picked AS left"
            " FROM pick_line WHERE state = 'open' ORDER BY task, seq"
        )
    ).all()
    if not lines:
        return
    ln = lines[n % len(lines)]
    where = {"task": ln.task, "line": ln.seq, "sku": ln.sku, "location": ln.location}
    if short:
        floor.push(conn, "short_pick", {**where, "short": ln.left, "reason": "missing"})
        return
    units = max(1, ln.left // 2)
    taken = Delta(sku=ln.sku, location=ln.location, lot=ln.lot, status=ln.status, delta=-units)
    if not tote:  # an older terminal: the pick takes the units out of stock
        floor.push(conn, "pick", {**where, "lot": ln.lot, "units": units}, taken)
        return
    into = f"T-{ln.order_number}"
    put = Delta(
        sku=ln.sku, location=CART, lot=ln.lot, container=into, status=ln.status, delta=units
    )
    payload = {**where, "lot": ln.lot, "units": units, "order": ln.order_number}
    floor.push(conn, "pick", payload | {"to_location": CART, "tote": into, "slot": 1}, taken, put)


def _pack(conn: Connection, floor: Floor, n: int) -> None:
    """Everything in one order's tote into a new parcel."""
    totes = conn.execute(
        text(
            "SELECT container, sku, lot, status, qty FROM on_hand WHERE location = :c"
            " AND container LIKE 'T-%' AND qty > 0 ORDER BY container, sku, lot"
        ),
        {"c": CART},
    ).all()
    if not totes:
        return
    tote = sorted({r.container for r in totes})[n % len({r.container for r in totes})]
    rows = [r for r in totes if r.container == tote]
    box = sscc(9, "6901234", next(_parcels))
    lines = [
        {"sku": r.sku, "lot": r.lot, "units": r.qty, "from_location": CART, "from_container": tote}
        for r in rows
    ]
    deltas = [
        Delta(sku=r.sku, location=loc, lot=r.lot, container=ctr, status=r.status, delta=q)
        for r in rows
        for loc, ctr, q in ((CART, tote, -r.qty), (STATION, box, r.qty))
    ]
    payload = {"parcel": box, "order": tote[2:], "carrier": "SF", "waybill": f"SF{box[-12:]}"}
    payload |= {"weight_g": 500, "station": STATION, "lines": lines}
    floor.push(conn, "pack", payload, *deltas)


def _ship(conn: Connection, floor: Floor, n: int) -> None:
    """A packed parcel loaded, then shipped on its own load."""
    packed = list(
        conn.scalars(text("SELECT sscc FROM parcel WHERE status = 'packed' ORDER BY sscc"))
    )
    if not packed:
        return
    box = packed[n % len(packed)]
    rows = conn.execute(
        text("SELECT sku, lot, status, qty FROM on_hand WHERE container = :b AND qty > 0"),
        {"b": box},
    ).all()
    load = f"LD-{box[-6:]}"
    moved = [
        Delta(sku=r.sku, location=loc, lot=r.lot, container=box, status=r.status, delta=q)
        for r in rows
        for loc, q in ((STATION, -r.qty), (DOCK, r.qty))
    ]
    floor.push(conn, "load", {"load": load, "parcel": box, "dock": DOCK}, *moved)
    gone = [
        Delta(sku=r.sku, location=DOCK, lot=r.lot, container=box, status=r.status, delta=-r.qty)
        for r in rows
    ]
    floor.push(conn, "ship", {"load": load, "parcel": box}, *gone)


def _apply(conn: Connection, floor: Floor, e: tuple[Any, ...]) -> None:
    kind = e[0]
    if kind == "order":
        take(conn, order_body(f"P-{next(_orders)}", *e[1]))
    elif kind in ("receive", "lose"):
        _, sku, where, units = e
        sign = 1 if kind == "receive" else -1
        moved = Delta(sku=sku, location=where, status="available", delta=sign * units)
        op = "receive" if kind == "receive" else "adjust"
        floor.push(conn, op, {"sku": sku, "units": sign * units, "location": where}, moved)
    elif kind == "wave":
        try:
            with conn.begin_nested():
                release(conn, "DEMO", "maria", WaveRule(max_orders=e[1], allow_partial=e[2]))
        except NothingToRelease:
            pass
    elif kind == "pick":
        _pick(conn, floor, e[1], e[2], e[3])
    elif kind == "pack":
        _pack(conn, floor, e[1])
    elif kind == "ship":
        _ship(conn, floor, e[1])
    else:
        numbers = list(conn.scalars(text("SELECT number FROM sales_order ORDER BY number")))
        if numbers:
            with contextlib.suppress(CannotCancel, NoSuchOrder):
                cancel(conn, "DEMO", numbers[e[1] % len(numbers)], "property test")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=st.lists(event, min_size=1, max_size=16))
# The whole way out, for certain: stock, an order, a wave, two picks into its tote, a parcel
# packed, shipped, and a pack of nothing left.
@example(
    events=[
        ("receive", SHIRT, RESERVE, 12),
        ("order", [(SHIRT, 4)]),
        ("wave", 1, False),
        ("pick", 0, False, True),
        ("pick", 0, False, True),
        ("pack", 0),
        ("ship", 0),
        ("pack", 0),
    ]
)
def test_promises_stay_within_the_stock(hub_engine: Engine, events: list[tuple[Any, ...]]) -> None:
    floor = Floor(hub_engine)
    for e in events:
        with hub_engine.begin() as conn:
            _apply(conn, floor, e)
        with hub_engine.connect() as conn:
            assert over_reserved(conn) == [], e
            assert unbalanced_lines(conn) == [], e
            assert all(a.available_to_sell >= 0 for a in available(conn, "DEMO", SKUS)), e
            assert ledger_disagrees(conn) == [], e
            assert unpromised_picks(conn) == [], e
            assert shipped_twice(conn) == [], e


def unpromised_picks(conn: Connection) -> list[tuple[Any, ...]]:
    """Live orders whose picked or packed units in the building are not all promised to them
    (they would count as free to sell)."""
    return list(
        conn.execute(
            text(
                "SELECT o.number, s.units, COALESCE(r.units, 0) FROM sales_order o"
                " JOIN (SELECT substr(container, 3) AS number, SUM(qty) AS units FROM on_hand"
                " WHERE container LIKE 'T-%' GROUP BY 1 UNION ALL SELECT p.order_number,"
                " SUM(h.qty) FROM on_hand h JOIN parcel p ON p.sscc = h.container"
                " AND p.status IN ('packed', 'loaded') GROUP BY 1) s ON s.number = o.number"
                " LEFT JOIN (SELECT order_number, SUM(qty) AS units FROM reservation"
                " WHERE stage <> 'pick' GROUP BY 1) r ON r.order_number = o.number"
                " WHERE o.status <> 'cancelled' GROUP BY o.number, s.units, r.units"
                " HAVING SUM(s.units) > COALESCE(r.units, 0)"
            )
        ).all()
    )


def shipped_twice(conn: Connection) -> list[tuple[Any, ...]]:
    """Shipped parcels whose units did not leave exactly once: what the ledger took out at
    their ship ops must be what they held, and nothing of them may be left on hand."""
    return list(
        conn.execute(
            text(
                "SELECT p.sscc, l.out, c.units, COALESCE(h.qty, 0) FROM parcel p JOIN (SELECT"
                " sscc, SUM(units) AS units FROM parcel_line GROUP BY 1) c ON c.sscc = p.sscc"
                " LEFT JOIN (SELECT x.container, -SUM(x.delta) AS out FROM ledger x JOIN"
                " received_op r ON r.stream_id = x.stream_id AND r.seq = x.seq"
                " WHERE r.type = 'ship' GROUP BY 1) l ON l.container = p.sscc"
                " LEFT JOIN (SELECT container, SUM(qty) AS qty FROM on_hand GROUP BY 1) h"
                " ON h.container = p.sscc WHERE p.status = 'shipped'"
                " AND (l.out IS DISTINCT FROM c.units OR COALESCE(h.qty, 0) <> 0)"
            )
        ).all()
    )
