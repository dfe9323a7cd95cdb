"""`wms replay`: feed a file of scans and keys through a headless `Session`, printing each step.

One input per line; blank lines and ``#`` comments (a ``#`` followed by a space) are skipped:

- ``start receive``: start a workflow by name (the menu title);
- ``key F1|F3|F4|ESC|ENTER``: a function key (ENTER acknowledges an error);
- ``type 12``: a typed line followed by Enter;
- ``weigh 1250``: a parcel of 1,250 g put on the scale (a moving reading, then the settled one);
- anything else is a scan, written as the label prints it: ``PO-2026-0001``, ``#DONE``,
  ``2000000000015``, or GS1 in HRI form ``(01)02000000000015(17)280407(10)L2611``; ``<GS>``
  stands for the separator.

A refused step is acknowledged before the next line, unless that line is ``key ENTER``: a file
cannot see the error, and its next line is meant as work, not as the acknowledgement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wms.domain.errors import DomainError
from wms.domain.packing import Weighing
from wms.domain.scan import decode
from wms.domain.scan_schemes import Command
from wms.scanner.simulator import scanner_output
from wms.workflows.base import Level, StepView
from wms.workflows.jobs import Job
from wms.workflows.session import Session

KEYS = {"F3": Command.BACK, "F4": Command.DONE, "ESC": Command.CANCEL}


@dataclass(frozen=True)
class ReplayStep:
    """One input line and the view it produced."""

    line_no: int
    line: str
    view: StepView

    def render(self) -> str:
        """The step as one printed line: input, level, prompt, result."""
        v = self.view
        result = f" | {v.result}" if v.result else ""
        return (
            f"{self.line_no:>4} {self.line:<28} [{v.level.value}] {v.workflow}: {v.prompt}{result}"
        )


def feed(session: Session, line: str) -> StepView:
    """Apply one replay line to ``session``."""
    if line.startswith("start "):
        return session.start_named(line[6:])
    if line.startswith("type "):
        return session.text(line[5:])
    if line.startswith("weigh "):
        grams = int(line[6:])
        session.weigh(Weighing(grams, stable=False))
        return session.weigh(Weighing(grams, stable=True)) or session.view()
    if line.startswith("key "):
        key = line[4:].upper()
        if key == "ENTER":
            return session.text("")
        if key == "F1":
            return session.view()
        if key not in KEYS:
            raise ValueError(f"unknown key {key}")
        return session.command(KEYS[key])
    return session.scan(decode(scanner_output(line, aim_ids=True)))


def replay(
    session: Session,
    lines: Iterable[str],
    out: Callable[[str], None] = print,
    *,
    stop_on_error: bool = False,
    sync: Callable[[], str] | None = None,
) -> list[ReplayStep]:
    """Feed every line (up to the first refused step with ``stop_on_error``), print each step
    with ``out``, and return the steps. ``sync`` syncs with the hub when a step asks for it, as
    the terminal does (a new pack station's numbers); it returns what happened, or raises with
    the reason."""
    steps = []
    for n, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.startswith("# "):
            continue
        if session.error is not None and line.upper() != "KEY ENTER":
            session.text("")  # acknowledged, so this line does the work it was written for
        step = ReplayStep(n, line, feed(session, line))
        out(step.render())
        steps.append(step)
        for job in session.take_jobs():
            out(f"{'':>4} {job.description}: {_send(job)}")
        if session.take_sync_wish() and sync is not None:
            out(f"{'':>4} sync: {_synced(sync)}")
        if stop_on_error and step.view.level is Level.ERROR:
            break
    return steps


def _synced(sync: Callable[[], str]) -> str:
    """Sync inline; a failure (no hub, not enrolled) is reported, not a refused step."""
    try:
        return sync()
    except Exception as exc:  # whatever the network or the hub did: the replay goes on
        return f"failed: {exc}"


def _send(job: Job) -> str:
    """Run the job inline; one that fails is reported, not a refused step."""
    try:
        job.send()
    except DomainError as refusal:
        return f"{job.failure.lower()}: {refusal.message}"
    return "sent"


def refused(steps: list[ReplayStep]) -> list[ReplayStep]:
    """The steps that were refused."""
    return [s for s in steps if s.view.level is Level.ERROR]
