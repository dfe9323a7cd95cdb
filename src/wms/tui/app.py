"""The terminal app: composes the screens, the status bar, the feedback port and the scanner.

All floor logic lives in `wms.workflows.session.Session`; the app turns scanner events, typed
lines and function keys into session inputs and renders the view each one returns.
"""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import ClassVar, Protocol

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from wms.domain.errors import DomainError
from wms.domain.scan_schemes import Command
from wms.scanner import (
    ScannerConnected,
    ScannerDisconnected,
    ScannerError,
    ScannerProfile,
    ScannerReader,
    ScannerReconnecting,
    ScanReceived,
)
from wms.services.context import Context
from wms.tui.feedback import BellFeedback, Feedback
from wms.tui.messages import ScannerMessage, ScreenShown, TextEntered
from wms.tui.screens.base import TerminalScreen
from wms.tui.screens.demo import DemoScannerScreen
from wms.tui.screens.help import HelpScreen
from wms.tui.screens.registry import SCREENS_BY_NAME
from wms.tui.widgets.status import StatusInfo
from wms.workflows.base import Level, StepView
from wms.workflows.info import MessagesWorkflow, SettingsWorkflow, SyncRunner, SyncWorkflow
from wms.workflows.menu import WorkflowFactory, default_menu
from wms.workflows.printing import LabelPort, PrintJob
from wms.workflows.session import Session


class DemoScanner(Protocol):
    """Something that sends a scan through the serial path (the demo's `PtyScanner`)."""

    def type(self, text: str) -> None:
        """Send one scan."""


class WmsApp(App[None]):
    """The floor terminal."""

    CSS_PATH = Path(__file__).with_name("wms.tcss")  # absolute: subclasses may live anywhere
    TITLE = "wms"
    ENABLE_COMMAND_PALETTE = False
    # Below 21 rows (a 40×16 handheld) the panel drops its blank lines (see wms.tcss).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (21, "-tall")]  # noqa: RUF012 - Textual's declaration
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", priority=True),
        Binding("f2", "demo", "Demo scanner", priority=True),
        Binding("f3", "command('BACK')", "Back", priority=True),
        Binding("f4", "command('DONE')", "Done", priority=True),
        Binding("escape", "command('CANCEL')", "Cancel", priority=True),
    ]

    def __init__(
        self,
        ctx: Context,
        profile: ScannerProfile | None,
        feedback: Feedback | None = None,
        *,
        sync_runner: SyncRunner | None = None,
        labels: LabelPort | None = None,
        demo: DemoScanner | None = None,
        idle_lock_seconds: float = 300.0,
        sync_interval_seconds: float = 0.0,
        flash_seconds: float = 0.4,
        logon_note: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.profile = profile
        self.feedback: Feedback = feedback or BellFeedback(self.bell)
        self.demo = demo
        self.idle_lock_seconds = idle_lock_seconds
        self.sync_runner = sync_runner
        self.sync_interval_seconds = sync_interval_seconds
        self.last_background_sync = ""
        self.flash_seconds = flash_seconds
        settings = (
            f"Scanner: {profile.name} on {profile.port}" if profile else "Scanner: keyboard only",
            f"Idle lock: {idle_lock_seconds:.0f} s",
            "Labels: " + ("default printer" if labels else "no printer"),
        )
        extra: list[tuple[str, WorkflowFactory]] = [
            ("Messages", MessagesWorkflow),
            ("Sync", partial(SyncWorkflow, runner=sync_runner)),
            ("Settings", partial(SettingsWorkflow, lines=settings)),
        ]
        self.session = Session(ctx, default_menu(extra, labels), logon_note)
        self.scanner_state = "none" if profile is None else "starting"
        self._view = self.session.view()
        self._reader: ScannerReader | None = None
        self._last_input = time.monotonic()

    # -- lifecycle --------------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Install the screens, show log-on, start the scanner reader and the idle check."""
        for name, screen in SCREENS_BY_NAME.items():
            demo = self.demo is not None
            self.install_screen(screen(demo=demo, flash_seconds=self.flash_seconds), name)
        self.push_screen("logon")
        if self.profile is not None:
            # Started here, not before run(): post_message needs the app's loop to be running.
            self._reader = ScannerReader(
                self.profile, lambda e: self.post_message(ScannerMessage(e))
            )
            self._reader.start()
        self.set_interval(min(self.idle_lock_seconds, 5.0), self._idle_check)
        if self.sync_runner is not None and self.sync_interval_seconds > 0:
            self.set_interval(self.sync_interval_seconds, self.background_sync)

    def on_unmount(self) -> None:
        """Stop the reader thread."""
        if self._reader is not None:
            self._reader.stop()

    # -- inputs -----------------------------------------------------------------------------------

    def on_scanner_message(self, message: ScannerMessage) -> None:
        """A scan goes to the session; connection changes update the status bar."""
        match message.event:
            case ScanReceived(scan, _) if scan.command is Command.HELP:
                self.action_help()
            case ScanReceived(scan, _):
                self._close_modals()
                self.deliver(self.session.scan(scan))
            case ScannerError(text, raw_hex):
                self.deliver(self.session.report(f"Scanner: {text} ({raw_hex[:12]})"))
            case ScannerConnected():
                self._set_scanner("ok")
            case ScannerDisconnected():
                self._set_scanner("LOST")
            case ScannerReconnecting(_, attempt):
                self._set_scanner(f"lost, retry {attempt}")

    def on_text_entered(self, message: TextEntered) -> None:
        """A typed line (or Enter alone)."""
        self.deliver(self.session.text(message.text))

    def action_command(self, name: str) -> None:
        """F3, F4, Esc: the same as their command barcodes; over help or the demo panel they
        only close it."""
        if isinstance(self.screen, ModalScreen):
            self._close_modals()
            return
        self.deliver(self.session.command(Command[name]))

    def action_help(self) -> None:
        """F1: the keys and command barcodes of this screen."""
        self._close_modals()
        self.push_screen(HelpScreen(self._view.workflow, self.session.help()))

    def action_demo(self) -> None:
        """F2 (demo only): choose a barcode for the simulated scanner to send."""
        if self.demo is None:
            return
        if isinstance(self.screen, DemoScannerScreen):
            self.pop_screen()
            return
        self._close_modals()
        self.push_screen(DemoScannerScreen(self.session.hints()), self._demo_chosen)

    def _demo_chosen(self, text: str | None) -> None:
        if text is not None and self.demo is not None:
            self.demo.type(text)

    # -- output -----------------------------------------------------------------------------------

    def deliver(self, view: StepView, *, by_operator: bool = True) -> None:
        """Sound the outcome, switch to the session's screen and render ``view``; only what the
        operator did (not a background result) postpones the idle lock."""
        if by_operator:
            self._last_input = time.monotonic()
        self._view = view
        if view.level is Level.OK:
            self.feedback.success()
        elif view.level is Level.ERROR:
            self.feedback.error()
        wanted = self.session.screen
        current = self.screen
        if isinstance(current, TerminalScreen) and current.workflow != wanted:
            self.switch_screen(wanted)  # the new screen renders on ScreenShown
        else:
            self._render()
        self._maybe_sync()
        for job in self.session.take_print_jobs():
            self._print_label(job)

    def on_screen_shown(self, message: ScreenShown) -> None:
        """A screen came up: render the current view on it."""
        message.stop()
        self._render()

    def status(self) -> StatusInfo:
        """The status bar's content."""
        sync = self.session.sync_status()
        actor = self.session.actor
        return StatusInfo(
            actor.name if actor else "Not logged on",
            f"{self._view.workflow} · {self._view.step}",
            self.scanner_state,
            sync.unsynced,
            f"{sync.last_sync:%H:%M}" if sync.last_sync else "never",
        )

    def _render(self) -> None:
        screen = self.screen
        if isinstance(screen, TerminalScreen) and screen.is_mounted:
            screen.show(self._view, self.status())

    def _set_scanner(self, state: str) -> None:
        self.scanner_state = state
        self._render()

    def _close_modals(self) -> None:
        while isinstance(self.screen, ModalScreen):
            self.pop_screen()

    def _idle_check(self) -> None:
        idle = time.monotonic() - self._last_input
        if self.session.actor is not None and idle >= self.idle_lock_seconds:
            self._close_modals()
            self.deliver(self.session.lock(), by_operator=False)

    # -- label printing in the background ---------------------------------------------------------

    @work(thread=True, exit_on_error=False, group="labels")
    def _print_label(self, job: PrintJob) -> None:
        try:
            job.send()
        except DomainError as refusal:  # LabelError, PrinterOffline (the job stays spooled)
            message = f"Label not printed: {refusal.message}"
            report = self.session.report
            self.call_from_thread(lambda: self.deliver(report(message), by_operator=False))

    # -- sync in the background -------------------------------------------------------------------

    def background_sync(self) -> None:
        """Sync now unless a sync is already running; the operator is never interrupted: the
        status bar shows the new last-sync time, a failure only waits for the next turn."""
        busy = any(w.group == "sync" and w.is_running for w in self.workers)
        if self.sync_runner is not None and not busy:
            self._run_background_sync(self.sync_runner)

    @work(thread=True, exit_on_error=False, group="sync")
    def _run_background_sync(self, runner: SyncRunner) -> None:
        try:
            self.last_background_sync = runner()
        except Exception as exc:  # hub unreachable, not enrolled...: try again next interval
            self.last_background_sync = f"Sync failed: {exc}"
        self.call_from_thread(self._render)

    def _maybe_sync(self) -> None:
        flow = self.session.workflow
        if isinstance(flow, SyncWorkflow) and flow.take_request():
            self._run_sync(flow)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync")
    def _run_sync(self, flow: SyncWorkflow) -> None:
        try:
            outcome, failed = flow.run(), False
        except Exception as exc:  # any failure of the network or the hub is shown, not raised
            outcome, failed = str(exc) or type(exc).__name__, True
        self.call_from_thread(self._sync_done, flow, outcome, failed)

    def _sync_done(self, flow: SyncWorkflow, outcome: str, failed: bool) -> None:
        flow.finish(outcome, failed=failed)
        if self.session.workflow is flow:
            self.deliver(self.session.refresh(), by_operator=False)
