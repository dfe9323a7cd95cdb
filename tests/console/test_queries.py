"""The console's read model against the hub's PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.console.conftest import negative_stock, raise_exception
from wms.console.queries import exceptions, holds, scores, terminals
from wms.hub.supervision.choices import Resolution
from wms.hub.supervision.resolutions import resolve
from wms.hub.supervision.supervisors import new_supervisor
from wms.hub.sync.devices import new_enrolment, revoke
from wms.hub.sync.pull import pull


def test_open_exceptions_come_oldest_first_with_their_facts(hub_engine: Engine) -> None:
    first = negative_stock(hub_engine)
    done = raise_exception(hub_engine, "unknown_lot", "lot X9 unknown", sku="SKU-00001")
    last = raise_exception(hub_engine, "pick_of_held_stock", "picked recalled stock")
    with hub_engine.begin() as conn:
        new_supervisor(conn, "maria")
        resolve(conn, done, "maria", "known lot", Resolution.ACCEPT)
        rows = exceptions(conn, "DEMO")
    assert [r["id"] for r in rows] == [first, last]
    assert rows[0]["details"]["qty"] == -15


def test_holds_list_held_stock_per_product_and_lot(hub_engine: Engine) -> None:
    with hub_engine.connect() as conn:
        held = holds(conn, "DEMO")
    assert {h.status for h in held} <= {"customs_hold", "quarantine", "recalled"}
    bonded = [h for h in held if h.status == "customs_hold" and h.lot == "L2610"]
    assert [(h.warehouse, h.sku) for h in bonded] == [("DEMO", "SKU-00002")]
    assert bonded[0].qty > 0


def test_terminals_show_how_far_each_device_synced(hub_engine: Engine) -> None:
    with hub_engine.begin() as conn:
        one, _ = new_enrolment(conn, "DEMO", 60)
        two, _ = new_enrolment(conn, "DEMO", 60)
        revoke(conn, two)
        states = terminals(conn, "DEMO")
    assert [(t.device, t.warehouse, t.last_seq, t.last_push, t.revoked) for t in states] == [
        (one, "DEMO", 0, None, False),
        (two, "DEMO", 0, None, True),
    ]


def test_scores_come_from_the_scorecard_service(hub_engine: Engine) -> None:
    with hub_engine.connect() as conn:
        rows = scores(conn, "DEMO")
        assert "Nordic Dairy AB" in [s.supplier for s in rows]
        with pytest.raises(ValueError, match="Not a period: last week"):
            scores(conn, "DEMO", "last week")


def test_a_terminal_counts_as_pulled_only_once_it_read_the_feed_to_its_end(
    hub_engine: Engine,
) -> None:
    with hub_engine.begin() as conn:
        device, _ = new_enrolment(conn, "DEMO", 60)
        page = pull(conn, "DEMO", None, 1, device)
        assert page.more
        [state] = terminals(conn, "DEMO")
        assert state.last_pull is None  # one page of the demo's many changes: not current yet
        while page.more:
            page = pull(conn, "DEMO", page.cursor, 5000, device)
        [state] = terminals(conn, "DEMO")
    assert state.last_pull is not None
