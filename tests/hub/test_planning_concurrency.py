"""Allocation under concurrency: two hub processes (two connections) deciding on the same stock
at once serialise on it, so stock is never promised twice."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, text

from tests.hub.planning_helpers import (
    RESERVE,
    RESERVE2,
    SHIRT,
    order_body,
    over_reserved,
    put_stock,
    reservations,
    take,
    unbalanced_lines,
)
from wms.hub.db import in_transaction
from wms.hub.planning.waves import NothingToRelease, WaveRule, release


def _waiting_on_a_lock(engine: Engine, pid: int, worker: threading.Thread) -> None:
    """Return once backend ``pid`` waits for a row lock, or its worker has finished without
    waiting (polled: no timing threshold)."""
    with engine.connect() as conn:
        while worker.is_alive():
            state = conn.execute(
                text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :p"), {"p": pid}
            ).scalar()
            conn.rollback()  # a fresh snapshot of pg_stat_activity each time
            if state == "Lock":
                return


def test_a_second_allocation_waits_for_the_first_and_sees_what_it_took(hub_engine: Engine) -> None:
    put_stock(hub_engine, SHIRT, RESERVE, 20)
    pids: queue.Queue[int] = queue.Queue()

    def second() -> None:
        with hub_engine.begin() as conn:
            pids.put(int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one()))
            take(conn, order_body("SO-B", (SHIRT, 15)))

    with hub_engine.connect() as first:
        first.begin()
        take(first, order_body("SO-A", (SHIRT, 15)))  # reserved, not yet committed
        other = threading.Thread(target=second)
        other.start()
        _waiting_on_a_lock(hub_engine, pids.get(), other)  # blocked on the rows A holds
        first.commit()
    other.join()
    assert reservations(hub_engine, "SO-A") == [(SHIRT, RESERVE, "", 15)]
    assert reservations(hub_engine, "SO-B") == [(SHIRT, RESERVE, "", 5)]  # only what was left
    with hub_engine.connect() as conn:
        assert over_reserved(conn) == []
        backordered = conn.execute(
            text("SELECT backordered FROM order_line WHERE order_number = 'SO-B'")
        ).scalar()
    assert backordered == 10


def test_two_waves_and_an_import_at_once_never_over_allocate(hub_engine: Engine) -> None:
    # Ten orders wait for stock (backordered), then 20 shirts arrive: 45 wanted, 20 to share.
    with hub_engine.begin() as conn:
        take(conn, *(order_body(f"SO-WAIT-{n}", (SHIRT, 3)) for n in range(10)))
    put_stock(hub_engine, SHIRT, RESERVE, 12)
    put_stock(hub_engine, SHIRT, RESERVE2, 8)
    start = threading.Barrier(3)
    errors: list[BaseException] = []
    released: list[Any] = []

    def run(work: Callable[[Connection], Any]) -> None:
        try:
            start.wait()
            released.append(in_transaction(hub_engine, work))
        except NothingToRelease:
            pass
        except BaseException as e:
            errors.append(e)

    def wave(conn: Connection) -> Any:
        return release(conn, "DEMO", "maria", WaveRule(max_orders=5, allow_partial=True))

    def intake(conn: Connection) -> None:
        take(conn, *(order_body(f"SO-NEW-{n}", (SHIRT, 3)) for n in range(5)))

    threads = [threading.Thread(target=run, args=(w,)) for w in (wave, wave, intake)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    with hub_engine.connect() as conn:
        assert over_reserved(conn) == []
        assert unbalanced_lines(conn) == []
        reserved = conn.execute(text("SELECT COALESCE(SUM(qty), 0) FROM reservation")).scalar()
        in_two_waves = conn.execute(
            text(
                "SELECT order_number FROM pick_line GROUP BY order_number"
                " HAVING COUNT(DISTINCT wave) > 1"
            )
        ).all()
    assert reserved == 20  # every shirt promised, none twice
    assert in_two_waves == []
    waves = [r for r in released if r is not None and hasattr(r, "wave")]
    assert sum(len(w.orders) for w in waves) <= 10
