"""A simulated serial scanner on a pseudo-terminal (POSIX), for the demo, the tests and benchmarks.

pyserial opens the pty's slave end exactly like ``/dev/ttyACM0``, so everything downstream runs
the real serial path. Closing the master is an unplug: the reader's next read fails with EIO.
"""

from __future__ import annotations

import os
import pty
import select
import time
import tty

from biip.gs1_messages import GS1Message

from wms.domain.scan import GS

_POLL_INTERVAL = 0.01
_BITS_PER_BYTE = 10  # start bit + 8 data bits + stop bit (8N1)
_GTIN_AIM_IDS = {8: "]E4", 12: "]E0", 13: "]E0", 14: "]I1"}  # EAN-8, UPC-A/EAN-13, ITF-14


class PtyScanner:
    """A fake scanner: `port` is the path a reader opens; `type` sends one scan.

    ``baudrate`` paces the bytes like a serial line would (None: as fast as the reader takes
    them). Use as a context manager, or call `unplug`.
    """

    def __init__(self, *, suffix: bytes = b"\r", baudrate: int | None = None) -> None:
        self._suffix = suffix
        self._byte_time = _BITS_PER_BYTE / baudrate if baudrate else 0.0
        self._master, slave = pty.openpty()
        tty.setraw(slave)  # no echo, no CR→LF translation before a reader configures the port
        self.port = os.ttyname(slave)
        # Not holding the slave open lets the master tell whether a reader has the port open.
        os.close(slave)

    def type(self, text: str) -> None:
        """Send ``text`` and the suffix, as a scanner does for one scan."""
        self.write(text.encode() + self._suffix)

    def write(self, data: bytes) -> None:
        """Send raw bytes (noise, partial scans …). Blocks while the pty's buffer is full."""
        if not self._byte_time:
            view = memoryview(data)
            while view:
                view = view[os.write(self._master, view) :]
            return
        deadline = time.perf_counter()
        for i in range(len(data)):
            os.write(self._master, data[i : i + 1])
            deadline += self._byte_time
            time.sleep(max(0.0, deadline - time.perf_counter()))

    def wait_for_reader(self) -> None:
        """Wait until something opens the port (the master stops reporting a hang-up)."""
        poller = select.poll()
        poller.register(self._master, select.POLLHUP)
        while poller.poll(0):  # POLLHUP is the only event asked for
            time.sleep(_POLL_INTERVAL)

    def unplug(self) -> None:
        """Close the master, as pulling the USB cable would. Safe to call twice."""
        if self._master >= 0:
            os.close(self._master)
            self._master = -1

    def __enter__(self) -> PtyScanner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.unplug()


def scanner_output(line: str, *, aim_ids: bool) -> str:
    """What a scanner sends for one line of a scan file (suffix excluded).

    A line in HRI form, ``(01)09501101530003(10)LOT42``, becomes a GS1 element string with GS
    where a field needs one; ``<GS>`` stands for the separator. With ``aim_ids``, the AIM id a
    scanner would put in front is guessed from the content. Raises biip's ParseError on bad HRI.
    """
    if line.startswith("("):
        return ("]C1" if aim_ids else "") + GS1Message.parse_hri(line).value
    text = line.replace("<GS>", GS)
    return (_guess_aim_id(text) if aim_ids else "") + text


def _guess_aim_id(text: str) -> str:
    if text[:8].lower().startswith(("http://", "https://")):
        return "]Q1"
    if text.isascii() and text.isdigit() and len(text) in _GTIN_AIM_IDS:
        return _GTIN_AIM_IDS[len(text)]
    if GS in text or (text[:2].isascii() and text[:2].isdigit()):
        return "]C1"  # digits first: a GS1 element string
    return "]C0"
