"""Benchmark: durable floor operations and barcode lookups at a 1M-product scale.

Prints JSON lines. Each figure is compared with the bare operation measured in the same run:
a bare SQLite insert + commit with the same pragmas, and a bare primary-key SELECT. The
operation types (receive, putaway, pick, count, return) and the bare commit take turns, one
operation each, so a busy spell on a shared machine weighs on all of them alike.
Usage: python bench/ops.py [--products N] [--locations N] [--ops N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sqlmodel import Session, select

from wms.seed.gtins import ean13
from wms.seed.scale import scale_gtin, seed_scale
from wms.seed.setup import ensure_demo_store
from wms.services.auth import logon_badge
from wms.services.context import Context
from wms.services.counting import Counted, record_count, start_count
from wms.services.moving import Move, putaway
from wms.services.picking import Pick, pick
from wms.services.receiving import Receive, receive
from wms.services.returns import Grade, receive_return
from wms.store.catalog import Location, Product
from wms.store.documents import CountTask, OutboundLine, OutboundOrder, PickTask, PickTaskLine
from wms.store.queries import barcode_lookup

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def emit(**fields: object) -> None:
    """Print one JSON result line."""
    print(json.dumps({"bench": "ops", **fields}), flush=True)


class BareStore:
    """A bare SQLite file with the store's pragmas: one insert + commit is the floor under
    every operation."""

    def __init__(self, path: Path) -> None:
        self.con = sqlite3.connect(path, isolation_level=None)
        for pragma in (
            "journal_mode=WAL",
            "synchronous=FULL",
            "foreign_keys=ON",
            "busy_timeout=10000",
        ):
            self.con.execute(f"PRAGMA {pragma}")
        self.con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER)")

    def commit_one(self, i: int) -> None:
        """One durable insert."""
        self.con.execute("BEGIN IMMEDIATE")
        self.con.execute("INSERT INTO t (a, b) VALUES (?, ?)", (f"row{i}", i))
        self.con.execute("COMMIT")


def make_pick_task(ctx: Context, n: int) -> str:
    """A task of ``n`` one-unit lines of an untracked product, picked where receiving left it
    (the dock has no capacity limit, so any ``n`` fits)."""
    with Session(ctx.engine) as s:
        product = s.exec(select(Product).where(Product.sku == "SKU-01401")).one()
        bin_ = s.exec(select(Location).where(Location.code == "DOCK-01")).one()
        order = OutboundOrder(number="SO-BENCH", customer="bench")
        s.add(order)
        s.flush()
        task = PickTask(number="PT-BENCH", order_id=order.id)  # type: ignore[arg-type]
        s.add(task)
        s.flush()
        for i in range(1, n + 1):
            ol = OutboundLine(order_id=order.id, line_no=i, product_id=product.id, qty=1)  # type: ignore[arg-type]
            s.add(ol)
            s.flush()
            s.add(
                PickTaskLine(
                    task_id=task.id,
                    seq=i,
                    order_line_id=ol.id,
                    product_id=product.id,
                    location_id=bin_.id,
                    qty=1,
                )
            )  # type: ignore[arg-type]
        s.commit()
    return "PT-BENCH"


def make_count_tasks(ctx: Context, n: int) -> list[str]:
    """``n`` whole-bin count tasks of the staging area (where putaway leaves the bench's stock)."""
    with Session(ctx.engine) as s:
        stage = s.exec(select(Location).where(Location.code == "STG-01")).one()
        numbers = [f"CT-BENCH{i:06d}" for i in range(n)]
        s.add_all(CountTask(number=no, location_id=stage.id) for no in numbers)  # type: ignore[arg-type]
        s.commit()
    return numbers


Prepared = Callable[[int], Callable[[], object]]
"""Given the op's number, do any untimed set-up and return the operation to time."""


def operations(ctx: Context, ops: int, bare: BareStore) -> dict[str, Prepared]:
    """The bare commit and each operation type, on the bench's store."""
    alice = logon_badge(ctx, "OP0001")
    task = make_pick_task(ctx, ops)
    counts = make_count_tasks(ctx, ops)
    shirt = ean13(1401)

    def count(i: int) -> Callable[[], object]:
        start_count(ctx, alice, counts[i], "STG-01")  # a write of its own, not timed
        return partial(record_count, ctx, alice, counts[i], [Counted(shirt, 1)])

    return {
        "bare": lambda i: partial(bare.commit_one, i),
        "receive": lambda _: partial(receive, ctx, alice, Receive(shirt, 2, location="DOCK-01")),
        "putaway": lambda _: partial(
            putaway, ctx, alice, Move("SKU-01401", 1, "DOCK-01", "STG-01")
        ),
        "pick": lambda i: partial(pick, ctx, alice, Pick(task, i + 1, "DOCK-01", shirt, 1)),
        "count": count,
        "return": lambda _: partial(
            receive_return, ctx, alice, "SO-BENCH", shirt, grade=Grade.RESALEABLE, location="RET-01"
        ),
    }


def timed_turns(kinds: dict[str, Prepared], ops: int) -> dict[str, float]:
    """Operations per second of each kind. The kinds take turns, one operation each, so a busy
    spell on a shared machine (its disk above all) weighs on each of them alike."""
    seconds = dict.fromkeys(kinds, 0.0)
    for i in range(ops):
        for name, prepare in kinds.items():
            operation = prepare(i)
            start = time.perf_counter()
            operation()
            seconds[name] += time.perf_counter() - start
    return {name: ops / spent for name, spent in seconds.items()}


def main() -> None:
    """Run the benchmark and print its JSON lines."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=1_000_000)
    ap.add_argument("--locations", type=int, default=100_000)
    ap.add_argument("--ops", type=int, default=1_000)
    args = ap.parse_args()
    machine = f"{platform.machine()} cpus={os.cpu_count()}"
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        store = Path(tmp) / "bench.sqlite"
        engine = ensure_demo_store(store)
        start = time.perf_counter()
        seed_scale(engine, args.products, args.locations)
        emit(metric="scale_seed_s", value=round(time.perf_counter() - start, 1),
             products=args.products, locations=args.locations, machine=machine)  # fmt: skip
        ctx = Context(engine, clock=lambda: NOW)
        bare = BareStore(Path(tmp) / "bare.sqlite")
        rates = timed_turns(operations(ctx, args.ops, bare), args.ops)
        bare.con.close()
        bare_rate = rates.pop("bare")
        emit(metric="bare_commit_per_s", value=round(bare_rate))
        for name, rate in rates.items():
            emit(metric=f"{name}_per_s", value=round(rate), vs_bare=round(rate / bare_rate, 2))

        rng = random.Random(7)
        codes = [scale_gtin(rng.randrange(args.products)) for _ in range(5_000)]
        with Session(engine) as s:
            samples = []
            for code in codes:
                t0 = time.perf_counter_ns()
                found = barcode_lookup(s, code)
                samples.append(time.perf_counter_ns() - t0)
                assert found is not None
        raw = sqlite3.connect(store)
        bare_samples = []
        for code in codes:
            t0 = time.perf_counter_ns()
            raw.execute(
                "SELECT product_id, pack_qty FROM productbarcode WHERE code = ?", (code.zfill(14),)
            ).fetchone()
            bare_samples.append(time.perf_counter_ns() - t0)
        raw.close()
        emit(
            metric="barcode_lookup_us",
            p50=round(statistics.median(samples) / 1000, 1),
            p99=round(statistics.quantiles(samples, n=100)[98] / 1000, 1),
            bare_p50=round(statistics.median(bare_samples) / 1000, 1),
            catalogue=args.products,
        )
        engine.dispose()


if __name__ == "__main__":
    main()
