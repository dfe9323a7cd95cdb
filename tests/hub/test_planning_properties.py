"""Property: whatever orders, cancellations, waves, receipts, picks, short picks and stock losses
come, in any order, reserved never exceeds on hand on any stock row, available to sell is never
negative, and every ordered unit is reserved, picked, backordered or cancelled."""

from __future__ import annotations

import contextlib
import itertools
import uuid
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
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
    st.tuples(st.just("pick"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("cancel"), st.integers(0, 50)),
)


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


def _pick(conn: Connection, floor: Floor, n: int, short: bool) -> None:
    lines = conn.execute(
        text(
            "SELECT task, seq, sku, location, lot, status, qty - picked AS left FROM pick_line"
            " WHERE state = 'open' ORDER BY task, seq"
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
    floor.push(conn, "pick", {**where, "lot": ln.lot, "units": units}, taken)


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
        _pick(conn, floor, e[1], e[2])
    else:
        numbers = list(conn.scalars(text("SELECT number FROM sales_order ORDER BY number")))
        if numbers:
            with contextlib.suppress(CannotCancel, NoSuchOrder):
                cancel(conn, "DEMO", numbers[e[1] % len(numbers)], "property test")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=st.lists(event, min_size=1, max_size=14))
def test_promises_stay_within_the_stock(hub_engine: Engine, events: list[tuple[Any, ...]]) -> None:
    floor = Floor(hub_engine)
    for e in events:
        with hub_engine.begin() as conn:
            _apply(conn, floor, e)
        with hub_engine.connect() as conn:
            assert over_reserved(conn) == [], e
            assert unbalanced_lines(conn) == [], e
            assert all(a.available_to_sell >= 0 for a in available(conn, "DEMO", SKUS)), e
