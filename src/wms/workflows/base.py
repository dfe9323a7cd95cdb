"""The common shape of a floor workflow: a state machine fed with scans, typed text and commands,
answering each input with a `StepView` (what the screen shows next). No Textual here: the TUI
renders views, `wms replay` prints them, and unit tests assert on them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import ClassVar, TypeVar

from wms.domain.errors import DomainError
from wms.domain.scan import Scan, ScanKind, decode
from wms.domain.scan_schemes import Command
from wms.domain.scan_words import product_code
from wms.domain.symbology import split_aim_id
from wms.services.context import Actor, Context
from wms.services.views import product_info
from wms.workflows.jobs import Job
from wms.workflows.scale import ScaleState
from wms.workflows.steps import NOTHING, Accepts, Steps, reads_as_label

_T = TypeVar("_T")
_UNREAD = (ScanKind.UNKNOWN, ScanKind.INVALID, ScanKind.GS1)  # may be text, see `scan`


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
    scanner would send (AIM id and GS separators included). A hint for the demo's scale
    (``device`` "scale") puts ``text`` grams on its platter instead."""

    label: str
    text: str
    device: str = "scanner"


class Workflow(ABC):
    """One floor workflow. Subclasses declare what each step accepts (`steps`), implement
    `on_scan` (and `on_text`, `on_command` where a step takes them) and `prompt`, and keep their
    state in attributes; `DomainError`s raised by the services become error views with the
    error's message. Any other exception is a bug: it propagates to the `Session`, which logs it
    and drops the workflow (see wms.workflows.session).
    """

    name: ClassVar[str]
    title: ClassVar[str]
    commands: ClassVar[tuple[tuple[Command, str], ...]] = ()
    """The command barcodes this workflow understands beyond the common ones, for the help."""
    steps: ClassVar[Steps] = {}
    """What each step accepts (wms.workflows.steps); a step not listed takes nothing."""

    def __init__(self, ctx: Context, actor: Actor) -> None:
        self.ctx = ctx
        self.actor = actor
        self.step = "start"
        self.result = ""
        self.level = Level.INFO
        self.finished = False
        self.jobs: list[Job] = []
        # A sync would help now (a new pack station has no parcel numbers yet): the app starts
        # one in the background; the operator is not interrupted.
        self.wants_sync = False

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

    def accepts(self) -> Accepts:
        """What the current step takes; override where it depends on more than the step."""
        return self.steps.get(self.step, NOTHING)

    @abstractmethod
    def on_scan(self, scan: Scan) -> None:
        """Consume a scan the step accepts (never a command: those go to `on_command`)."""

    def on_text(self, text: str) -> None:
        """Consume a typed line that fits the step's text format."""
        raise DomainError(self.accepts().text_problem(text) or "Nothing to type here")

    def on_command(self, command: Command) -> None:
        """Consume a command barcode or function key. By default BACK leaves the workflow when
        nothing would be lost, and any other command is refused."""
        if command is Command.BACK and not self.dirty:
            self.finished = True
            return
        raise DomainError(f"{command.barcode} is not used here")

    @property
    def dirty(self) -> bool:
        """True when cancelling now would lose something the operator entered."""
        return False

    def unsaved(self) -> str:
        """What cancelling now would lose, in a few words ("" when nothing)."""
        return f"{self.title} entry at step {self.step}" if self.dirty else ""

    def hints(self) -> list[Hint]:
        """Barcodes that make sense now (the demo scanner panel lists them)."""
        return []

    def weighs(self) -> bool:
        """True at a step that takes a weight from the scale."""
        return False

    def weighed(self, scale: ScaleState) -> StepView | None:
        """The scale may have a new weight (see wms.workflows.scale): the view when the step
        took one, None when it took nothing (no screen change, no beep)."""
        return None

    def require_label_of(self, sku: str, scan: Scan) -> None:
        """Refuse a label scanned for a product's lot, serial or expiry when it names another
        product."""
        code = product_code(scan)
        if code is not None and product_info(self.ctx, code).sku != sku:
            raise DomainError(f"That label is not {sku}'s")

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
        """Feed one scan; commands are routed to `on_command`, anything the step does not
        accept is refused naming what it wants. A scan that reads as no label of ours (a lot
        printed as plain Code 128) is taken as its text where the step takes text."""
        if scan.kind is ScanKind.COMMAND and scan.command is not None:
            return self.command(scan.command)
        accepts = self.accepts()
        if accepts.takes(scan):
            return self._run(self.on_scan, scan)
        text = scanned_text(scan)
        if scan.kind in _UNREAD and not reads_as_label(scan) and accepts.text is not None:
            problem = accepts.text_problem(text)
            return self.fail(problem) if problem else self._run(self.on_text, text)
        if scan.kind in _UNREAD and not reads_as_label(scan) and scan.message:
            return self.fail(scan.message)
        return self.fail(accepts.refusal(scan))

    def text(self, text: str) -> StepView:
        """Feed a typed line (Enter pressed). A line that reads as one of our labels (a wedge
        scanner types, or the operator keys a label's text) is that scan, so a typed EAN never
        becomes a lot or a quantity; other text must fit the step's text format."""
        if not text:
            return self.fail("Nothing typed")
        typed = decode(text, aim_ids=False)
        if reads_as_label(typed):
            return self.scan(typed)
        problem = self.accepts().text_problem(text)
        return self.fail(problem) if problem else self._run(self.on_text, text)

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
