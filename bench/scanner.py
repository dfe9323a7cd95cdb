"""Scanner input throughput and latency: 10,000 GS1 scans through a pty, as fast as it takes them.

Compares the wms reader (framing + decode + events) with two bare loops on a pty in the same run:
pyserial's ``read_until(b"\\r")`` and a buffered ``read(in_waiting or 1)`` + ``find(b"\\r")``.
Latency is from the moment the write of a scan's last byte returned to the moment the scan (or
bare line) was handed over; in a burst it includes the wait in the pty's queue, so a second round
writes 1,000 scans one at a time for the latency of a single scan. Prints one JSON object a line.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

import serial

from wms.domain.scan import GS
from wms.scanner import ScannerConnected, ScannerEvent, ScannerProfile, ScanReceived
from wms.scanner.reader import ScannerReader
from wms.scanner.simulator import PtyScanner

SCANS = 10_000
PACED_SCANS = 1_000
GIVE_UP_SECONDS = 300.0

Deliver = Callable[[bytes], None]
Consumer = Callable[[str, Deliver], Callable[[], None]]  # (port, deliver) -> stop


def gs1_scans(count: int) -> list[bytes]:
    """Distinct GS1-128 scans with AIM id: GTIN, lot (GS-terminated), expiry, serial; CR suffix."""
    return [
        f"]C1010950110153000310LOT{n % 97:02d}{GS}1727013121{n:08d}\r".encode()
        for n in range(count)
    ]


def measure(name: str, start_consumer: Consumer, *, one_at_a_time: bool) -> dict[str, Any]:
    """Type scans into a fresh pty; ``start_consumer(port, deliver)`` returns its stopper.

    Burst: ``SCANS`` back to back, as fast as the pty takes them (latency includes the queue).
    One at a time: ``PACED_SCANS``, each written once the previous one was delivered.
    """
    count = PACED_SCANS if one_at_a_time else SCANS
    scans = gs1_scans(count)
    written = [0.0] * count
    delivered: list[tuple[float, bytes]] = []
    arrived = threading.Semaphore(0)

    def deliver(line: bytes) -> None:
        delivered.append((time.perf_counter(), line))
        arrived.release()

    with PtyScanner() as scanner:
        stop = start_consumer(scanner.port, deliver)
        try:
            started = time.perf_counter()
            for i, scan in enumerate(scans):
                scanner.write(scan)
                written[i] = time.perf_counter()
                if one_at_a_time:
                    arrived.acquire(timeout=GIVE_UP_SECONDS)
            while len(delivered) < count and arrived.acquire(timeout=GIVE_UP_SECONDS):
                pass
        finally:
            stop()
    latencies_ms = sorted((t - written[i]) * 1000 for i, (t, _) in enumerate(delivered))
    return {
        "bench": "scanner",
        "variant": name,
        "mode": "one_at_a_time" if one_at_a_time else "burst",
        "sent": count,
        "delivered": len(delivered),
        "in_order": [line for _, line in delivered] == [scan[:-1] for scan in scans],
        "scans_per_s": round(len(delivered) / (delivered[-1][0] - started)),
        "p50_ms": round(statistics.median(latencies_ms), 3),
        "p99_ms": round(latencies_ms[int(len(latencies_ms) * 0.99) - 1], 3),
    }


def wms_reader(port: str, deliver: Deliver) -> Callable[[], None]:
    """The real thing: ScannerReader, decoding every scan into a Scan."""
    connected = threading.Event()

    def on_event(event: ScannerEvent) -> None:
        if isinstance(event, ScanReceived):
            deliver(event.scan.raw.encode())
        elif isinstance(event, ScannerConnected):
            connected.set()

    reader = ScannerReader(ScannerProfile(port=port), on_event)
    reader.start()
    connected.wait(GIVE_UP_SECONDS)  # pyserial flushes input on open: type after it
    return reader.stop


def bare_loop(read_line: Callable[[serial.Serial], Callable[[], bytes | None]]) -> Consumer:
    """A consumer thread that hands over each line ``read_line`` returns, nothing else."""

    def start(port: str, deliver: Deliver) -> Callable[[], None]:
        port_handle = serial.Serial(port, timeout=0.1)
        next_line = read_line(port_handle)
        stopping = threading.Event()

        def loop() -> None:
            while not stopping.is_set():
                line = next_line()
                if line is not None:
                    deliver(line)

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()

        def stop() -> None:
            stopping.set()
            thread.join()
            port_handle.close()

        return stop

    return start


def read_until_cr(port: serial.Serial) -> Callable[[], bytes | None]:
    def next_line() -> bytes | None:
        line = port.read_until(b"\r")
        return line[:-1] if line.endswith(b"\r") else None  # a timeout's partial is dropped here

    return next_line


def buffered_find_cr(port: serial.Serial) -> Callable[[], bytes | None]:
    buffer = bytearray()

    def next_line() -> bytes | None:
        while (end := buffer.find(b"\r")) < 0:
            chunk = port.read(port.in_waiting or 1)
            if not chunk:
                return None
            buffer.extend(chunk)
        line = bytes(buffer[:end])
        del buffer[: end + 1]
        return line

    return next_line


def main() -> None:
    consumers: dict[str, Consumer] = {
        "bare_read_until": bare_loop(read_until_cr),
        "bare_buffered": bare_loop(buffered_find_cr),
        "wms_reader": wms_reader,
    }
    for one_at_a_time in (False, True):
        results = {
            name: measure(name, consumer, one_at_a_time=one_at_a_time)
            for name, consumer in consumers.items()
        }
        ours = results["wms_reader"]
        for baseline in ("bare_read_until", "bare_buffered"):
            ours[f"throughput_vs_{baseline}"] = round(
                ours["scans_per_s"] / results[baseline]["scans_per_s"], 3
            )
        for result in results.values():
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
