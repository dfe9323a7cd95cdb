"""Benchmark: durable floor operations and barcode lookups at a 1M-product scale.

Prints JSON lines. Each figure is compared with the bare operation measured in the same run:
a bare SQLite insert + commit with the same pragmas, and a bare primary-key SELECT.
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
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, select

from wms.seed.gtins import ean13
from wms.seed.scale import scale_gtin, seed_scale
from wms.seed.setup import ensure_demo_store
from wms.services.auth import logon_badge
from wms.services.context import Context
from wms.services.picking import Pick, pick
from wms.services.receiving import Receive, receive
from wms.store.catalog import Location, Product
from wms.store.documents import OutboundLine, OutboundOrder, PickTask, PickTaskLine
from wms.store.queries import barcode_lookup

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def emit(**fields: object) -> None:
    """Print one JSON result line."""
    print(json.dumps({"bench": "ops", **fields}), flush=True)


def bare_commits(path: Path, n: int) -> float:
    """Bare insert + commit per row with the store's pragmas: the floor under every operation."""
    con = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000"):
        con.execute(f"PRAGMA {pragma}")
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER)")
    start = time.perf_counter()
    for i in range(n):
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO t (a, b) VALUES (?, ?)", (f"row{i}", i))
        con.execute("COMMIT")
    elapsed = time.perf_counter() - start
    con.close()
    return n / elapsed


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
        alice = logon_badge(ctx, "OP0001")

        bare = bare_commits(Path(tmp) / "bare.sqlite", args.ops)
        emit(metric="bare_commit_per_s", value=round(bare))

        start = time.perf_counter()
        for _ in range(args.ops):
            receive(ctx, alice, Receive(ean13(1401), 1, location="DOCK-01"))
        rate = args.ops / (time.perf_counter() - start)
        emit(metric="receive_per_s", value=round(rate), vs_bare=round(rate / bare, 2))

        task = make_pick_task(ctx, args.ops)
        start = time.perf_counter()
        for i in range(1, args.ops + 1):
            pick(ctx, alice, Pick(task, i, "DOCK-01", ean13(1401), 1))
        rate = args.ops / (time.perf_counter() - start)
        emit(metric="pick_per_s", value=round(rate), vs_bare=round(rate / bare, 2))

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
