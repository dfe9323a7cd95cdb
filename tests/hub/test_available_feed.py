"""The available-to-sell feed: a cursor that never skips a change (stock, holds, reservations),
under concurrent writers too; clear refusals for cursors it cannot follow; exports a
spreadsheet cannot be tricked by."""

from __future__ import annotations

import csv
import io
import threading
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.hub.planning_helpers import (
    CAP,
    RESERVE,
    RESERVE2,
    RESERVE3,
    SCARF,
    SHIRT,
    SOCKS,
    channel_headers,
    order_body,
    put_stock,
    take,
)
from wms.hub.integration.ats import changes
from wms.hub.master import add_warehouse
from wms.hub.planning.available import available


def _page(hub: TestClient, headers: dict[str, str], since: str | None = None) -> dict[str, Any]:
    params = {"since": since} if since else {}
    reply = hub.get("/v1/stock/available", params=params, headers=headers)
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def _figures(page: dict[str, Any]) -> dict[str, tuple[int, int, int, int]]:
    return {
        c["sku"]: (c["available_to_sell"], c["on_hand"], c["reserved"], c["held"])
        for c in page["changes"]
    }


def test_the_feed_gives_each_change_of_stock_reservations_and_holds(
    hub: TestClient, hub_engine: Engine
) -> None:
    headers = channel_headers(hub_engine)
    start = _page(hub, headers)
    assert start["warehouse"] == "DEMO"
    assert start["changes"]  # the demo's stock: from the start, a full snapshot
    cursor = start["cursor"]
    assert _page(hub, headers, cursor)["changes"] == []  # nothing since

    put_stock(hub_engine, SHIRT, RESERVE, 10)
    put_stock(hub_engine, SOCKS, RESERVE2, 4, status="quarantine")  # held: not for sale
    page = _page(hub, headers, cursor)
    assert _figures(page) == {SHIRT: (10, 10, 0, 0), SOCKS: (0, 4, 0, 4)}

    hub.post("/v1/orders", json=order_body("SO-F1", (SHIRT, 3)), headers=headers)
    later = _page(hub, headers, page["cursor"])
    assert _figures(later) == {SHIRT: (7, 10, 3, 0)}
    hub.post("/v1/orders/SO-F1/cancel", headers=headers)
    assert _figures(_page(hub, headers, later["cursor"])) == {SHIRT: (10, 10, 0, 0)}


def test_a_change_committed_late_is_still_read_after_the_cursor(hub_engine: Engine) -> None:
    with hub_engine.begin() as conn:
        cursor = changes(conn, "DEMO", None, 10_000).cursor
    slow = hub_engine.connect()
    slow.begin()
    put_stock_in(slow, CAP, RESERVE, 5)  # began first, commits last
    put_stock(hub_engine, SCARF, RESERVE2, 6)
    with hub_engine.begin() as conn:
        early = changes(conn, "DEMO", cursor, 10_000)
    assert early.changes == []  # the scarf waits: an older transaction is still open
    assert early.cursor == cursor
    slow.commit()
    slow.close()
    with hub_engine.begin() as conn:
        page = changes(conn, "DEMO", cursor, 10_000)
    assert sorted((a.sku, a.available_to_sell) for a in page.changes) == [(CAP, 5), (SCARF, 6)]


def put_stock_in(conn: Any, sku: str, location: str, qty: int) -> None:
    """Stock put in the caller's open transaction."""
    conn.execute(
        text(
            "INSERT INTO on_hand (warehouse, sku, location, lot, container, status, qty)"
            " VALUES ('DEMO', :s, :l, '', '', 'available', :q)"
        ),
        {"s": sku, "l": location, "q": qty},
    )


def test_the_cursor_misses_nothing_under_concurrent_writers(hub_engine: Engine) -> None:
    skus = [SHIRT, SOCKS, CAP, SCARF]
    for n, sku in enumerate(skus):
        put_stock(hub_engine, sku, [RESERVE, RESERVE2, RESERVE3, RESERVE][n], 400)
    with hub_engine.begin() as conn:
        cursor = changes(conn, "DEMO", None, 10_000).cursor
    seen: dict[str, int] = {}
    done = threading.Event()

    def writer(w: int) -> None:
        for i in range(15):
            sku = skus[(w + i) % len(skus)]
            with hub_engine.begin() as conn:
                take(conn, order_body(f"SO-C{w}-{i}", (sku, 1 + i % 3)))

    def reader() -> None:
        nonlocal cursor
        while True:
            finished = done.is_set()  # read once more after the writers are done
            with hub_engine.begin() as conn:
                page = changes(conn, "DEMO", cursor, 7)
            cursor = page.cursor
            seen.update({a.sku: a.available_to_sell for a in page.changes})
            if finished and not page.more:
                return

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    follower = threading.Thread(target=reader)
    follower.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    follower.join()
    with hub_engine.begin() as conn:
        now = {a.sku: a.available_to_sell for a in available(conn, "DEMO", skus)}
    assert {s: seen[s] for s in skus} == now
    assert sum(400 - v for v in now.values()) == sum(1 + i % 3 for _ in range(4) for i in range(15))


def test_cursors_it_cannot_follow_are_refused_clearly(hub: TestClient, hub_engine: Engine) -> None:
    with hub_engine.begin() as conn:
        add_warehouse(conn, "HKG", "Hong Kong DC")
    both = channel_headers(hub_engine, "tmall", "DEMO", "HKG")
    ours = hub.get("/v1/stock/available", params={"warehouse": "DEMO"}, headers=both).json()
    feed, _, xid, pos = ours["cursor"].split(":")
    cases = {
        "garbage": (400, "bad_cursor"),
        f"{feed}:DEMO:x:1": (400, "bad_cursor"),
        f"{feed}:HKG:{xid}:{pos}": (400, "cursor_other_warehouse"),
        f"00000000-0000-0000-0000-000000000000:DEMO:{xid}:{pos}": (410, "cursor_expired"),
    }
    for since, (status, code) in cases.items():
        reply = hub.get(
            "/v1/stock/available", params={"warehouse": "DEMO", "since": since}, headers=both
        )
        assert (reply.status_code, reply.json()["code"]) == (status, code), since
    other = channel_headers(hub_engine, "jd", "HKG")
    refused = hub.get("/v1/stock/available", params={"warehouse": "DEMO"}, headers=other)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_your_warehouse")


def test_exports_follow_on_with_the_feed_and_cannot_run_formulas(
    hub: TestClient, hub_engine: Engine
) -> None:
    with hub_engine.begin() as conn:
        conn.execute(
            text("INSERT INTO product (sku, name) VALUES ('=HYPERLINK(\"x\")', 'hostile')")
        )
    put_stock(hub_engine, '=HYPERLINK("x")', RESERVE, 2)
    headers = channel_headers(hub_engine)
    exported = hub.get("/v1/stock/available/export", params={"format": "csv"}, headers=headers)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    hostile = next(r for r in rows if "HYPERLINK" in r["sku"])
    assert hostile == {
        "warehouse": "DEMO",
        "sku": '\'=HYPERLINK("x")',
        "available_to_sell": "2",
        "on_hand": "2",
        "reserved": "0",
        "held": "0",
    }
    as_json = hub.get("/v1/stock/available/export", headers=headers).json()
    assert len(as_json["products"]) == len(rows)
    assert as_json["cursor"] == exported.headers["x-cursor"]

    put_stock(hub_engine, SHIRT, RESERVE, 1)
    assert _figures(_page(hub, headers, as_json["cursor"])) == {SHIRT: (1, 1, 0, 0)}
