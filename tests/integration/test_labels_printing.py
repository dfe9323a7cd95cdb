"""Printing: a fake printer on loopback gets exactly the job; an offline printer loses nothing."""

from __future__ import annotations

import queue
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from wms.labels import STOCKS, LocationLabel, PrinterOffline, render
from wms.labels.labeller import Labeller
from wms.labels.settings import LabelSettings


class FakePrinter:
    """A raw-9100 printer on 127.0.0.1: each connection's bytes are one received job.

    It binds at once but listens only when ``start`` is called: until then a connection is
    refused, which is what an offline printer looks like.
    """

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.jobs: queue.Queue[bytes] = queue.Queue()

    def start(self) -> None:
        self.sock.listen()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                chunks = []
                while chunk := conn.recv(65536):
                    chunks.append(chunk)
                self.jobs.put(b"".join(chunks))

    def received(self, n: int) -> list[bytes]:
        return [self.jobs.get(timeout=5) for _ in range(n)]


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    fake = FakePrinter()
    yield fake
    fake.sock.close()


def labeller(tmp_path: Path, printer: dict[str, object]) -> Labeller:
    settings = LabelSettings.model_validate(
        {"default_printer": "dock1", "printers": [{"name": "dock1", **printer}]}
    )
    return Labeller(settings, tmp_path / "data")


def tcp(fake: FakePrinter) -> dict[str, object]:
    return {"transport": "tcp9100", "host": "127.0.0.1", "port": fake.port, "timeout_s": 2}


def zpl_for(code: str) -> bytes:
    return render([LocationLabel(code)], STOCKS["thermal-100x150"], "zpl")[0]


def test_the_printer_receives_exactly_the_job(tmp_path: Path, printer: FakePrinter) -> None:
    printer.start()
    lab = labeller(tmp_path, tcp(printer))
    lab.print([LocationLabel("A-01-03-B-2")])
    assert printer.received(1) == [zpl_for("A-01-03-B-2")]
    assert lab.pending() == []


def test_an_offline_printer_keeps_jobs_until_retry(tmp_path: Path, printer: FakePrinter) -> None:
    lab = labeller(tmp_path, tcp(printer))
    with pytest.raises(PrinterOffline, match=r"dock1.*offline") as first:
        lab.print([LocationLabel("A-01")])
    assert first.value.waiting == 1
    with pytest.raises(PrinterOffline, match="2 job"):
        lab.print([LocationLabel("A-02")])
    assert len(lab.pending()) == 2

    printer.start()  # back online
    assert lab.retry() == {"dock1": None}
    assert printer.received(2) == [zpl_for("A-01"), zpl_for("A-02")]
    assert lab.pending() == []


def test_the_next_print_sends_waiting_jobs_first(tmp_path: Path, printer: FakePrinter) -> None:
    lab = labeller(tmp_path, tcp(printer))
    with pytest.raises(PrinterOffline):
        lab.print([LocationLabel("A-01")])
    printer.start()
    lab.print([LocationLabel("A-02")])
    assert printer.received(2) == [zpl_for("A-01"), zpl_for("A-02")]


FAKE_LP = """#!{python}
import sys, pathlib
out = pathlib.Path(sys.argv[0]).parent
if (out / "offline").exists():
    sys.stderr.write("lp: Destination dock1 is not accepting jobs.\\n")
    sys.exit(1)
(out / "args").write_text(" ".join(sys.argv[1:]))
(out / "job").write_bytes(sys.stdin.buffer.read())
"""


def test_cups_gets_the_job_raw_through_lp(tmp_path: Path) -> None:
    lp = tmp_path / "bin" / "lp"
    lp.parent.mkdir()
    lp.write_text(FAKE_LP.format(python=sys.executable))
    lp.chmod(0o755)
    (lp.parent / "offline").touch()
    lab = labeller(tmp_path, {"transport": "cups", "queue": "zebra1", "lp_command": str(lp)})
    with pytest.raises(PrinterOffline, match="not accepting jobs"):
        lab.print([LocationLabel("A-01")])

    (lp.parent / "offline").unlink()
    assert lab.retry() == {"dock1": None}
    assert (lp.parent / "args").read_text() == "-d zebra1 -o raw"
    assert (lp.parent / "job").read_bytes() == zpl_for("A-01")


def test_a_pdf_printer_gets_a_pdf_through_the_cups_driver(tmp_path: Path) -> None:
    lp = tmp_path / "bin" / "lp"
    lp.parent.mkdir()
    lp.write_text(FAKE_LP.format(python=sys.executable))
    lp.chmod(0o755)
    config = {"transport": "cups", "queue": "office", "lp_command": str(lp)}
    lab = labeller(tmp_path, {**config, "language": "pdf", "stock": "a4-3x8", "dpi": 600})
    lab.print([LocationLabel("A-01"), LocationLabel("A-02")])
    assert (lp.parent / "args").read_text() == "-d office"
    assert (lp.parent / "job").read_bytes().startswith(b"%PDF")


def test_a_file_printer_appends_jobs_and_a_missing_device_keeps_them(tmp_path: Path) -> None:
    device = tmp_path / "usb" / "lp0"
    lab = labeller(tmp_path, {"transport": "file", "path": str(device)})
    with pytest.raises(PrinterOffline, match="lp0"):
        lab.print([LocationLabel("A-01")])
    device.parent.mkdir()  # the printer is plugged in
    lab.print([LocationLabel("A-02")])
    assert device.read_bytes() == zpl_for("A-01") + zpl_for("A-02")
