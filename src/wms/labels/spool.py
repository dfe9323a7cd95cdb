"""The print spool: every job is written to disk before it is sent and removed only once the
printer took it, so an offline printer (or a crash mid-send) never loses a label.

Jobs for one printer go out in the order they were made; a new job waits behind older ones.
The cost is at-least-once delivery: a crash between sending and removing prints that job
again on the next retry, a duplicate rather than a lost label.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from wms.labels.errors import LabelError, PrinterOffline
from wms.labels.printers import Printer

JOB_SUFFIX = ".job"


@dataclass(frozen=True)
class SpooledJob:
    """A job waiting on disk; ``path`` holds a JSON header line, then the job's bytes."""

    path: Path
    printer: str
    description: str


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Spool:
    """A directory of unsent jobs, shared by every process of this terminal (flock)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @contextmanager
    def _locked(self) -> Iterator[None]:
        # One sender at a time: the app and a `wms labels retry` must not send a job twice.
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / ".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def _write(self, printer: str, data: bytes, description: str) -> Path:
        # Time first in the name: sorting the names gives the order jobs were made in.
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        header = json.dumps({"printer": printer, "description": description}).encode()
        tmp = self.directory / f"{name}.tmp"
        with tmp.open("wb") as f:
            f.write(header + b"\n" + data)
            f.flush()
            os.fsync(f.fileno())
        path = tmp.with_suffix(JOB_SUFFIX)
        os.replace(tmp, path)
        _fsync_dir(self.directory)
        return path

    def pending(self, printer: str | None = None) -> list[SpooledJob]:
        """Jobs still waiting (for ``printer``, or all), oldest first."""
        if not self.directory.is_dir():
            return []
        jobs = []
        for path in sorted(self.directory.glob(f"*{JOB_SUFFIX}")):
            with path.open("rb") as f:
                header = json.loads(f.readline())
            if printer is None or header["printer"] == printer:
                jobs.append(SpooledJob(path, header["printer"], header["description"]))
        return jobs

    def _flush(self, printer: Printer) -> None:
        for job in self.pending(printer.name):
            data = job.path.read_bytes().split(b"\n", 1)[1]
            printer.send(data)
            job.path.unlink()
        _fsync_dir(self.directory)

    def submit(self, printer: Printer, data: bytes, description: str) -> None:
        """Keep the job, then send it after any older jobs for the same printer.

        Raises PrinterOffline (with ``waiting``, the number of jobs kept) if the printer
        does not take them; they stay in the spool for ``retry``.
        """
        with self._locked():
            self._write(printer.name, data, description)
            self._send_or_explain(printer)

    def retry(self, printers: Callable[[str], Printer]) -> dict[str, str | None]:
        """Send every waiting job; returns, per printer, None when done or the error."""
        outcome: dict[str, str | None] = {}
        with self._locked():
            for name in dict.fromkeys(job.printer for job in self.pending()):
                try:
                    self._send_or_explain(printers(name))
                    outcome[name] = None
                except LabelError as exc:  # offline, or no longer configured
                    outcome[name] = exc.message
        return outcome

    def _send_or_explain(self, printer: Printer) -> None:
        try:
            self._flush(printer)
        except PrinterOffline as exc:
            waiting = len(self.pending(printer.name))
            raise PrinterOffline(
                f"{exc.message}. {waiting} job(s) kept; they print with the next job "
                "or with `wms labels retry`.",
                waiting=waiting,
            ) from exc
