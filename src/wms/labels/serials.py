"""Numbers that must never be reused: SSCC serial references and LPNs.

A block is reserved (and the counter made durable) before any label is rendered, so a
crash or a refused print wastes numbers but can never hand the same number out twice.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Protocol

from wms.domain.gtin import sscc
from wms.labels.errors import LabelError


class SerialCounter(Protocol):
    """A persistent counter; each call returns numbers no earlier call returned."""

    def next_block(self, n: int) -> range:
        """Reserve ``n`` numbers and return them (the first is 1 on a fresh counter)."""
        ...


class FileSerialCounter:
    """A counter in a small text file, advanced under an exclusive lock and fsynced."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def next_block(self, n: int) -> range:
        """Reserve ``n`` numbers: write value+n durably (temp file, fsync, rename)."""
        if n < 1:
            raise LabelError("count must be at least 1")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.with_suffix(".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                text = self.path.read_text(encoding="ascii")
            except FileNotFoundError:
                text = "0"
            if not text.strip().isdigit():
                # Never guess a damaged counter: a guess too low would reuse numbers.
                raise LabelError(f"counter {self.path} is damaged ({text[:20]!r}); fix it by hand")
            last = int(text)
            tmp = self.path.with_suffix(".tmp")
            with tmp.open("w", encoding="ascii") as f:
                f.write(f"{last + n}\n")
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
            fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        return range(last + 1, last + n + 1)


class SsccAllocator:
    """Issues SSCCs: extension digit + company prefix + serial reference + check digit.

    The serial reference is ``serial_prefix`` (this terminal's block) followed by the
    counter, zero-padded to the digits the company prefix leaves (16 - its length).
    """

    def __init__(
        self, counter: SerialCounter, company_prefix: str, extension: int, serial_prefix: str
    ) -> None:
        self.counter = counter
        self.company_prefix = company_prefix
        self.extension = extension
        self.serial_prefix = serial_prefix
        self.counter_digits = 16 - len(company_prefix) - len(serial_prefix)
        if self.counter_digits < 3:
            raise LabelError("company prefix and serial prefix leave too few serial digits")

    def allocate(self, n: int) -> list[str]:
        """Reserve and return ``n`` new SSCCs."""
        block = self.counter.next_block(n)
        if block[-1] >= 10**self.counter_digits:
            raise LabelError("SSCC serial references are used up for this company prefix")
        return [
            sscc(
                self.extension,
                self.company_prefix,
                int(f"{self.serial_prefix}{value:0{self.counter_digits}d}"),
            )
            for value in block
        ]


class LpnAllocator:
    """Issues internal LPNs in the scanner's scheme: ``LPN`` + 8 digits, the first of them
    ``serial_prefix`` (this terminal's block), the rest the counter."""

    DIGITS = 8

    def __init__(self, counter: SerialCounter, serial_prefix: str) -> None:
        self.counter = counter
        self.serial_prefix = serial_prefix
        self.counter_digits = self.DIGITS - len(serial_prefix)

    def allocate(self, n: int) -> list[str]:
        """Reserve and return ``n`` new LPN codes."""
        block = self.counter.next_block(n)
        if block[-1] >= 10**self.counter_digits:
            raise LabelError("LPN numbers are used up for this terminal's serial prefix")
        return [f"LPN{self.serial_prefix}{value:0{self.counter_digits}d}" for value in block]
