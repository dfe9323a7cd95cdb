"""The common shape of a floor workflow: a state machine fed with scans, typed text and commands,
answering each input with a `StepView` (what the screen shows next). No Textual here: the TUI
renders views, `wms replay` prints them, and unit tests assert on them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import ClassVar, TypeVar

from wms.domain.errors import DomainError, InvalidQuantity
from wms.domain.scan import Scan, ScanKind, decode
from wms.domain.scan_schemes import Command
from wms.domain.symbology import split_aim_id
from wms.services.context import Actor, Context
from wms.workflows.jobs import Job

_T = TypeVar("_T")
_NOT_A_SCAN = (ScanKind.UNKNOWN, ScanKind.INVALID)
MAX_QTY = 99_999  # more in one entry is a mistyped or misread number, not a quantity


class Level(Enum):
    """How an input went: INFO moved on a step, OK committed something, ERROR was refused."""

    INFO = "info"
    OK = "ok"
    ERROR = "error"


@dataclass(frozen=True)
class StepView:
    """Everything a screen shows for one step of a workflow."""

    workflow: str
    step: str
    prompt: str
    context: tuple[str, ...] = ()
    progress: str = ""
    result: str = ""
    level: Level = Level.INFO
    finished: bool = False


@dataclass(frozen=True)
class Hint:
    """A barcode that makes sense at this step, for the demo scanner panel: ``text`` is what a
    scanner would send (AIM id and GS separators included)."""

    label: str
    text: str


class Workflow(ABC):
    """One floor workflow. Subclasses implement `on_scan` (and `on_text`, `on_command` where the
    step takes them), `prompt`, and keep their state in attributes; `DomainError`s raised by the
    services become error views with the error's message. Any other exception is a bug: it
    propagates to the `Session`, which logs it and drops the workflow (see wms.workflows.session).
    """

    name: ClassVar[str]
    title: ClassVar[str]
    commands: ClassVar[tuple[tuple[Command, str], ...]] = ()
    """The command barcodes this workflow understands beyond the common ones, for the help."""

    def __init__(self, ctx: Context, actor: Actor) -> None:
        self.ctx = ctx
        self.actor = actor
        self.step = "start"
        self.result = ""
        self.level = Level.INFO
        self.finished = False
        self.jobs: list[Job] = []

    # -- what subclasses provide ----------------------------------------------------------------

    @abstractmethod
    def prompt(self) -> str:
        """The instruction for the current step, e.g. "Scan bin A-01-03-B-2"."""

    def context(self) -> tuple[str, ...]:
        """Lines naming what the operator is working on (document, bin, product, lot)."""
        return ()

    def progress(self) -> str:
        """How far along the workflow is, e.g. "3/12"; empty when it has no count."""
        return ""

    @abstractmethod
    def on_scan(self, scan: Scan) -> None:
        """Consume a scan (never a command: those go to `on_command`)."""

    def on_text(self, text: str) -> None:
        """Consume typed text; by default it is read as if it had been scanned."""
        self.on_scan(decode(text, aim_ids=False))

    def on_command(self, command: Command) -> None:
        """Consume a command barcode or function key. By default BACK leaves the workflow when
        nothing would be lost, and any other command is refused."""
        if command is Command.BACK and not self.dirty:
            self.finished = True
            return
        raise DomainError(f"{command.barcode} is not used here")

    def wants_text(self) -> bool:
        """True when the current step takes free text (a lot, a reason): an unknown scan is then
        taken as that text instead of being refused."""
        return False

    @property
    def dirty(self) -> bool:
        """True when cancelling now would lose something the operator entered."""
        return False

    def hints(self) -> list[Hint]:
        """Barcodes that make sense now (the demo scanner panel lists them)."""
        return []

    # -- the driver -------------------------------------------------------------------------------

    def view(self) -> StepView:
        """The current step as a screen shows it."""
        return StepView(
            self.title,
            self.step,
            self.prompt(),
            self.context(),
            self.progress(),
            self.result,
            self.level,
            self.finished,
        )

    def scan(self, scan: Scan) -> StepView:
        """Feed one scan; commands are routed to `on_command`."""
        if scan.kind is ScanKind.COMMAND and scan.command is not None:
            return self.command(scan.command)
        if scan.kind in (ScanKind.UNKNOWN, ScanKind.INVALID) and self.wants_text():
            return self._run(self.on_text, scanned_text(scan))
        if scan.kind in (ScanKind.UNKNOWN, ScanKind.INVALID):
            return self.fail(scan.message or "Unreadable scan")
        return self._run(self.on_scan, scan)

    def text(self, text: str) -> StepView:
        """Feed a typed line (Enter pressed). Unless the step wants free text, a line that reads
        as a barcode (a wedge scanner types, or the operator keys a label's text) is a scan:
        a typed EAN must never become a quantity."""
        if not text:
            return self.fail("Nothing typed")
        if not self.wants_text():
            typed = decode(text, aim_ids=False)
            if typed.kind not in _NOT_A_SCAN and (typed.kind is not ScanKind.GS1 or typed.gtin):
                return self.scan(typed)
        return self._run(self.on_text, text)

    def command(self, command: Command) -> StepView:
        """Feed a command (a command barcode or a function key)."""
        return self._run(self.on_command, command)

    def _run(self, handler: Callable[[_T], None], arg: _T) -> StepView:
        self.level = Level.INFO
        try:
            handler(arg)
        except DomainError as refusal:
            return self.fail(refusal.message)
        return self.view()

    def ok(self, result: str) -> None:
        """Record a committed operation's result (the screen beeps short and flashes green)."""
        self.result, self.level = result, Level.OK

    def note(self, result: str) -> None:
        """Record a result that committed nothing (no beep)."""
        self.result, self.level = result, Level.INFO

    def fail(self, message: str) -> StepView:
        """Record a refusal and return the error view."""
        self.result, self.level = message, Level.ERROR
        return self.view()


def scanned_text(scan: Scan) -> str:
    """The text of a scan as printed on the label: the AIM id taken off, nothing else."""
    return split_aim_id(scan.raw)[1]


def parse_qty(text: str) -> int:
    """A typed quantity: a positive whole number."""
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_QTY:
        raise InvalidQuantity(f"Not a quantity: {text[:20]}")
    return int(text)


def parse_expiry(text: str) -> date:
    """A typed expiry date, as YYMMDD (the GS1 form) or YYYY-MM-DD."""
    for fmt in ("%y%m%d", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidQuantity(f"Not a date: {text[:20]} (YYMMDD)")
