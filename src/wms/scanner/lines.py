"""A serial device that sends lines of text, read on one plain thread: scanners and scales.

The thread reads with a finite timeout so `stop` is honoured within ``read_timeout``. When the
port fails (unplug: `SerialException`/`OSError`), it reports the loss, drops the partial line,
and resolves the port again until the device is back, possibly under another device name. What
a line means, and the events it makes, are the subclass's (`wms.scanner.reader` for scanners,
`wms.scanner.scale` for scales).
"""

from __future__ import annotations

import logging
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import serial

from wms.scanner.framing import FrameError, Framer, hex_preview
from wms.scanner.ports import resolve_port

log = logging.getLogger(__name__)
_E = TypeVar("_E")


@dataclass(frozen=True)
class SerialLine:
    """How to reach a line device and frame what it sends."""

    name: str
    port: str
    baudrate: int
    bytesize: int
    parity: str
    stopbits: float
    suffix: bytes
    max_length: int
    usb_ids: tuple[str, ...] = ()


class LineReader(ABC, Generic[_E]):
    """Reads one line device on a daemon thread; use as a context manager.

    ``on_event`` is called on the reader's thread with each event, in order; it should hand the
    event over quickly (post a message, put it on a queue).
    """

    def __init__(
        self,
        line: SerialLine,
        on_event: Callable[[_E], object],
        *,
        read_timeout: float = 0.1,
        retry_interval: float = 1.0,
    ) -> None:
        self._line = line
        self._on_event = on_event
        self._read_timeout = read_timeout
        self._retry_interval = retry_interval
        self._framer = Framer(line.suffix, line.max_length)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=line.name, daemon=True)

    # -- what a subclass says -----------------------------------------------------------------

    @abstractmethod
    def connected(self, port: str) -> _E:
        """The event for a port opened."""

    @abstractmethod
    def disconnected(self, port: str, reason: str) -> _E:
        """The event for a port lost (or not found, or the reader stopped)."""

    @abstractmethod
    def reconnecting(self, port: str, attempt: int) -> _E:
        """The event for another try at the port."""

    @abstractmethod
    def received(self, text: str) -> list[_E]:
        """The events one complete line makes (none: nothing worth telling)."""

    @abstractmethod
    def garbled(self, problem: FrameError) -> list[_E]:
        """The events for bytes that made no line (too long, unreadable)."""

    @abstractmethod
    def cut_off(self, raw_hex: str) -> list[_E]:
        """The events for a line the port's loss cut off (its bytes in hex)."""

    def opened(self, port: serial.Serial) -> None:
        """Called once the port is open, before reading: send the device what it needs."""

    # -- the thread -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start reading; the first event is a connection or its failure."""
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop reading, close the port and wait for the thread to end."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def __enter__(self) -> LineReader[_E]:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self) -> None:
        spec = self._line.port
        attempt = 0
        while not self._stopping.is_set():
            if attempt:
                self._emit(self.reconnecting(spec, attempt))
            try:
                device, port = self._open()
            except OSError as exc:  # SerialException is an OSError
                if not attempt:
                    self._emit(self.disconnected(spec, str(exc)))
                attempt += 1
                self._stopping.wait(self._retry_interval)
                continue
            self._emit(self.connected(device))
            try:
                reason = self._pump(port)
            finally:
                port.close()
            self._emit(self.disconnected(device, reason or "reader stopped"))
            attempt = 1

    def _open(self) -> tuple[str, serial.Serial]:
        line = self._line
        device = resolve_port(line.port, line.usb_ids)
        if device is None:
            raise serial.SerialException(f"{line.port} not found")
        # exclusive: a second reader on the same port would silently split the stream in two.
        port = serial.Serial(
            device,
            baudrate=line.baudrate,
            bytesize=line.bytesize,
            parity=line.parity,
            stopbits=line.stopbits,
            timeout=self._read_timeout,
            exclusive=True,
        )
        try:
            self.opened(port)
        except OSError:
            port.close()
            raise
        return os.path.realpath(device), port

    def _pump(self, port: serial.Serial) -> str | None:
        """Read until stopped (None) or until the port fails (the reason)."""
        while not self._stopping.is_set():
            try:
                data = port.read(port.in_waiting or 1)
            except OSError as exc:
                if partial := self._framer.pending:
                    for event in self.cut_off(hex_preview(partial)):
                        self._emit(event)
                self._framer.reset()
                return str(exc)
            for frame in self._framer.feed(data):
                events = (
                    self.garbled(frame) if isinstance(frame, FrameError) else self.received(frame)
                )
                for event in events:
                    self._emit(event)
        return None

    def _emit(self, event: _E) -> None:
        try:
            self._on_event(event)
        except Exception:  # a failing consumer must not kill the reader: lines would stop silently
            log.exception("serial event handler failed on %r", event)
