"""A simulated MT-SICS scale on a pseudo-terminal (POSIX), for the demo, the tests and the
benchmark: the reader opens the pty's slave end exactly like ``/dev/ttyUSB0``.

A thread answers the commands the reader sends (``@``, ``S``, ``SI``, ``SIR``); after ``SIR``
it sends the reading every ``interval`` seconds, as a real scale in that mode does. `place`
puts a parcel on the platter: a few moving readings, then the settled one. `garbage` sends
bytes no scale sends; `unplug` closes the master, as pulling the cable would.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import threading
import tty

_SETTLING = (0.93, 1.04, 0.99)  # a parcel put down rocks before it settles


class PtyScale:
    """A fake MT-SICS scale; `port` is the path a reader opens."""

    def __init__(self, *, interval: float = 0.05, serial_number: str = "0123456789") -> None:
        self._master, slave = pty.openpty()
        tty.setraw(slave)
        self.port = os.ttyname(slave)
        os.close(slave)
        self._interval = interval
        self._serial = serial_number
        self._lock = threading.Lock()
        self._grams = 0
        self._moving: list[int] = []  # readings still to send before the settled one
        self._repeat = False
        self._stopping = threading.Event()
        self.commands: list[str] = []  # what the reader sent, for tests
        self._thread = threading.Thread(target=self._serve, name="pty-scale", daemon=True)
        self._thread.start()

    # -- the platter ------------------------------------------------------------------------------

    def place(self, grams: int) -> None:
        """Put ``grams`` on the platter: moving readings first, then the settled one."""
        with self._lock:
            self._moving = [round(grams * f) for f in _SETTLING]
            self._grams = grams

    def clear(self) -> None:
        """Take everything off the platter."""
        self.place(0)

    def garbage(self, data: bytes = b"\x07\xfe\xff S X ??? \r\n") -> None:
        """Send bytes that are no MT-SICS answer (a wrong baud rate, a broken cable)."""
        self._write(data)

    def unplug(self) -> None:
        """Close the master, as pulling the cable would. Safe to call twice."""
        self._stopping.set()
        with self._lock:
            if self._master >= 0:
                os.close(self._master)
                self._master = -1

    def __enter__(self) -> PtyScale:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.unplug()

    # -- the scale's side of the line --------------------------------------------------------------

    def _reading(self) -> str:
        with self._lock:
            if self._moving:
                grams, stable = self._moving.pop(0), False
            else:
                grams, stable = self._grams, True
        return f"S {'S' if stable else 'D'} {grams / 1000:10.3f} kg\r\n"

    def _write(self, data: bytes) -> None:
        with self._lock:
            master = self._master
        if master < 0:
            return
        with contextlib.suppress(OSError):  # nobody reading (yet): a scale talks to no one
            os.write(master, data)

    def _serve(self) -> None:
        pending = b""
        while not self._stopping.is_set():
            with self._lock:
                master = self._master
            if master < 0:
                return
            try:
                ready, _, _ = select.select([master], [], [], self._interval)
            except (OSError, ValueError):
                return
            if ready:
                try:
                    pending += os.read(master, 256)
                except OSError:  # no reader on the slave end yet (EIO): wait for one
                    self._stopping.wait(self._interval)
                    continue
                while b"\r\n" in pending:
                    line, pending = pending.split(b"\r\n", 1)
                    self._command(line.decode("ascii", "replace").strip())
            elif self._repeat:
                self._write(self._reading().encode())

    def _command(self, command: str) -> None:
        self.commands.append(command)
        if command == "@":
            self._repeat = False
            self._write(f'I4 A "{self._serial}"\r\n'.encode())
        elif command == "SIR":
            self._repeat = True
        elif command in ("S", "SI"):
            self._write(self._reading().encode())
        else:
            self._write(b"ES\r\n")
