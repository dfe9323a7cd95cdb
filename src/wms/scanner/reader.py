"""The serial reader: one plain thread per scanner, every event to one callback, in order.

The thread reads with a finite timeout so `stop` is honoured within ``read_timeout``. When the
port fails (unplug: `SerialException`/`OSError`), it reports the loss, drops the partial scan,
and resolves the port again until the scanner is back, possibly under another device name.

In the TUI the callback is ``lambda event: app.post_message(ScannerMessage(event))``:
`post_message` is thread-safe, and scan messages must not define ``can_replace`` so that a burst
from a batch-mode scanner is delivered whole.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import serial

from wms.domain.locations import DEFAULT_LOCATION_PATTERN
from wms.scanner.events import (
    ScannerConnected,
    ScannerDisconnected,
    ScannerError,
    ScannerEvent,
    ScannerReconnecting,
    ScanReceived,
)
from wms.scanner.framing import FrameError, Framer, hex_preview
from wms.scanner.ports import resolve_port
from wms.scanner.profile import ScannerProfile

log = logging.getLogger(__name__)


class ScannerReader:
    """Reads one scanner described by ``profile`` on a daemon thread; use as a context manager.

    ``on_event`` is called on the reader's thread with each `ScannerEvent`, in order; it should
    hand the event over quickly (post a message, put it on a queue).
    """

    def __init__(
        self,
        profile: ScannerProfile,
        on_event: Callable[[ScannerEvent], object],
        *,
        location_pattern: re.Pattern[str] = DEFAULT_LOCATION_PATTERN,
        read_timeout: float = 0.1,
        retry_interval: float = 1.0,
    ) -> None:
        self._profile = profile
        self._on_event = on_event
        self._location_pattern = location_pattern
        self._read_timeout = read_timeout
        self._retry_interval = retry_interval
        self._framer = Framer(profile.suffix.value, profile.max_length)
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"scanner-{profile.name}", daemon=True
        )
        self._last_seen: tuple[str, float] | None = None  # for the optional debounce

    def start(self) -> None:
        """Start reading; the first event is `ScannerConnected` or `ScannerDisconnected`."""
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop reading, close the port and wait for the thread to end."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def __enter__(self) -> ScannerReader:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self) -> None:
        spec = self._profile.port
        attempt = 0
        while not self._stopping.is_set():
            if attempt:
                self._emit(ScannerReconnecting(spec, attempt))
            try:
                device, port = self._open()
            except OSError as exc:  # SerialException is an OSError
                if not attempt:
                    self._emit(ScannerDisconnected(spec, str(exc)))
                attempt += 1
                self._stopping.wait(self._retry_interval)
                continue
            self._emit(ScannerConnected(device))
            try:
                reason = self._pump(port)
            finally:
                port.close()
            self._emit(ScannerDisconnected(device, reason or "reader stopped"))
            attempt = 1

    def _open(self) -> tuple[str, serial.Serial]:
        profile = self._profile
        device = resolve_port(profile.port, profile.usb_ids)
        if device is None:
            raise serial.SerialException(f"{profile.port} not found")
        # exclusive: a second reader on the same port would silently split the stream in two.
        return os.path.realpath(device), serial.Serial(
            device,
            baudrate=profile.baudrate,
            bytesize=profile.bytesize,
            parity=profile.parity,
            stopbits=profile.stopbits,
            timeout=self._read_timeout,
            exclusive=True,
        )

    def _pump(self, port: serial.Serial) -> str | None:
        """Read until stopped (None) or until the port fails (the reason)."""
        # Here, on the reader's thread: the decoder (biip) stays off the terminal's start-up.
        from wms.domain.scan import decode

        while not self._stopping.is_set():
            try:
                data = port.read(port.in_waiting or 1)
            except OSError as exc:
                if partial := self._framer.pending:
                    self._emit(ScannerError("Scan cut off by disconnect", hex_preview(partial)))
                self._framer.reset()
                return str(exc)
            for frame in self._framer.feed(data):
                if isinstance(frame, FrameError):
                    self._emit(ScannerError(frame.message, frame.raw_hex))
                elif not self._bounced(frame):
                    scan = decode(
                        frame,
                        aim_ids=self._profile.aim_ids,
                        location_pattern=self._location_pattern,
                    )
                    self._emit(ScanReceived(scan, datetime.now(UTC)))
        return None

    def _bounced(self, text: str) -> bool:
        """True when debouncing and ``text`` repeats a scan seen within ``debounce_ms``."""
        if not self._profile.debounce_ms:
            return False
        now = time.monotonic()
        last, self._last_seen = self._last_seen, (text, now)
        return (
            last is not None
            and last[0] == text
            and now - last[1] < self._profile.debounce_ms / 1000
        )

    def _emit(self, event: ScannerEvent) -> None:
        try:
            self._on_event(event)
        except Exception:  # a failing consumer must not kill the reader: scans would stop silently
            log.exception("scanner event handler failed on %r", event)
