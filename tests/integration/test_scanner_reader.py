"""The serial reader on real pyserial over a pty: every scan, in order, once; self-healing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tests.integration.scanner_fixtures import Events, running_reader
from wms.domain.scan import GS, ScanKind
from wms.domain.scan_schemes import Command
from wms.domain.symbology import Symbology
from wms.scanner import (
    ScannerConnected,
    ScannerDisconnected,
    ScannerError,
    ScannerProfile,
    ScannerReconnecting,
    ScanReceived,
    Suffix,
)
from wms.scanner.simulator import PtyScanner

GTIN = "09501101530003"


@pytest.fixture
def scanner() -> Iterator[PtyScanner]:
    with PtyScanner() as pty_scanner:
        yield pty_scanner


@contextmanager
def connected(profile: ScannerProfile, events: Events) -> Iterator[None]:
    with running_reader(profile, events):
        events.wait_for(ScannerConnected)  # pyserial flushes input on open: type after this
        yield


def gs1(serial: int) -> str:
    return f"]C101{GTIN}10LOT{serial % 7}{GS}21{serial:06d}"


def test_gs1_with_aim_id_arrives_whole_with_fields_split_at_gs(scanner: PtyScanner) -> None:
    events = Events()
    sent = f"]C101{GTIN}17250131" + f"10LOT42{GS}21SER9"
    with connected(ScannerProfile(port=scanner.port), events):
        scanner.type(sent)
        [scan] = events.wait_scans(1)
    assert (scan.kind, scan.symbology, scan.raw) == (ScanKind.GS1, Symbology.GS1_128, sent)
    assert (scan.gtin, scan.expiry, scan.lot, scan.serial) == (
        GTIN,
        date(2025, 1, 31),
        "LOT42",
        "SER9",
    )


def test_gs1_without_aim_ids_from_a_factory_set_scanner() -> None:
    events = Events()
    sent = f"{GS}01{GTIN}10LOT42{GS}17250131"  # FNC1 in first position arrives as GS
    with PtyScanner(suffix=b"\r\n") as scanner:
        profile = replace(PROFILES_HONEYWELL, port=scanner.port)
        with connected(profile, events):
            scanner.type(sent)
            [scan] = events.wait_scans(1)
    assert (scan.kind, scan.symbology, scan.raw) == (ScanKind.GS1, None, sent)
    assert (scan.lot, scan.expiry) == ("LOT42", date(2025, 1, 31))


PROFILES_HONEYWELL = ScannerProfile(name="honeywell", suffix=Suffix.CRLF, aim_ids=False)


def test_every_kind_of_label_through_the_serial_port(scanner: PtyScanner) -> None:
    expected = [
        (f"]Q1https://id.gs1.org/01/{GTIN}/10/ABC?17=250131", ScanKind.GS1, "gtin", GTIN),
        ("]E04006381333931", ScanKind.PRODUCT, "gtin", "04006381333931"),
        ("036000291452", ScanKind.PRODUCT, "gtin", "00036000291452"),
        ("]E496385074", ScanKind.PRODUCT, "gtin", "00000096385074"),
        ("]C100106141411234567897", ScanKind.CONTAINER, "sscc", "106141411234567897"),
        ("]C0LPN00000001", ScanKind.CONTAINER, "code", "LPN00000001"),
        ("]C0OP0001", ScanKind.BADGE, "code", "OP0001"),
        ("]C0#DONE", ScanKind.COMMAND, "command", Command.DONE),
        ("]C0#SHORT", ScanKind.COMMAND, "command", Command.SHORT),
        ("]C0PT-4711", ScanKind.DOCUMENT, "code", "PT-4711"),
        ("]C0A-01-03-B-2", ScanKind.LOCATION, "code", "A-01-03-B-2"),
        ("]E00950110153001", ScanKind.INVALID, "message", "Bad check digit in 0950110153001"),
        ("]C0NO SUCH THING", ScanKind.UNKNOWN, "raw", "]C0NO SUCH THING"),
    ]
    events = Events()
    with connected(ScannerProfile(port=scanner.port), events):
        for raw, *_ in expected:
            scanner.type(raw)
        scans = events.wait_scans(len(expected))
    assert [
        (s.raw, s.kind, field, getattr(s, field))
        for s, (_, _, field, _) in zip(scans, expected, strict=True)
    ] == expected


def test_python_gs_whitespace_trap_does_not_split_or_trim_a_scan(scanner: PtyScanner) -> None:
    sent = [f"]C101{GTIN}10LOT42{GS}21SER9{GS}", f"]C1{GS}01{GTIN}21S{GS}10L"]
    events = Events()
    with connected(ScannerProfile(port=scanner.port), events):
        for raw in sent:
            scanner.type(raw)
        scans = events.wait_scans(2)
    assert [scan.raw for scan in scans] == sent
    assert [(scan.serial, scan.lot) for scan in scans] == [("SER9", "LOT42"), ("S", "L")]


def test_a_scan_cut_by_read_timeouts_is_held_until_its_suffix(scanner: PtyScanner) -> None:
    events = Events()
    with connected(ScannerProfile(port=scanner.port), events):
        scanner.write(b"]C101095011015")
        time.sleep(0.1)  # several 20 ms read timeouts pass with half a scan in hand
        assert events.scans() == []
        scanner.write(b"30003\r")
        [scan] = events.wait_scans(1)
    assert (scan.raw, scan.gtin) == (f"]C101{GTIN}", GTIN)


def test_a_burst_of_1000_stored_scans_arrives_in_order_once(scanner: PtyScanner) -> None:
    sent = [gs1(n) for n in range(1000)]
    events = Events()
    with connected(ScannerProfile(port=scanner.port), events):
        scanner.write(b"".join(raw.encode() + b"\r" for raw in sent))  # back to back
        scanner.type("#DONE")  # nothing can arrive after this marker
        scans = events.wait_scans(1001)
    assert [scan.raw for scan in scans] == [*sent, "#DONE"]
    assert [scan.serial for scan in scans[:-1]] == [f"{n:06d}" for n in range(1000)]


def test_the_same_code_scanned_again_counts_again(scanner: PtyScanner) -> None:
    events = Events()
    with connected(ScannerProfile(port=scanner.port), events):
        for _ in range(25):
            scanner.type("]E04006381333931")
        scans = events.wait_scans(25)
    assert [scan.gtin for scan in scans] == ["04006381333931"] * 25


def test_debounce_when_asked_for_drops_a_double_read(scanner: PtyScanner) -> None:
    events = Events()
    with connected(ScannerProfile(port=scanner.port, debounce_ms=60_000), events):
        for raw in ("]C0OP0001", "]C0OP0001", "]C0#DONE"):
            scanner.type(raw)
        events.wait_until(lambda e: any(s.command for s in e.scans()), "the #DONE scan")
    assert [scan.raw for scan in events.scans()] == ["]C0OP0001", "]C0#DONE"]


def test_overlong_and_noisy_input_become_errors_and_reading_goes_on(scanner: PtyScanner) -> None:
    events = Events()
    with connected(ScannerProfile(port=scanner.port, max_length=64), events):
        scanner.write(b"9" * 500 + b"\r")
        scanner.write(b"\x00\xff\xfe\x9c garbage\r")
        scanner.type("]C0#DONE")
        events.wait_scans(1)
    too_long, noise, done = [e for e in events.all if isinstance(e, ScannerError | ScanReceived)]
    assert too_long == ScannerError("Scan over 64 bytes dropped", ("39 " * 32)[:-1] + " …")
    assert isinstance(noise, ScannerError)
    assert noise.raw_hex.startswith("00 ff fe 9c")
    assert isinstance(done, ScanReceived)
    assert done.scan.command is Command.DONE


def test_unplug_and_replug_under_a_new_name_loses_nothing_and_doubles_nothing(
    tmp_path: Path,
) -> None:
    link = tmp_path / "wms-scanner"  # what the udev rule's SYMLINK does for a real scanner
    events = Events()
    first, second = PtyScanner(), PtyScanner()  # both open: their pts numbers differ
    link.symlink_to(first.port)
    try:
        with running_reader(ScannerProfile(port=str(link)), events):
            events.wait_for(ScannerConnected)
            for n in range(4):
                first.type(gs1(n))
            # The cable is pulled in the middle of a scan. One write reaches the reader in one
            # read, so once scan 4 is out, the half scan after it is in the reader's hands.
            first.write(f"{gs1(4)}\r]C10109501".encode())
            events.wait_scans(5)
            link.unlink()
            first.unplug()
            events.wait_for(ScannerReconnecting, 2)  # retrying while the scanner is away
            link.symlink_to(second.port)
            events.wait_for(ScannerConnected, 2)
            for n in range(5, 10):
                second.type(gs1(n))
            second.type("#DONE")
            scans = events.wait_scans(11)
    finally:
        first.unplug()
        second.unplug()
    assert [scan.raw for scan in scans] == [gs1(n) for n in range(10)] + ["#DONE"]
    connects = [e.port for e in events.of(ScannerConnected) if isinstance(e, ScannerConnected)]
    assert connects == [first.port, second.port]
    [lost, *_] = [e for e in events.of(ScannerDisconnected) if isinstance(e, ScannerDisconnected)]
    assert lost.port == first.port
    assert lost.reason
    assert ScannerError("Scan cut off by disconnect", b"]C10109501".hex(" ")) in events.all


def test_the_reader_waits_for_a_scanner_that_is_not_plugged_in_yet(tmp_path: Path) -> None:
    link = tmp_path / "wms-scanner"
    events = Events()
    with PtyScanner() as scanner, running_reader(ScannerProfile(port=str(link)), events):
        [absent] = events.wait_for(ScannerDisconnected)
        assert absent == ScannerDisconnected(str(link), f"{link} not found")
        events.wait_for(ScannerReconnecting)
        link.symlink_to(scanner.port)
        events.wait_for(ScannerConnected)
        scanner.type("#DONE")
        [scan] = events.wait_scans(1)
    assert scan.command is Command.DONE


def test_a_second_reader_on_the_same_port_is_refused_not_fed(scanner: PtyScanner) -> None:
    first, second = Events(), Events()
    profile = ScannerProfile(port=scanner.port)
    with connected(profile, first), running_reader(replace(profile, name="second"), second):
        [refused] = second.wait_for(ScannerDisconnected)
        for n in range(20):
            scanner.type(gs1(n))
        first.wait_scans(20)
    assert isinstance(refused, ScannerDisconnected)
    assert "lock" in refused.reason
    assert second.scans() == []
    assert [scan.raw for scan in first.scans()] == [gs1(n) for n in range(20)]
