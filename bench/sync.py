"""Benchmark: terminal -> hub sync over HTTP on an embedded PostgreSQL.

Prints JSON lines ``{"bench": "sync", ...}``:
- push: N ops from one terminal end to end (HTTP + ingest), and the hub's ingest alone against
  a bare ``INSERT ... ON CONFLICT DO NOTHING`` of the same rows, in the same run;
- pull: M products to a fresh terminal (seconds, peak RSS of the ``wms sync`` process);
- fleet: T terminals pushing at once, total ops/s;
- hostile: /v1/health latency (p50, p99, max) while pushes a hub must refuse arrive back to
  back (50,000 empty ops in 150 KB, a body of too many JSON values, ops that do not fit), and
  the same probe on the idle hub in the same run.
Usage: python bench/sync.py [--ops N] [--products M] [--terminals T] [--fleet-ops K]
                            [--only push|fleet|pull|hostile ...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import Engine, text

from wms.hub.db import embedded_url, make_hub_engine, stop_embedded, upgrade
from wms.hub.demo import load_demo
from wms.hub.master import upsert
from wms.hub.settings import known_store_revisions
from wms.hub.sync.devices import new_enrolment
from wms.hub.sync.ingest import DeviceRow, push
from wms.seed.setup import create_store, ensure_demo_store
from wms.store.migrate import open_store
from wms.sync import outbox
from wms.sync.client import SyncClient, SyncSummary, enroll
from wms.sync.wire import PushRequest

# The ops' time: now, as a terminal's clock would say (the hub places ops from a clock far off
# by their arrival, and says so, which is not what is measured here).
NOW = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def emit(**fields: object) -> None:
    """Print one JSON result line."""
    print(json.dumps({"bench": "sync", **fields}), flush=True)


def fake_ops(engine: Engine, n: int) -> None:
    """``n`` one-unit receipts, written straight into the op log and ledger in one go."""
    with engine.begin() as conn:
        product = conn.execute(text("SELECT id FROM product WHERE sku = 'SKU-01401'")).scalar()
        dock = conn.execute(text("SELECT id FROM location WHERE code = 'DOCK-01'")).scalar()
        stream = str(uuid.uuid4())
        conn.execute(
            text(
                "INSERT INTO deviceidentity (device_id, epoch, last_seq, created_at)"
                " VALUES (:d, 1, :n, :at)"
            ),
            {"d": stream, "n": n, "at": NOW},
        )
        payload = json.dumps({"sku": "SKU-01401", "units": 1, "location": "DOCK-01"})
        conn.execute(
            text(
                "INSERT INTO oplog (device_id, seq, type, payload, operator, occurred_at, acked)"
                " VALUES (:d, :s, 'receive', :p, '1001', :at, 0)"
            ),
            [{"d": stream, "s": s, "p": payload, "at": NOW} for s in range(1, n + 1)],
        )
        conn.execute(
            text(
                "INSERT INTO stockledger (op_seq, product_id, location_id, status, delta, at)"
                " VALUES (:s, :p, :l, 'available', 1, :at)"
            ),
            [{"s": s, "p": product, "l": dock, "at": NOW} for s in range(1, n + 1)],
        )
        conn.execute(
            text(
                "INSERT INTO onhand (product_id, location_id, status, qty)"
                " VALUES (:p, :l, 'available', :n)"
            ),
            {"p": product, "l": dock, "n": n},
        )


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_hub(url: str, port: int) -> subprocess.Popen[str]:
    """``wms hub serve`` in its own process (its own GIL), once it listens."""
    wms = Path(sys.executable).with_name("wms")
    env = {**os.environ, "WMS_HUB_DATABASE_URL": url, "WMS_HUB_PORT": str(port)}
    proc = subprocess.Popen([str(wms), "hub", "serve"], env=env, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:
        if "Uvicorn running on" in line:
            break
    threading.Thread(target=lambda: [None for _ in proc.stderr or []], daemon=True).start()
    return proc


def terminal(tmp: Path, name: str, hub: Engine, url: str, template: Path) -> Engine:
    """A demo store copy, enrolled at the hub."""
    path = tmp / f"{name}.sqlite"
    shutil.copyfile(template, path)
    engine = open_store(path)
    with hub.begin() as conn:
        code = new_enrolment(conn, "DEMO", 60)[1]
    with httpx.Client() as http:
        enroll(engine, http, url, code)
    return engine


def bench_push(tmp: Path, hub: Engine, url: str, template: Path, n: int) -> None:
    """End-to-end push, then the hub's ingest alone and the bare insert, same rows."""
    engine = terminal(tmp, "push", hub, url, template)
    fake_ops(engine, n)
    with httpx.Client(timeout=120) as http:
        started = time.perf_counter()
        SyncClient(engine, http, batch=5000).push(SyncSummary())
        elapsed = time.perf_counter() - started
    emit(metric="push_end_to_end", ops=n, seconds=round(elapsed, 2), ops_per_s=round(n / elapsed))
    with engine.begin() as conn:
        conn.execute(text("UPDATE oplog SET acked = 0, device_id = 'ingest-only'"))
    batches = [
        PushRequest.model_validate_json(outbox.request_body(1, outbox.pending(engine, 5000, after)))
        for after in range(0, n, 5000)
    ]
    with hub.begin() as conn:
        device = int(conn.execute(text("SELECT max(id) FROM device")).scalar_one())
    started = time.perf_counter()
    for request in batches:
        with hub.begin() as conn:
            push(conn, DeviceRow(device, "DEMO"), request)
    ingest = n / (time.perf_counter() - started)
    with hub.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE bare (stream text, seq bigint, type text, payload jsonb,"
                " PRIMARY KEY (stream, seq))"
            )
        )
    started = time.perf_counter()
    for request in batches:
        with hub.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO bare VALUES (:s, :q, :t, CAST(:p AS jsonb)) ON CONFLICT DO NOTHING"
                ),
                [
                    {"s": o.stream, "q": o.seq, "t": o.type, "p": json.dumps(o.payload)}
                    for o in request.ops
                ],
            )
    bare = n / (time.perf_counter() - started)
    emit(
        metric="hub_ingest",
        ops_per_s=round(ingest),
        bare_insert_on_conflict_per_s=round(bare),
        ratio=round(ingest / bare, 3),
    )
    engine.dispose()


def bench_pull(tmp: Path, hub: Engine, url: str, m: int) -> None:
    """``m`` products published at the hub, pulled by `wms sync` into an empty store."""
    with hub.begin() as conn:
        for start in range(0, m, 50_000):
            rows = [
                {"sku": f"BULK-{i:07d}", "name": f"Bulk product {i}"}
                for i in range(start, min(m, start + 50_000))
            ]
            upsert(conn, "product", rows, "DEMO")
    path = tmp / "fresh.sqlite"
    create_store(path).dispose()
    engine = open_store(path)
    with hub.begin() as conn:
        code = new_enrolment(conn, "DEMO", 60)[1]
    with httpx.Client() as http:
        enroll(engine, http, url, code)
    engine.dispose()
    wms = Path(sys.executable).with_name("wms")
    started = time.perf_counter()
    subprocess.run([str(wms), "sync", "--quiet", "--db", str(path)], check=True)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    emit(metric="pull_products", products=m, seconds=round(elapsed, 1), peak_rss_mb=round(peak_mb))


def bench_fleet(tmp: Path, hub: Engine, url: str, template: Path, *, t: int, k: int) -> None:
    """``t`` terminals with ``k`` ops each pushing at the same time."""
    engines = [terminal(tmp, f"fleet{i}", hub, url, template) for i in range(t)]
    for engine in engines:
        fake_ops(engine, k)

    def run(engine: Engine) -> None:
        with httpx.Client(timeout=300) as http:
            SyncClient(engine, http, batch=2000).push(SyncSummary())

    threads = [threading.Thread(target=run, args=(e,)) for e in engines]
    started = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - started
    emit(metric="fleet_push", terminals=t, ops=t * k, ops_per_s=round(t * k / elapsed))
    for engine in engines:
        engine.dispose()


def _health_latencies(url: str, probes: int) -> list[float]:
    """``probes`` calls of /v1/health, one every 20 ms; each one's milliseconds."""
    out = []
    with httpx.Client(timeout=30) as http:
        for _ in range(probes):
            started = time.perf_counter()
            http.get(f"{url}/v1/health").raise_for_status()
            out.append((time.perf_counter() - started) * 1000)
            time.sleep(0.02)
    return out


def _percentiles(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "p50_ms": round(ordered[len(ordered) // 2], 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def _hostile_bodies() -> list[bytes]:
    """Pushes a hub must refuse or reject, each built once."""
    empty = b'{"epoch":1,"ops":[' + b",".join([b"{}"] * 50_000) + b"]}"  # 150 KB
    values = b'{"epoch":1,"ops":[{"payload":[' + b",".join([b"0"] * 200_000) + b"]}]}"
    op = {
        "stream": "hostile",
        "seq": 1,
        "type": "adjust",
        "payload": {"sku": "S\u0000", "units": 2**40, "location": "X"},
        "operator": "x",
        "occurred_at": "2026-11-23T10:00:00+16:00",
        "deltas": [{"sku": "S", "location": "X", "status": "?", "delta": 2**40}],
    }
    unfit = json.dumps({"epoch": 1, "ops": [op] * 4000}).encode()
    return [empty, values, unfit]


def bench_hostile(hub: Engine, url: str, *, probes: int) -> None:
    """/v1/health while two clients push what the hub must refuse, back to back."""
    with hub.begin() as conn:
        code = new_enrolment(conn, "DEMO", 60)[1]
    versions = {"X-WMS-Protocol": "1", "X-WMS-Store": known_store_revisions()[-1]}
    with httpx.Client() as http:
        token = http.post(f"{url}/v1/enroll", json={"code": code}, headers=versions).json()
    headers = {
        **versions,
        "Authorization": f"Bearer {token['token']}",
        "Content-Type": "application/json",
    }
    idle = _percentiles(_health_latencies(url, probes))
    bodies, stop, answered = _hostile_bodies(), threading.Event(), []

    def attack(offset: int) -> None:
        with httpx.Client(timeout=60) as http:
            n = offset
            while not stop.is_set():
                reply = http.post(
                    f"{url}/v1/push", content=bodies[n % len(bodies)], headers=headers
                )
                answered.append(reply.status_code)
                n += 1

    attackers = [threading.Thread(target=attack, args=(i,)) for i in range(2)]
    for thread in attackers:
        thread.start()
    try:
        busy = _percentiles(_health_latencies(url, probes))
    finally:
        stop.set()
        for thread in attackers:
            thread.join()
    emit(
        metric="health_under_hostile_push",
        probes=probes,
        hostile_pushes=len(answered),
        hostile_statuses=sorted(set(answered)),
        **busy,
        idle_p99_ms=idle["p99_ms"],
    )


PARTS = ["push", "fleet", "pull", "hostile"]


def main() -> None:
    """Run every part on one embedded PostgreSQL, then stop it."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--terminals", type=int, default=20)
    parser.add_argument("--fleet-ops", type=int, default=5_000)
    parser.add_argument("--probes", type=int, default=500)
    parser.add_argument(
        "--only", nargs="+", choices=PARTS, default=PARTS, help="Run these parts only."
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="wms-bench-sync-"))
    data = tmp / "pg"
    try:
        db = embedded_url(data)
        upgrade(db)
        hub = make_hub_engine(db)
        with hub.begin() as conn:
            load_demo(conn)
        template = tmp / "demo.sqlite"
        ensure_demo_store(template).dispose()
        port = free_port()
        server = start_hub(db, port)
        url = f"http://127.0.0.1:{port}"
        emit(metric="setup", cpus=os.cpu_count(), at=datetime.now(UTC).isoformat())
        try:
            if "push" in args.only:
                bench_push(tmp, hub, url, template, args.ops)
            if "fleet" in args.only:
                bench_fleet(tmp, hub, url, template, t=args.terminals, k=args.fleet_ops)
            if "pull" in args.only:
                bench_pull(tmp, hub, url, args.products)
            if "hostile" in args.only:
                bench_hostile(hub, url, probes=args.probes)
        finally:
            server.terminate()
            server.wait()
            hub.dispose()
    finally:
        stop_embedded(data)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
