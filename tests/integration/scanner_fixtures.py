"""Helpers for the scanner tests: collect a reader's events and wait for them, run a reader."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from wms.domain.scan import Scan
from wms.scanner import ScannerEvent, ScannerProfile, ScanReceived
from wms.scanner.reader import ScannerReader

WAIT_SECONDS = 15.0  # a guard against hanging, generous for a loaded CI box; not a measurement


class Events:
    """A reader callback that records events and lets the test wait for them."""

    def __init__(self) -> None:
        self._events: list[ScannerEvent] = []
        self._changed = threading.Condition()

    def __call__(self, event: ScannerEvent) -> None:
        with self._changed:
            self._events.append(event)
            self._changed.notify_all()

    @property
    def all(self) -> list[ScannerEvent]:
        with self._changed:
            return list(self._events)

    def scans(self) -> list[Scan]:
        return [event.scan for event in self.all if isinstance(event, ScanReceived)]

    def of(self, kind: type[ScannerEvent]) -> list[ScannerEvent]:
        return [event for event in self.all if isinstance(event, kind)]

    def wait_until(self, condition: Callable[[Events], bool], what: str) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: condition(self), WAIT_SECONDS):
                raise AssertionError(f"gave up waiting for {what}; events: {self._events[-8:]}")

    def wait_scans(self, count: int) -> list[Scan]:
        self.wait_until(lambda events: len(events.scans()) >= count, f"{count} scans")
        return self.scans()

    def wait_for(self, kind: type[ScannerEvent], count: int = 1) -> list[ScannerEvent]:
        self.wait_until(lambda events: len(events.of(kind)) >= count, f"{count} x {kind.__name__}")
        return self.of(kind)


@contextmanager
def running_reader(
    profile: ScannerProfile, events: Events, *, read_timeout: float = 0.02
) -> Iterator[None]:
    """Run a reader with short timeouts for the tests; stop it and check its thread is gone."""
    reader = ScannerReader(profile, events, read_timeout=read_timeout, retry_interval=0.02)
    reader.start()
    try:
        yield
    finally:
        reader.stop()
        leftover = [t for t in threading.enumerate() if t.name == f"scanner-{profile.name}"]
        assert not leftover, "the reader thread outlived stop()"
