"""Transports: how a rendered job reaches a printer. Rendering knows nothing of these.

Every transport raises PrinterOffline when the printer does not take the job, so the spool
can keep it for a retry.
"""

from __future__ import annotations

import socket
import subprocess
from typing import Protocol

from wms.labels.errors import PrinterOffline
from wms.labels.settings import (
    CupsPrinterSettings,
    FilePrinterSettings,
    PrinterSettings,
    TcpPrinterSettings,
)

LP_TIMEOUT_S = 30


class Printer(Protocol):
    """Anything that can take one job's bytes, or raise PrinterOffline."""

    @property
    def name(self) -> str:
        """The configured printer name, which spooled jobs are kept under."""
        ...

    def send(self, data: bytes) -> None:
        """Deliver the whole job, or raise PrinterOffline."""
        ...


class Tcp9100Printer:
    """Raw printing to port 9100: the printer prints what it receives, there is no reply."""

    def __init__(self, settings: TcpPrinterSettings) -> None:
        self.settings = settings
        self.name = settings.name

    def send(self, data: bytes) -> None:
        """Connect, send everything, close; any socket error means the job was not taken."""
        s = self.settings
        try:
            with socket.create_connection((s.host, s.port), timeout=s.timeout_s) as conn:
                conn.sendall(data)
                # Half-close so the printer sees the end of the job before we hang up.
                conn.shutdown(socket.SHUT_WR)
        except OSError as exc:
            reason = f"{s.host}:{s.port}: {exc.strerror or exc}"
            raise PrinterOffline(f"printer {s.name} is offline ({reason})") from exc


class CupsPrinter:
    """A CUPS queue through ``lp``; CUPS then keeps and retries the job itself."""

    def __init__(self, settings: CupsPrinterSettings) -> None:
        self.settings = settings
        self.name = settings.name

    def send(self, data: bytes) -> None:
        """Hand the job to ``lp`` on stdin; ZPL goes raw, past any driver."""
        s = self.settings
        command = [s.lp_command, "-d", s.queue]
        if s.language == "zpl":
            command += ["-o", "raw"]
        try:
            done = subprocess.run(
                command, input=data, capture_output=True, timeout=LP_TIMEOUT_S, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            reason = f"cannot run {s.lp_command}: {exc}"
            raise PrinterOffline(f"printer {s.name} is offline ({reason})") from exc
        if done.returncode != 0:
            reason = done.stderr.decode(errors="replace").strip() or f"exit {done.returncode}"
            raise PrinterOffline(f"printer {s.name} is offline (CUPS {s.queue}: {reason})")


class FilePrinter:
    """Appends jobs to a file: a capture file, or a device node such as /dev/usb/lp0."""

    def __init__(self, settings: FilePrinterSettings) -> None:
        self.settings = settings
        self.name = settings.name

    def send(self, data: bytes) -> None:
        """Append the job; a missing device or a full disk means the job was not taken."""
        try:
            with self.settings.path.open("ab") as f:
                f.write(data)
        except OSError as exc:
            reason = f"{self.settings.path}: {exc.strerror or exc}"
            raise PrinterOffline(f"printer {self.name} is offline ({reason})") from exc


def open_printer(settings: PrinterSettings) -> Printer:
    """The transport for a configured printer."""
    if isinstance(settings, TcpPrinterSettings):
        return Tcp9100Printer(settings)
    if isinstance(settings, CupsPrinterSettings):
        return CupsPrinter(settings)
    return FilePrinter(settings)
