"""The bonded ledger's three-way reconciliation: after a day of random receipts at the bonded
dock, picks into parcels, releases by customs, shipments, returns and counts it balances
(ledger balance = physical bonded stock, released parcels accounted for); a deliberate
discrepancy shows, traced to its op, parcel or the stock written behind the ledger's back."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.hub.customs_helpers import (
    BONDED_BIN,
    CREAM,
    SERUM,
    Packed,
    answer,
    bonded_stock,
    every_message_valid,
    pack_bonded,
    receipt,
    set_up_customs,
)
from tests.hub.shipping_helpers import (
    PACK,
    Station,
    ledger_disagrees,
    moves_parcel,
    set_up_carriers,
)
from wms.cli import app
from wms.domain.kinds import StockStatus
from wms.hub.customs.handover import send_due
from wms.hub.customs.receipts import receive
from wms.hub.customs.reconcile import reconcile, report_rows
from wms.hub.customs.views import describe, rows_csv
from wms.sync.ops import Delta

__all__ = ["every_message_valid"]

SKUS = (CREAM, SERUM)
BONDED_DOCK = "BDOCK-01"
_orders = itertools.count(1)

event = st.one_of(
    st.tuples(st.just("receive"), st.sampled_from(SKUS), st.integers(1, 9)),
    st.tuples(st.just("parcel"), st.sampled_from(SKUS), st.integers(1, 3)),
    st.tuples(st.just("release"), st.integers(0, 20)),
    st.tuples(st.just("ship"), st.integers(0, 20)),
    st.tuples(st.just("return"), st.integers(0, 20)),
    st.tuples(st.just("count"), st.sampled_from(SKUS), st.integers(-3, 3)),
)


def _bonded(d: Delta) -> Delta:
    d.status = StockStatus.CUSTOMS_HOLD
    return d


class Day:
    """The floor and customs of one day, driven by events."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.station = Station(engine)
        self.parcels: list[Packed] = []
        self.released: list[Packed] = []
        self.shipped: list[Packed] = []

    def receive(self, sku: str, qty: int) -> None:
        payload = {"sku": sku, "units": qty, "location": BONDED_DOCK, "status": "customs_hold"}
        d = Delta(
            sku=sku, location=BONDED_DOCK, lot="", container="", status="customs_hold", delta=qty
        )
        self.station.send("receive", payload, d)

    def parcel(self, sku: str, qty: int) -> None:
        with self.engine.connect() as conn:
            free = conn.execute(
                text(
                    "SELECT COALESCE(SUM(qty), 0) FROM on_hand WHERE warehouse = 'DEMO'"
                    " AND sku = :s AND location = :b AND status = 'customs_hold'"
                ),
                {"s": sku, "b": BONDED_BIN},
            ).scalar_one()
        if free < qty + 5:  # keep clear of counts and other orders' promises
            return
        n = next(_orders)
        packed = pack_bonded(self.engine, self.station, f"SO-D{n}", (sku, qty), serial=500 + n)
        self.parcels.append(packed)

    def release(self, i: int) -> None:
        waiting = [p for p in self.parcels if p not in self.released]
        if not waiting:
            return
        p = waiting[i % len(waiting)]
        send_due(self.engine)
        with self.engine.begin() as conn:
            receive(conn, "DEMO", receipt("CEB622", [answer(p.sscc, "800")]), f"r-{p.sscc}")
        self.released.append(p)

    def ship(self, i: int) -> None:
        ready = [p for p in self.released if p not in self.shipped]
        if not ready:
            return
        p = ready[i % len(ready)]
        payload = {"load": f"LD-{p.order}", "order": p.order, "carrier": "EMS"}
        op = moves_parcel(self.station, "ship", p.sscc, p.units, payload, source=PACK, to=None)
        op.deltas = [_bonded(d) for d in op.deltas]
        self.station.push(op)
        self.shipped.append(p)

    def give_back(self, i: int) -> None:
        if not self.shipped:
            return
        p = self.shipped[i % len(self.shipped)]
        sku, _ = p.units[0]
        back = Delta(sku=sku, location="RET-01", lot="", container="", status="available", delta=1)
        payload = {"order": p.order, "sku": sku, "units": 1, "location": "RET-01"}
        self.station.send("return", payload, back)

    def count(self, sku: str, change: int) -> None:
        with self.engine.connect() as conn:
            held = conn.execute(
                text(
                    "SELECT COALESCE(SUM(qty), 0) FROM on_hand WHERE warehouse = 'DEMO'"
                    " AND sku = :s AND location = :b"
                ),
                {"s": sku, "b": BONDED_BIN},
            ).scalar_one()
        counted = max(int(held) + change, 0)
        payload = {
            "location": BONDED_BIN,
            "started_at": datetime.now(UTC).isoformat(),
            "counted": [{"sku": sku, "qty": counted}],
            "outcome": "accepted",
        }
        self.station.send("count", payload)

    def run(self, e: tuple[Any, ...]) -> None:
        name = "give_back" if e[0] == "return" else e[0]
        getattr(self, name)(*e[1:])


def _set_up(engine: Engine) -> None:
    set_up_carriers(engine)
    for sku in SKUS:
        bonded_stock(engine, sku, 60)
    set_up_customs(engine)  # the ledger opens with the bonded stock held now


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=st.lists(event, min_size=1, max_size=14))
def test_the_reconciliation_balances_after_a_day_of_bonded_work(
    hub_engine: Engine, events: list[tuple[Any, ...]]
) -> None:
    with hub_engine.connect() as conn:
        opened = conn.execute(text("SELECT 1 FROM customs_warehouse")).first()
    if opened is None:
        _set_up(hub_engine)
    day = Day(hub_engine)
    for e in events:
        day.run(e)
    with hub_engine.connect() as conn:
        report = reconcile(conn, "DEMO")
        assert ledger_disagrees(conn) == []
        bonded = dict(
            conn.execute(
                text(
                    "SELECT sku, SUM(qty) FROM on_hand WHERE warehouse = 'DEMO'"
                    " AND status = 'customs_hold' GROUP BY sku"
                )
            ).all()
        )
    assert report.balanced, describe(report)
    for item in report.items:
        assert item.physical == sum(int(bonded.get(s, 0)) for s in item.skus)
        assert item.ledger == item.physical
        assert item.customs_view == item.ledger - item.released_open


def test_a_day_of_every_kind_of_bonded_movement_balances(hub_engine: Engine) -> None:
    _set_up(hub_engine)
    day = Day(hub_engine)
    for e in [
        ("receive", CREAM, 5),
        ("parcel", CREAM, 2),
        ("parcel", SERUM, 1),
        ("release", 0),
        ("ship", 0),
        ("return", 0),
        ("count", SERUM, -2),
        ("count", CREAM, 1),
    ]:
        day.run(e)
    with hub_engine.connect() as conn:
        report = reconcile(conn, "DEMO")
    assert report.balanced, describe(report)
    moves = {k for item in report.items for k in item.moves}
    assert moves == {"opening", "receipt", "deduct", "return", "correction"}
    assert sum(i.released_open for i in report.items) == 0
    assert sum(i.declared_open for i in report.items) == 1  # SERUM's parcel awaits customs


def test_a_parcel_leaving_unreleased_shows_traced_to_its_ship(hub_engine: Engine) -> None:
    _set_up(hub_engine)
    day = Day(hub_engine)
    day.parcel(CREAM, 2)
    (p,) = day.parcels
    day.released.append(p)  # the floor ships it as if customs had released it
    day.ship(0)
    with hub_engine.connect() as conn:
        report = reconcile(conn, "DEMO")
    assert not report.balanced
    (trace,) = report.traces
    assert (trace.sku, trace.difference, trace.op_type) == (CREAM, -2, "ship")
    assert trace.parcels == (p.sscc,)
    assert "no ledger entry" in trace.what
    (item,) = [i for i in report.items if CREAM in i.skus]
    assert item.difference == -2
    assert any(p.sscc in line for line in describe(report))


def test_bonded_stock_written_behind_the_ledgers_back_is_unattributed(hub_engine: Engine) -> None:
    _set_up(hub_engine)
    bonded_stock(hub_engine, SERUM, 4)  # no op, no decision: nobody can say where it came from
    with hub_engine.connect() as conn:
        report = reconcile(conn, "DEMO")
    (trace,) = report.traces
    assert (trace.source, trace.sku, trace.difference) == ("unattributed", SERUM, 4)


def test_the_report_as_csv_is_safe_in_a_spreadsheet(hub_engine: Engine, hub_db: str) -> None:
    _set_up(hub_engine)
    with hub_engine.begin() as conn:
        conn.execute(
            text("UPDATE customs_item SET item_record_no = '=HYPERLINK(1)' WHERE sku = :s"),
            {"s": CREAM},
        )
    bonded_stock(hub_engine, CREAM, 1)
    with hub_engine.connect() as conn:
        rows = report_rows(reconcile(conn, "DEMO"))
    parsed = list(csv.DictReader(io.StringIO(rows_csv(rows))))
    assert {r["item_record_no"] for r in parsed} >= {"'=HYPERLINK(1)"}
    result = CliRunner().invoke(
        app,
        ["hub", "customs", "reconcile", "--warehouse", "DEMO", "--csv"],
        env={"WMS_HUB_DATABASE_URL": hub_db},
    )
    assert result.exit_code == 1  # it does not balance
    assert "'=HYPERLINK(1)" in result.output
    as_json = CliRunner().invoke(
        app,
        ["hub", "customs", "reconcile", "--warehouse", "DEMO", "--json"],
        env={"WMS_HUB_DATABASE_URL": hub_db},
    )
    assert '"source": "unattributed"' in as_json.output
