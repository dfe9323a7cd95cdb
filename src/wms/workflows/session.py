"""A terminal session: log-on, the menu, the running workflow, error acknowledgement, cancel
confirmation and the idle lock. The TUI and `wms replay` both drive one `Session`.

Error rule (hardware/TERMINAL.md): after a refusal the error stays on screen until the operator
acknowledges it with Enter, a function key or a scan. A scan that acknowledges is consumed only
as the acknowledgement and the screen says so ("… not used: scan it again"); nothing is queued
behind an error, so the operator always sees which scan did what.

Nothing is lost to one key: cancelling a workflow with unsaved work, logging off over it and
quitting the terminal all ask first (`#YES` / `#NO`), and when an idle lock is followed by
another operator, the screen says whose unsaved work was dropped.

Log-on checks what it is given like any step (wms.workflows.steps): a badge, or a typed ID and
then a PIN; a document or a product scanned there is refused, never taken as an ID.

A bug (any exception a workflow raises that is not a `DomainError` refusal) never stops the
terminal: the traceback is logged, the workflow is dropped (its state can no longer be trusted)
and an "Internal error" view waits for acknowledgement like any error, then the menu shows. It
says whether the input recorded an operation, so the operator knows whether to do it again.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Concatenate, ParamSpec, TypeVar

from wms.domain.errors import DomainError
from wms.domain.packing import Weighing
from wms.domain.scan import Scan, ScanKind, decode
from wms.domain.scan_schemes import Command
from wms.services.auth import logon_badge, logon_pin
from wms.services.context import Actor, Context
from wms.services.sync_status import SyncStatus, sync_status
from wms.store.commits import commits_so_far, watch_commits
from wms.workflows import hints
from wms.workflows.base import Hint, Level, StepView, Workflow, scanned_text
from wms.workflows.jobs import Job
from wms.workflows.menu import COMMON_KEYS, MenuEntry, default_menu
from wms.workflows.scale import ScaleState
from wms.workflows.steps import ANY_TEXT, NOTHING, Accepts, Takes, TextFormat, reads_as_label

log = logging.getLogger(__name__)
_P = ParamSpec("_P")
_V = TypeVar("_V", StepView, StepView | None)

_ID = TextFormat("an operator ID", lambda t: None if t.isalnum() and len(t) <= 20 else "Not an ID")
_LOGON = Accepts("Scan your badge, or type your ID", Takes.BADGE, text=_ID)
_PIN = Accepts("Type your PIN", text=ANY_TEXT)
_MENU = Accepts("Scan #MENUn or type a number", text=ANY_TEXT)


@dataclass(frozen=True)
class Question:
    """A yes/no question standing between a key and lost work: ``prompt`` asks it, ``yes``
    does what was asked for."""

    prompt: str
    yes: Callable[[], StepView]


def _survives_bugs(
    method: Callable[Concatenate[Session, _P], _V],
) -> Callable[Concatenate[Session, _P], _V]:
    """Turn an unexpected exception in ``method`` into the session's internal-error view."""

    @functools.wraps(method)
    def guarded(self: Session, /, *args: _P.args, **kwargs: _P.kwargs) -> _V:
        before = commits_so_far()
        try:
            return method(self, *args, **kwargs)
        except Exception as bug:  # a bug in a workflow: logged and shown, never fatal
            return self._internal_error(bug, recorded=commits_so_far() > before)

    return guarded


class Session:
    """One operator's session at the terminal, from log-on to log-off."""

    def __init__(
        self,
        ctx: Context,
        menu: list[MenuEntry] | None = None,
        logon_note: tuple[str, ...] = (),
        scale: ScaleState | None = None,
    ) -> None:
        self.ctx = ctx
        self.scale = scale or ScaleState()
        self.menu = menu or default_menu()
        self.logon_note = logon_note
        self.actor: Actor | None = None
        self.workflow: Workflow | None = None
        self.step = "logon"
        self.result = ""
        self.level = Level.INFO
        self.error: StepView | None = None
        self.question: Question | None = None
        self.quitting = False  # the operator confirmed quitting: the app exits
        self._id_typed: str | None = None
        self._locked: tuple[Actor, Workflow | None] | None = None
        self._jobs: list[Job] = []
        self._sync_wish = False
        watch_commits(ctx.engine)

    @property
    def screen(self) -> str:
        """Which screen shows this session: ``logon``, ``menu`` or the workflow's name."""
        if self.step in ("logon", "pin"):
            return "logon"
        return self.workflow.name if self.workflow else "menu"

    # -- views ------------------------------------------------------------------------------------

    @_survives_bugs
    def view(self) -> StepView:
        """What the screen shows now (the error, while one waits for acknowledgement)."""
        if self.error is not None:
            return self.error
        if self.question is not None:
            return self._asking(self.question)
        if self.workflow is not None:
            return self.workflow.view()
        if self.step in ("logon", "pin"):
            prompt = "Type your PIN" if self.step == "pin" else "Scan your badge, or type your ID"
            return StepView(
                "Log on", self.step, prompt, self.logon_note, "", self.result, self.level
            )
        names = [f"{e.number} {e.title}" for e in self.menu]
        half = (len(names) + 1) // 2  # two columns: the whole menu fits 40×16
        lines = tuple(
            f"{left:<15}{right}".rstrip()
            for left, right in zip(names[:half], [*names[half:], ""][:half], strict=True)
        )
        return StepView(
            "Menu", "menu", "Scan #MENUn or type a number", lines, "", self.result, self.level
        )

    def help(self) -> list[tuple[str, str]]:
        """The keys and command barcodes of the current screen."""
        own = self.workflow.commands if self.workflow else ()
        menu = [(f"{e.number} / #MENU{e.number}", e.title) for e in self.menu if e.barcode]
        extra = menu if self.screen == "menu" else []
        return [*COMMON_KEYS, *((c.barcode, why) for c, why in own), *extra]

    def _asking(self, question: Question) -> StepView:
        base = self.workflow.view() if self.workflow else self._menu_or_logon()
        lost = self.workflow.unsaved() if self.workflow else ""
        context = (f"Not saved: {lost}",) if lost else base.context
        return replace(base, prompt=question.prompt, context=context, result="", level=Level.INFO)

    def _menu_or_logon(self) -> StepView:
        saved, self.question = self.question, None
        try:
            return self.view()
        finally:
            self.question = saved

    def hints(self) -> list[Hint]:
        """Barcodes that make sense now, for the demo scanner panel."""
        if self.error is not None:
            return [Hint("acknowledge the error (any scan does)", hints.label("#YES"))]
        if self.question is not None:
            return [hints.command(Command.YES, "yes"), hints.command(Command.NO, "no")]
        if self.workflow is not None:
            return self.workflow.hints()
        if self.screen == "logon":
            return [
                Hint("badge OP0001 Alice", hints.label("OP0001")),
                Hint("badge OP0009 Sam (supervisor)", hints.label("OP0009")),
                Hint("unknown badge OP9999", hints.label("OP9999")),
            ]
        return [
            Hint(f"#MENU{e.number} {e.title}", hints.label(f"#MENU{e.number}"))
            for e in self.menu
            if e.barcode
        ]

    # -- inputs -----------------------------------------------------------------------------------

    @_survives_bugs
    def scan(self, scan: Scan) -> StepView:
        """Feed a scan from the scanner (or a typed line that decoded as one)."""
        if self.error is not None:
            return self._acknowledge(scanned_text(scan))
        if scan.kind is ScanKind.COMMAND and scan.command is not None:
            return self.command(scan.command)
        if self.question is not None:
            return self._unanswered()
        if self.workflow is not None and self.step == "work":
            return self._after(self.workflow.scan(scan))
        accepts = self._accepts()
        if accepts.takes(scan) and scan.code:  # a badge at log-on
            return self._guard(lambda: self._logged_on(logon_badge(self.ctx, scan.code or "")))
        if (
            accepts.text is not None
            and not reads_as_label(scan)
            and scan.kind is not ScanKind.INVALID
        ):
            return self.text(scanned_text(scan))
        return self._refuse(accepts.refusal(scan))

    def _accepts(self) -> Accepts:
        """What log-on, the PIN and the menu take (workflows declare their own)."""
        return {"logon": _LOGON, "pin": _PIN, "menu": _MENU}.get(self.step, NOTHING)

    @_survives_bugs
    def text(self, text: str) -> StepView:
        """Feed a typed line (Enter). An empty line only acknowledges an error."""
        if self.error is not None:
            return self._acknowledge(text)
        if not text:
            return self.view()
        typed = decode(text, aim_ids=False)  # a wedge scanner types: a badge or #CMD is a scan
        if typed.kind is ScanKind.COMMAND:
            return self.scan(typed)
        if self.question is not None:
            return self._unanswered()
        if self.workflow is not None:
            return self._after(self.workflow.text(text))
        if self.step != "pin" and reads_as_label(typed):
            return self.scan(typed)
        problem = self._accepts().text_problem(text)
        if problem:
            return self._refuse(problem)
        if self.step == "logon":
            self._id_typed, self.step, self.result = text, "pin", ""
            return self.view()
        if self.step == "pin":
            code, self._id_typed, self.step = self._id_typed or "", None, "logon"
            return self._guard(lambda: self._logged_on(logon_pin(self.ctx, code, text)))
        entry = next((e for e in self.menu if str(e.number) == text), None)
        return self.start(entry.number) if entry else self._refuse(f"No menu entry {text[:10]}")

    @_survives_bugs
    def command(self, command: Command) -> StepView:
        """Feed a function key or a command barcode."""
        if self.error is not None:
            return self._acknowledge("")
        if self.question is not None:
            question, self.question = self.question, None
            if command is Command.YES:
                return question.yes()
            self.result, self.level = "Carry on", Level.INFO
            if self.workflow is not None:
                self.workflow.note("Carry on")
            return self.view()
        if command is Command.LOGOFF:
            return self._ask_if_unsaved("Log off?", self.log_off)
        if self.step == "menu" and command.name.startswith("MENU"):
            return self.start(int(command.name[4:]))
        if self.workflow is None and command in (Command.BACK, Command.CANCEL):
            self.result, self.level = "Nothing to go back to", Level.INFO
            return self.view()
        if self.workflow is None:
            return self._refuse(f"{command.barcode} is not used here")
        if command is Command.CANCEL:
            return self._ask_if_unsaved("Cancel?", self._cancelled)
        return self._after(self.workflow.command(command))

    @_survives_bugs
    def request_quit(self) -> StepView:
        """Ctrl+Q: quit the terminal (the caller exits once `quitting` is set); asks first
        while an operator is logged on."""
        if self.actor is None and self.workflow is None:
            self.quitting = True
            return self.view()
        self.question = Question("Quit the terminal? #YES / #NO", self._quit)
        return self.view()

    def _quit(self) -> StepView:
        self.quitting = True
        return self.log_off()

    def _unanswered(self) -> StepView:
        """Anything but #YES or #NO while a question waits: refused, then asked again."""
        return self._after(replace(self.view(), result="Answer #YES or #NO", level=Level.ERROR))

    def _ask_if_unsaved(self, what: str, action: Callable[[], StepView]) -> StepView:
        """Do ``action`` at once when no work would be lost, else ask first."""
        if self.workflow is None or not self.workflow.dirty:
            return action()
        self.question = Question(f"{what} Work not saved is lost. #YES / #NO", action)
        return self.view()

    @_survives_bugs
    def report(self, message: str) -> StepView:
        """Show a problem from outside the workflow (the scanner sent bytes that made no scan);
        like any error it waits for acknowledgement."""
        if self.workflow is not None:
            return self._after(self.workflow.fail(message))
        return self._refuse(message)

    @_survives_bugs
    def weigh(self, reading: Weighing) -> StepView | None:
        """A new reading from the scale: taken by a step that weighs (the view it makes), else
        only kept (None: nothing to show). Never an acknowledgement, never an answer."""
        self.scale.update(reading)
        flow = self.workflow
        if self.error is not None or self.question is not None or flow is None:
            return None
        if not flow.weighs():
            return None
        view = flow.weighed(self.scale)
        return None if view is None else self._after(view)

    @_survives_bugs
    def scale_trouble(self, message: str) -> StepView | None:
        """The scale is lost or sent garbage: an error at a step that weighs (the operator is
        waiting for a weight), nothing elsewhere (the status bar says it)."""
        flow = self.workflow
        if self.error is not None or flow is None or not flow.weighs():
            return None
        return self.report(message)

    @_survives_bugs
    def refresh(self) -> StepView:
        """The current view after something changed in the background (a sync finished)."""
        return self._after(self.view())

    @_survives_bugs
    def start(self, number: int) -> StepView:
        """Start menu entry ``number``."""
        entry = next((e for e in self.menu if e.number == number), None)
        if entry is None or self.actor is None:
            return self._refuse(f"No menu entry {number}")
        self.workflow, self.step = entry.factory(self.ctx, self.actor), "work"
        return self._after(self.view())  # what starting it asked for (a sync) is collected

    @_survives_bugs
    def start_named(self, name: str) -> StepView:
        """Start the workflow called ``name`` (``receive``, ``pick`` …)."""
        for entry in self.menu:
            if entry.title.lower() == name.lower():
                return self.start(entry.number)
        return self._refuse(f"No workflow {name}")

    def lock(self) -> StepView:
        """Idle lock: back to log-on; the same operator logging on again resumes their work,
        another operator starts from the menu, told what of the first one's was dropped."""
        if self.actor is None:
            return self.view()
        self._locked = (self.actor, self.workflow)
        self.actor, self.workflow, self.step, self.error = None, None, "logon", None
        self.question = None
        self.result, self.level = "Locked after idle time: log on again", Level.INFO
        return self.view()

    def log_off(self) -> StepView:
        """End the session; the next operator logs on (what was not saved is said)."""
        lost = self.workflow.unsaved() if self.workflow else ""
        self.actor, self.workflow, self.step, self.error = None, None, "logon", None
        self.question = None
        self.result = f"Logged off; dropped: {lost}" if lost else "Logged off"
        self.level = Level.INFO
        return self.view()

    # -- helpers ----------------------------------------------------------------------------------

    def _logged_on(self, actor: Actor) -> StepView:
        self.actor, self.step = actor, "menu"
        self.result, self.level = f"Hello {actor.name}", Level.OK
        locked, self._locked = self._locked, None
        if locked and locked[0].operator_id == actor.operator_id and locked[1] is not None:
            self.workflow, self.step = locked[1], "work"
            self.workflow.note(f"Welcome back {actor.name}")
            self.workflow.level = Level.OK
        elif locked and locked[1] is not None and locked[1].unsaved():
            first = locked[0].name.split()[0]
            self.result = f"Hello {actor.name}; {first}'s {locked[1].unsaved()}: dropped"
        return self.view()

    def sync_status(self) -> SyncStatus:
        """Unsynced operations and the last sync, for the status bar."""
        return sync_status(self.ctx)

    def _guard(self, action: Callable[[], StepView]) -> StepView:
        try:
            return action()
        except DomainError as refusal:
            return self._refuse(refusal.message)

    def _refuse(self, message: str) -> StepView:
        self.result, self.level = message, Level.ERROR
        return self._after(self.view())

    def take_sync_wish(self) -> bool:
        """Whether the last input asked for a sync (the caller runs one in the background)."""
        wish, self._sync_wish = self._sync_wish, False
        return wish

    def take_jobs(self) -> list[Job]:
        """Labels the last input asked for; the caller prints them (off the UI thread)."""
        jobs, self._jobs = self._jobs, []
        return jobs

    def _after(self, view: StepView) -> StepView:
        flow = self.workflow
        if flow is not None and view.level is not Level.ERROR and flow.weighs():
            # At a weighing step with a parcel on the scale already: it is weighed now.
            weighed = flow.weighed(self.scale)
            view = weighed if weighed is not None else view
        if self.workflow is not None:  # collected now: a finished workflow is dropped below
            self._jobs += self.workflow.jobs
            self.workflow.jobs.clear()
            self._sync_wish |= self.workflow.wants_sync
            self.workflow.wants_sync = False
        if view.level is Level.ERROR:
            self.error = replace(view, prompt="Scan or Enter to acknowledge")
            return self.error
        if view.finished:
            self.workflow, self.step = None, "menu"
            self.result, self.level = view.result, view.level
            return replace(self.view(), level=view.level)
        return view

    def _internal_error(self, bug: Exception, *, recorded: bool) -> StepView:
        flow = self.workflow
        where = f"{flow.name} at step {flow.step}" if flow else f"session at step {self.step}"
        log.error("internal error in %s", where, exc_info=bug)  # not the input: it may be a PIN
        title = flow.title if flow else "Menu"
        self.workflow, self._id_typed = None, None
        self.step = "menu" if self.actor else "logon"
        what = "operation recorded: do not redo it" if recorded else "operation not recorded"
        message = f"Internal error — {what}, tell your supervisor ({type(bug).__name__})"
        self.error = StepView(
            title, "error", "Scan or Enter to acknowledge", (), "", message, Level.ERROR
        )
        return self.error

    def _acknowledge(self, unused: str) -> StepView:
        self.error = None
        self.level = Level.INFO
        if self.workflow is not None:
            self.workflow.level = Level.INFO
        note = f"{unused[:16]} not used: scan it again" if unused else "Acknowledged"
        if self.workflow is not None:
            self.workflow.result = note
        else:
            self.result = note
        return self.view()

    def _cancelled(self) -> StepView:
        self.workflow, self.step = None, "menu"
        self.result, self.level = "Cancelled", Level.INFO
        return self.view()
