"""`wms scanner listen | simulate | ports`, run as an installer would."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.integration.scanner_fixtures import WAIT_SECONDS, Events, running_reader
from wms.cli import app
from wms.domain.scan import GS, ScanKind
from wms.scanner import ScannerConnected, ScannerProfile
from wms.scanner.ports import PortCandidate
from wms.scanner.simulator import PtyScanner

WMS = [sys.executable, "-c", "from wms.cli import main; main()"]


@contextmanager
def wms(*args: str) -> Iterator[queue.Queue[str]]:
    """Run ``wms args…``; yield its stdout lines as they come; Ctrl-C it and expect exit 0."""
    with subprocess.Popen([*WMS, *args], stdout=subprocess.PIPE, text=True) as process:
        lines: queue.Queue[str] = queue.Queue()
        pump = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()])
        pump.start()
        try:
            yield lines
        finally:
            process.send_signal(signal.SIGINT)
            assert process.wait(WAIT_SECONDS) == 0
            pump.join(WAIT_SECONDS)


def next_line(lines: queue.Queue[str]) -> str:
    return lines.get(timeout=WAIT_SECONDS)


def test_listen_json_prints_one_object_per_scan_and_event() -> None:
    with PtyScanner() as scanner:
        with wms("scanner", "listen", "--port", scanner.port, "--json") as lines:
            assert json.loads(next_line(lines)) == {"event": "connected", "port": scanner.port}
            scanner.type(f"]C10109501101530003{GS}10LOT42")
            scanner.type("OP0001")
            scanner.write(b"\xff\r")
            records = [json.loads(next_line(lines)) for _ in range(3)]
        last = json.loads(next_line(lines))
    assert [(r["event"], r.get("kind")) for r in records] == [
        ("scan", "GS1"),
        ("scan", "BADGE"),
        ("error", None),
    ]
    assert records[0]["raw"] == f"]C10109501101530003{GS}10LOT42"
    assert (records[0]["gtin"], records[0]["lot"]) == ("09501101530003", "LOT42")
    assert records[2]["raw_hex"] == "ff"
    assert last == {"event": "disconnected", "port": scanner.port, "reason": "reader stopped"}


def test_simulate_types_a_file_of_scans_into_a_pty_the_reader_opens(tmp_path: Path) -> None:
    scans = tmp_path / "scans.txt"
    scans.write_text(
        "(01)09501101530003(17)250131(10)LOT42(21)SER9\n4006381333931\nOP0001\n#DONE\n",
        encoding="utf-8",
    )
    events = Events()
    run = ("scanner", "simulate", "--file", str(scans), "--aim", "--baud", "115200")
    with wms(*run, "--interval", "0") as lines:
        port = next_line(lines).removesuffix("\n")
        with running_reader(ScannerProfile(port=port), events):
            events.wait_for(ScannerConnected)
            got = events.wait_scans(4)
    assert [scan.raw for scan in got] == [
        f"]C101095011015300031725013110LOT42{GS}21SER9",
        "]E04006381333931",
        "]C0OP0001",
        "]C0#DONE",
    ]
    assert [scan.kind for scan in got] == [
        ScanKind.GS1,
        ScanKind.PRODUCT,
        ScanKind.BADGE,
        ScanKind.COMMAND,
    ]


def test_ports_lists_vid_pid_serial_number_and_by_id(monkeypatch: pytest.MonkeyPatch) -> None:
    xenon = PortCandidate(
        "/dev/ttyACM0", "0c2e:0b61", "21001", "/dev/serial/by-id/usb-Honeywell-if00", "Xenon"
    )
    monkeypatch.setattr("wms.scanner.cli.list_candidates", lambda: [xenon])
    result = CliRunner().invoke(app, ["scanner", "ports"])
    assert result.exit_code == 0
    assert result.output == (
        "/dev/ttyACM0  usb=0c2e:0b61  serial=21001"
        "  by-id=/dev/serial/by-id/usb-Honeywell-if00  Xenon\n"
    )


def test_listen_refuses_an_unknown_profile_and_names_the_known_ones() -> None:
    result = CliRunner().invoke(app, ["scanner", "listen", "--profile", "acme"])
    assert result.exit_code == 2
    assert "honeywell" in result.output
