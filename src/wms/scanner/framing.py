"""Cutting a scanner's byte stream into scans, on bytes (DESIGN.md §3).

A read timeout hands over a partial line: it is kept until its suffix arrives and is never a scan.
The text is never ``split()``, ``splitlines()`` or ``strip()``-ed: Python counts the GS separator
(0x1d) as whitespace and as a line boundary, and would eat it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Control characters a scan may carry: GS separates GS1 fields; RS and EOT frame ISO/IEC 15434
# envelopes in 2D codes. Any other control byte is line noise or a wrong baud rate.
_ALLOWED_CONTROLS = str.maketrans("", "", "\x1d\x1e\x04")
_HEX_PREVIEW = 32


@dataclass(frozen=True)
class FrameError:
    """Bytes that did not make a scan: too long, or not text."""

    message: str
    raw_hex: str


def hex_preview(data: bytes) -> str:
    """The first bytes of ``data`` in hex, for an installer reading an error."""
    shown = data[:_HEX_PREVIEW].hex(" ")
    return shown if len(data) <= _HEX_PREVIEW else shown + " …"


class Framer:
    """Turns chunks of bytes into complete lines of text, in order.

    ``suffix`` ends each scan; ``max_length`` caps a line (bytes, suffix excluded): a longer one
    becomes one `FrameError` and the rest of it, up to the next suffix, is skipped.
    Empty lines carry nothing and are dropped.
    """

    def __init__(self, suffix: bytes, max_length: int) -> None:
        self._suffix = suffix
        self._max_length = max_length
        self._buffer = bytearray()
        self._skipping = False  # inside an overlong line that was already reported

    @property
    def pending(self) -> bytes:
        """The partial line held while its suffix has not arrived (empty when skipping)."""
        return b"" if self._skipping else bytes(self._buffer)

    def reset(self) -> None:
        """Forget any partial line: the next byte starts a new scan (after a reconnect)."""
        self._buffer.clear()
        self._skipping = False

    def feed(self, data: bytes) -> list[str | FrameError]:
        """Add received bytes; return the lines (and errors) they complete, in order."""
        self._buffer += data
        out: list[str | FrameError] = []
        start = 0
        while (end := self._buffer.find(self._suffix, start)) >= 0:
            line = bytes(self._buffer[start:end])
            start = end + len(self._suffix)
            if self._skipping:
                self._skipping = False
            elif len(line) > self._max_length:
                out.append(self._too_long(line))
            elif line:
                out.append(_text(line))
        del self._buffer[:start]
        # The buffer's last bytes may be the start of a split suffix (the CR of a CRLF).
        keep = len(self._suffix) - 1
        if len(self._buffer) > self._max_length + keep:
            if not self._skipping:
                out.append(self._too_long(bytes(self._buffer)))
                self._skipping = True
            del self._buffer[: len(self._buffer) - keep]
        return out

    def _too_long(self, line: bytes) -> FrameError:
        return FrameError(f"Scan over {self._max_length} bytes dropped", hex_preview(line))


def _text(line: bytes) -> str | FrameError:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return FrameError("Unreadable bytes (check baud rate)", hex_preview(line))
    if not text.translate(_ALLOWED_CONTROLS).isprintable():
        return FrameError("Control bytes in scan (check baud rate)", hex_preview(line))
    return text
