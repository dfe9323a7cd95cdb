"""The serial reader: one plain thread per scanner, every event to one callback, in order.

The thread reads with a finite timeout so `stop` is honoured within ``read_timeout``. When the
port fails (unplug: `SerialException`/`OSError`), it reports the loss, drops the partial scan,
and resolves the port again until the scanner is back, possibly under another device name
(`wms.scanner.lines`, which scales share).

In the TUI the callback is ``lambda event: app.post_message(ScannerMessage(event))``:
`post_message` is thread-safe, and scan messages must not define ``can_replace`` so that a burst
from a batch-mode scanner is delivered whole.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime

from wms.domain.locations import DEFAULT_LOCATION_PATTERN
from wms.scanner.events import (
    ScannerConnected,
    ScannerDisconnected,
    ScannerError,
    ScannerEvent,
    ScannerReconnecting,
    ScanReceived,
)
from wms.scanner.framing import FrameError
from wms.scanner.lines import LineReader, SerialLine
from wms.scanner.profile import ScannerProfile


class ScannerReader(LineReader[ScannerEvent]):
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
        line = SerialLine(
            f"scanner-{profile.name}",
            profile.port,
            profile.baudrate,
            profile.bytesize,
            profile.parity,
            profile.stopbits,
            profile.suffix.value,
            profile.max_length,
            profile.usb_ids,
        )
        super().__init__(line, on_event, read_timeout=read_timeout, retry_interval=retry_interval)
        self._profile = profile
        self._location_pattern = location_pattern
        self._last_seen: tuple[str, float] | None = None  # for the optional debounce

    def __enter__(self) -> ScannerReader:
        self.start()
        return self

    def connected(self, port: str) -> ScannerEvent:
        """The scanner's port is open."""
        return ScannerConnected(port)

    def disconnected(self, port: str, reason: str) -> ScannerEvent:
        """The scanner's port is lost."""
        return ScannerDisconnected(port, reason)

    def reconnecting(self, port: str, attempt: int) -> ScannerEvent:
        """Trying the scanner's port again."""
        return ScannerReconnecting(port, attempt)

    def received(self, text: str) -> list[ScannerEvent]:
        """A scan, decoded (none when the debounce drops it)."""
        if self._bounced(text):
            return []
        # Here, on the reader's thread: the decoder (biip) stays off the terminal's start-up.
        from wms.domain.scan import decode

        scan = decode(text, aim_ids=self._profile.aim_ids, location_pattern=self._location_pattern)
        return [ScanReceived(scan, datetime.now(UTC))]

    def garbled(self, problem: FrameError) -> list[ScannerEvent]:
        """Bytes that made no scan."""
        return [ScannerError(problem.message, problem.raw_hex)]

    def cut_off(self, raw_hex: str) -> list[ScannerEvent]:
        """A scan the unplug cut off."""
        return [ScannerError("Scan cut off by disconnect", raw_hex)]

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
