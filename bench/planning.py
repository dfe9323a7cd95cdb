"""Benchmark: outbound planning at the hub over the scale seed (1M products, 100k bins) on an
embedded PostgreSQL.

10,000 orders of 1-3 lines are taken (stored, allocated under lock: FEFO, shelf life, face
before reserve) in batches as an import or a busy channel sends them, then released as waves
of single-order tasks. The figure is order lines per second from intake to tasks published,
against the bare operation measured in the same run: the same number of reservation rows
written with one batched INSERT. Three runs: a new hub's first burst (the planning tables have
no statistics yet), then, once analysed (as autovacuum does on a running hub), single-order
and cluster waves. Also reported: orders taken one per transaction, as ``POST /v1/orders``
takes them.

Prints JSON lines ``{"bench": "planning", ...}``.
Usage: python bench/planning.py [--orders N] [--products M] [--locations L] [--stocked S]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from pydantic_core import to_json
from sqlalchemy import Connection, Engine, text

from wms.domain.locations import location_code
from wms.hub.db import embedded_url, make_hub_engine, stop_embedded, upgrade
from wms.hub.demo import load_demo
from wms.hub.planning.intake import take_orders
from wms.hub.planning.orders import ConsigneeIn, OrderIn, OrderLineIn
from wms.hub.planning.waves import NothingToRelease, WaveRule, release
from wms.seed.scale import ZONES

WH = "DEMO"
CONSIGNEE = ConsigneeIn(name="Bench", phone="+86 755 0000 0000", address="1 Road", country="CN")


def emit(**fields: object) -> None:
    """Print one JSON result line."""
    print(json.dumps({"bench": "planning", **fields}), flush=True)


def _bins(n: int) -> list[dict[str, object]]:
    """The scale seed's bins (zones D-M); every tenth one a pick face."""
    out: list[dict[str, object]] = []
    for zone in ZONES:
        for aisle in range(1, 51):
            for bay in range(1, 21):
                for level in range(5):
                    for pos in (1, 2):
                        if len(out) == n:
                            return out
                        kind = "pick_face" if len(out) % 10 == 0 else "storage"
                        out.append(
                            {
                                "code": location_code(zone, aisle, bay, level, pos),
                                "zone": zone,
                                "aisle": f"{aisle:02d}",
                                "type": kind,
                                "seq": 100_000 + len(out),
                            }
                        )
    return out


def seed(conn: Connection, products: int, locations: int, stocked: int) -> None:
    """Products BULK-0000001.., bins, and stock for the first ``stocked`` products: one or two
    bins each (a face and reserve for some), every fifth product lot-tracked with two lots."""
    conn.execute(
        text(
            "INSERT INTO product (sku, name, tracking, weight_g) SELECT"
            " 'BULK-' || lpad(i::text, 7, '0'), 'Bulk item ' || i, CASE WHEN i % 5 = 0 THEN"
            " 'lot' ELSE 'none' END, 100 + i % 900 FROM generate_series(1, :n) AS i"
        ),
        {"n": products},
    )
    bins = _bins(locations)
    for start in range(0, len(bins), 20_000):
        conn.execute(
            text(
                "INSERT INTO location (warehouse, code, zone, aisle, type, pick_sequence)"
                " SELECT :w, code, zone, aisle, type, seq FROM jsonb_to_recordset(CAST(:rows AS"
                " jsonb)) AS x(code text, zone text, aisle text, type text, seq int)"
            ),
            {"w": WH, "rows": to_json(bins[start : start + 20_000]).decode()},
        )
    stock, lots = [], []
    for i in range(1, stocked + 1):
        sku = f"BULK-{i:07d}"
        reserve = bins[(i * 7919) % len(bins)]["code"]
        if i % 5 == 0:
            for k, days in ((1, 400), (2, 700)):
                lot = f"L{i}-{k}"
                lots.append({"sku": sku, "code": lot, "expiry": f"2028-{k:02d}-01", "d": days})
                stock.append({"sku": sku, "location": reserve, "lot": lot, "qty": 60})
        else:
            stock.append({"sku": sku, "location": reserve, "lot": "", "qty": 120})
            if i % 3 == 0:
                face = bins[(i * 10) % len(bins) // 10 * 10]["code"]
                stock.append({"sku": sku, "location": face, "lot": "", "qty": 12})
    conn.execute(
        text(
            "INSERT INTO lot (sku, code, expiry) SELECT sku, code, expiry FROM"
            " jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(sku text, code text, expiry date)"
        ),
        {"rows": to_json(lots).decode()},
    )
    for start in range(0, len(stock), 50_000):
        conn.execute(
            text(
                "INSERT INTO on_hand (warehouse, sku, location, lot, container, status, qty)"
                " SELECT :w, sku, location, lot, '', 'available', qty FROM"
                " jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(sku text, location text,"
                " lot text, qty int) ON CONFLICT DO NOTHING"
            ),
            {"w": WH, "rows": to_json(stock[start : start + 50_000]).decode()},
        )


def orders(n: int, stocked: int, prefix: str, rng: random.Random) -> list[OrderIn]:
    """``n`` orders of 1-3 lines (a few hot products, a long tail), two carriers."""
    out = []
    for k in range(n):
        skus = set()
        while len(skus) < rng.choice((1, 1, 2, 2, 3)):
            hot = rng.random() < 0.2
            skus.add(f"BULK-{rng.randint(1, 200 if hot else stocked):07d}")
        out.append(
            OrderIn(
                number=f"{prefix}-{k:06d}",
                warehouse=WH,
                carrier="SF" if k % 3 else "YTO",
                currency="CNY",
                consignee=CONSIGNEE,
                lines=[
                    OrderLineIn(sku=s, qty=rng.randint(1, 3), unit_price=Decimal("9.90"))
                    for s in sorted(skus)
                ],
            )
        )
    return out


def plan(
    engine: Engine, batch: list[OrderIn], wave_size: int, totes: int | None
) -> dict[str, float]:
    """Take ``batch`` in chunks of ``wave_size``, then release it in waves; timings."""
    lines = sum(len(o.lines) for o in batch)
    started = time.perf_counter()
    for start in range(0, len(batch), wave_size):
        with engine.begin() as conn:
            take_orders(conn, WH, "bench", batch[start : start + wave_size])
    taken = time.perf_counter() - started
    tasks = waves = 0
    started = time.perf_counter()
    while True:
        try:
            with engine.begin() as conn:
                done = release(
                    conn,
                    WH,
                    "bench",
                    WaveRule(max_orders=wave_size, allow_partial=True, cluster_totes=totes),
                )
        except NothingToRelease:
            break
        tasks, waves = tasks + len(done.tasks), waves + 1
    released = time.perf_counter() - started
    with engine.connect() as conn:
        written = int(
            conn.execute(
                text("SELECT count(*) FROM reservation WHERE order_number LIKE :p"),
                {"p": batch[0].number.split("-")[0] + "-%"},
            ).scalar_one()
        )
    return {
        "orders": len(batch),
        "lines": lines,
        "intake_s": round(taken, 2),
        "waves_s": round(released, 2),
        "waves": waves,
        "tasks": tasks,
        "lines_per_s": round(lines / (taken + released)),
        "reservations_written": written,
    }


def bare_insert(engine: Engine, rows: int) -> float:
    """Seconds to write ``rows`` reservation rows with one batched INSERT, in one transaction
    (into a copy of the reservation table, indexes included)."""
    data = [
        {"sku": f"BULK-{i % 50_000 + 1:07d}", "location": "D-01-01-A-1", "qty": 1, "o": f"B-{i}"}
        for i in range(rows)
    ]
    payload = to_json(data).decode()
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bare_reservation (LIKE reservation INCLUDING ALL)"))
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO bare_reservation (warehouse, sku, location, lot, container, status,"
                " qty, order_number, line_no) SELECT :w, sku, location, '', '', 'available', qty,"
                " o, 1 FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x(sku text,"
                " location text, qty int, o text)"
            ),
            {"w": WH, "rows": payload},
        )
    return time.perf_counter() - started


def one_by_one(engine: Engine, batch: list[OrderIn]) -> None:
    """Orders taken one per transaction, as the API takes them."""
    started = time.perf_counter()
    for o in batch:
        with engine.begin() as conn:
            take_orders(conn, WH, "bench-api", [o])
    elapsed = time.perf_counter() - started
    emit(
        metric="intake_one_per_transaction",
        orders=len(batch),
        orders_per_s=round(len(batch) / elapsed),
        ms_per_order=round(1000 * elapsed / len(batch), 2),
    )


def main() -> None:
    """Seed, run each part, stop the embedded PostgreSQL."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--locations", type=int, default=100_000)
    parser.add_argument("--stocked", type=int, default=50_000)
    parser.add_argument("--wave-size", type=int, default=500)
    args = parser.parse_args()
    rng = random.Random(12)
    tmp = Path(tempfile.mkdtemp(prefix="wms-bench-planning-"))
    data = tmp / "pg"
    try:
        db = embedded_url(data)
        upgrade(db)
        engine = make_hub_engine(db)
        started = time.perf_counter()
        with engine.begin() as conn:
            load_demo(conn)
            seed(conn, args.products, args.locations, args.stocked)
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
        emit(
            metric="setup",
            cpus=os.cpu_count(),
            products=args.products,
            locations=args.locations,
            stocked=args.stocked,
            seed_s=round(time.perf_counter() - started, 1),
            at=datetime.now(UTC).isoformat(),
        )
        # A new hub's first burst: the planning tables have no statistics yet.
        cold = plan(engine, orders(args.orders, args.stocked, "C", rng), args.wave_size, None)
        emit(metric="orders_to_waves", run="cold statistics, single-order tasks", **cold)
        # What autovacuum does on a running hub within a minute of such a burst.
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
        single = plan(engine, orders(args.orders, args.stocked, "SO", rng), args.wave_size, None)
        bare = bare_insert(engine, single["reservations_written"])
        bare_per_s = single["reservations_written"] / bare
        emit(
            metric="orders_to_waves",
            run="single-order tasks",
            **single,
            bare_insert_rows_per_s=round(bare_per_s),
            ratio=round(single["lines_per_s"] / bare_per_s, 3),
        )
        cluster = plan(engine, orders(args.orders, args.stocked, "CL", rng), args.wave_size, 8)
        emit(
            metric="orders_to_waves",
            run="cluster tasks, 8 totes a cart",
            **cluster,
            ratio=round(cluster["lines_per_s"] / bare_per_s, 3),
        )
        one_by_one(engine, orders(1000, args.stocked, "API", rng))
        engine.dispose()
    finally:
        stop_embedded(data)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
