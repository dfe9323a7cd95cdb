"""The terminal app: composes the screens, the status bar, the feedback port and the scanner.

All floor logic lives in `wms.workflows.session.Session`; the app turns scanner events, typed
lines and function keys into session inputs and renders the view each one returns.

Every input goes through one queue (`wms.tui.inputs`) and is handled to the end before the
next; typed characters go into the app's one keyboard line (`wms.tui.keyboard`), whatever
screen shows it. Only the app pushes and pops screens: the workflow screens are switched at the
bottom of the stack, and Help and the demo panel, the only screens pushed over them, never close
themselves; so no burst of keys and scans can pop a screen twice and leave the stack empty.

Start-up: given an opener instead of an open `Context`, the app paints the log-on screen first,
then opens the store and loads the services and workflows on a worker thread. Scans, keys and
typed lines that arrive meanwhile wait, in order, and run once the session exists; a store that
cannot be opened is shown on the log-on screen.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
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
    ScannerReconnecting,
    ScanReceived,
)
from wms.scanner.reader import ScannerReader
from wms.tui.backend import Backend, DemoScale, DemoScanner, StoreFailed, StoreOpened
from wms.tui.feedback import BellFeedback, Feedback
from wms.tui.inputs import InputQueue
from wms.tui.keyboard import KeyboardLine
from wms.tui.messages import DemoChosen, ScaleMessage, ScannerMessage, ScreenShown
from wms.tui.screens.base import TerminalScreen
from wms.tui.screens.demo import DemoScannerScreen
from wms.tui.screens.help import SCROLL_KEYS, HelpScreen
from wms.tui.screens.logon import LogonScreen
from wms.tui.screens.pack import PackScreen
from wms.tui.screens.registry import SCREENS_BY_NAME
from wms.tui.screens.sync import SyncScreen
from wms.tui.widgets.status import StatusInfo

if TYPE_CHECKING:  # at run time these load with the store, off the UI thread (see _open_store)
    from wms.domain.packing import Weighing
    from wms.domain.scan import Scan
    from wms.labels.labeller import Labeller
    from wms.scanner.scale import ScaleProfile, ScaleReader
    from wms.services.context import Context
    from wms.workflows.base import Hint, StepView
    from wms.workflows.info import SyncProgress, SyncRunner, SyncWorkflow
    from wms.workflows.jobs import Job
    from wms.workflows.printing import LabelPort
    from wms.workflows.session import Session
    from wms.workflows.settings import SettingsFiles

OPENING = "opening store…"
NOT_OPEN = "store not open"


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
        store: Context | Callable[[], Backend],
        profile: ScannerProfile | None,
        feedback: Feedback | None = None,
        *,
        sync_runner: SyncRunner | None = None,
        labels: LabelPort | None = None,
        labeller: Labeller | None = None,
        settings_files: SettingsFiles | None = None,
        demo: DemoScanner | None = None,
        scale: ScaleProfile | None = None,
        demo_scale: DemoScale | None = None,
        idle_lock_seconds: float = 300.0,
        sync_interval_seconds: float = 0.0,
        flash_seconds: float = 0.4,
        logon_note: tuple[str, ...] = (),
    ) -> None:
        """``store`` is an open `Context`, with ``labels`` and ``sync_runner`` beside it, or a
        function that opens the store and returns its `Backend` (labels and sync included): the
        app calls it on a worker thread once the log-on screen is up. ``scale``: the pack
        station's scale (None: weights are typed); ``demo_scale`` puts parcels on it."""
        super().__init__()
        self.profile = profile
        self.scale_profile = scale
        self.feedback: Feedback = feedback or BellFeedback(self.bell)
        self.demo = demo
        self.demo_scale = demo_scale
        self.idle_lock_seconds = idle_lock_seconds
        self.sync_interval_seconds = sync_interval_seconds
        self.last_background_sync = ""
        self.flash_seconds = flash_seconds
        self.logon_note = logon_note
        self.scanner_state = "none" if profile is None else "starting"
        self.backend: Backend | None = None
        self.session: Session | None = None
        self._view: StepView | None = None
        self._inputs = InputQueue()
        self._line = KeyboardLine()
        self._mask_ahead = False  # an ID was typed at log-on: the line after it is the PIN
        self._store_problem = ""
        self._opener: Callable[[], Backend] | None = None
        self._started = False
        self._reader: ScannerReader | None = None
        self._scale_reader: ScaleReader | None = None
        self._last_input = time.monotonic()
        if callable(store):
            if (labels, sync_runner, labeller, settings_files) != (None, None, None, None):
                raise TypeError("with an opener, labels, sync and settings come in its Backend")
            self._opener = store
        else:
            backend = Backend(store, labels, sync_runner, labeller, settings_files)
            self._opened(backend, self._new_session(backend))
            self._inputs.open()

    def _new_session(self, backend: Backend) -> Session:
        # Imported here: the workflows bring the services and SQLAlchemy, which an opener loads
        # on its worker thread instead of before the first screen.
        from wms.workflows.info import MessagesWorkflow, SyncWorkflow
        from wms.workflows.menu import WorkflowFactory, default_menu
        from wms.workflows.scale import ScaleState
        from wms.workflows.session import Session
        from wms.workflows.settings import SettingsWorkflow, TerminalSetup

        scale = ScaleState(state="none" if self.scale_profile is None else "starting")
        setup = TerminalSetup(
            scanner=lambda: self.profile,
            idle_lock_seconds=self.idle_lock_seconds,
            files=backend.settings_files,
            switch_scanner=self.switch_scanner,
            labeller=backend.labeller,
        )
        extra: list[tuple[str, WorkflowFactory]] = [
            ("Messages", MessagesWorkflow),
            ("Sync", partial(SyncWorkflow, runner=backend.sync_runner)),
            ("Settings", partial(SettingsWorkflow, setup=setup)),
        ]
        menu = default_menu(extra, backend.labels, backend.claims, booking=backend.booking)
        return Session(backend.ctx, menu, self.logon_note, scale)

    def _opened(self, backend: Backend, session: Session) -> None:
        self.backend, self.session = backend, session
        self._view = session.view()

    @property
    def _live(self) -> Session:
        assert self.session is not None, "inputs run only once the session exists"
        return self.session

    @property
    def sync_runner(self) -> SyncRunner | None:
        """The hub sync, once the store is open (None: this terminal does not sync)."""
        return self.backend.sync_runner if self.backend else None

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
        if self.scale_profile is not None:
            from wms.scanner.scale import ScaleReader

            self._scale_reader = ScaleReader(
                self.scale_profile, lambda e: self.post_message(ScaleMessage(e))
            )
            self._scale_reader.start()
        self.set_interval(min(self.idle_lock_seconds, 5.0), self._idle_check)
        if self.sync_interval_seconds > 0:
            self.set_interval(self.sync_interval_seconds, self.background_sync)

    def switch_scanner(self, profile: ScannerProfile) -> None:
        """Settings chose another scanner: stop the reader (it lets go of the port within its
        read timeout) and start one on the new profile."""
        if self._reader is not None:
            self._reader.stop()
        self.profile = profile
        self._reader = ScannerReader(profile, lambda e: self.post_message(ScannerMessage(e)))
        self._reader.start()
        self._set_scanner("starting")

    def on_unmount(self) -> None:
        """Stop the reader threads."""
        if self._reader is not None:
            self._reader.stop()
        if self._scale_reader is not None:
            self._scale_reader.stop()

    # -- opening the store ------------------------------------------------------------------------

    @work(thread=True, exit_on_error=False, group="store")
    def _open_store(self, opener: Callable[[], Backend]) -> None:
        """Open the store and build the session, importing the store stack on this thread."""
        try:
            backend = opener()
            session = self._new_session(backend)
        except Exception as exc:  # no store, no terminal: the log-on screen says why
            self.post_message(StoreFailed(str(exc) or type(exc).__name__))
            return
        self.post_message(StoreOpened(backend, session))

    def on_store_opened(self, message: StoreOpened) -> None:
        """Show the session's log-on, then run the inputs that waited."""
        self._opened(message.backend, message.session)
        self._render()
        self._start_up_done()
        self._inputs.open()

    def on_store_failed(self, message: StoreFailed) -> None:
        """Say why on the log-on screen; inputs are dropped, none can work without a store."""
        self._store_problem = message.reason
        self._inputs.close()
        self.feedback.error()
        self._render()

    def _start_up_done(self) -> None:
        # What start-up built (modules, styles, screens, the session) lasts as long as the app:
        # frozen out of the collector's sight, a full collection no longer stalls a scan for
        # tens of milliseconds.
        self._started = True
        gc.freeze()

    # -- inputs -----------------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Keys that type go into the keyboard line here, before any widget sees them."""
        if isinstance(event, events.Key) and not event.is_forwarded and self._keyboard(event):
            return
        if isinstance(event, events.Paste) and not event.is_forwarded:
            for character in event.text:  # as if typed, a line break as Enter
                enter = character in "\r\n"
                self._keyboard(events.Key("enter" if enter else character, character))
            return
        await super().on_event(event)

    def _keyboard(self, event: events.Key) -> bool:
        """Apply a key to the keyboard line; False leaves it to Textual (function keys go to
        the bindings, arrows scroll the help, the demo list or the step panel)."""
        key, character = event.key, event.character
        if isinstance(self.screen, HelpScreen) and key not in SCROLL_KEYS:
            self._close_modals()  # any other key closes help; a typed one also types
            if not KeyboardLine.types(key, character) or key == "enter":
                return True
        if key in ("up", "down") and isinstance(self.screen, DemoScannerScreen):
            self.screen.move(1 if key == "down" else -1)  # in order, even before it is up
            return True
        if not KeyboardLine.types(key, character):
            return False
        if key != "enter" and isinstance(self.screen, DemoScannerScreen):
            self._close_modals()  # typing: the operator wants the line, not the panel
        line = self._line.press(key, character)
        if line is None:
            self._show_line()
        elif line:
            self._typed_line(line)
        else:  # Enter alone: choose on the demo panel, else acknowledge
            self._inputs.put(self._enter)
        return True

    def _typed_line(self, line: str) -> None:
        if self._at_logon() and not self._mask_ahead:
            # Log-on asks for an ID, then a PIN: typed ahead of the session, the line after
            # the ID is masked before the session can say it is a PIN.
            self._mask_ahead = True
        else:
            self._mask_ahead = False
        self._show_line()
        self._inputs.put(partial(self._typed, line))

    def _at_logon(self) -> bool:
        return self.session is None or self.session.step == "logon"

    def _show_line(self) -> None:
        if not self.screen_stack:
            return
        screen = self.screen
        if isinstance(screen, TerminalScreen) and screen.is_mounted:
            pin = self._view is not None and self._view.step == "pin"
            screen.show_line(self._line.text, masked=pin or self._mask_ahead)

    def on_scanner_message(self, message: ScannerMessage) -> None:
        """A scan goes to the session; connection changes update the status bar."""
        match message.event:
            case ScanReceived(scan, _) if scan.command is Command.HELP:
                self.action_help()
            case ScanReceived(scan, _):
                self._inputs.put(partial(self._scanned, scan))
            case ScannerError(text, raw_hex):
                self._inputs.put(partial(self._report, f"Scanner: {text} ({raw_hex[:12]})"))
            case ScannerConnected():
                self._set_scanner("ok")
            case ScannerDisconnected():
                self._set_scanner("LOST")
            case ScannerReconnecting(_, attempt):
                self._set_scanner(f"lost, retry {attempt}")

    def on_scale_message(self, message: ScaleMessage) -> None:
        """A reading or a problem goes to the session, in order with every other input; the
        scale's connection shows on the pack screen."""
        from wms.scanner.scale import (
            ScaleConnected,
            ScaleDisconnected,
            ScaleProblem,
            ScaleReconnecting,
            ScaleWeight,
        )

        match message.event:
            case ScaleWeight(weighing):
                self._inputs.put(partial(self._weighed, weighing))
            case ScaleProblem(text, _):
                self._inputs.put(partial(self._scale_trouble, f"Scale: {text}", None))
            case ScaleConnected():
                self._inputs.put(partial(self._scale_trouble, "", "ok"))
            case ScaleDisconnected():
                lost = "Scale disconnected: plug it back in, or type the weight"
                self._inputs.put(partial(self._scale_trouble, lost, "LOST"))
            case ScaleReconnecting(_, attempt):
                self._inputs.put(partial(self._scale_trouble, "", f"lost, retry {attempt}"))

    def _weighed(self, weighing: Weighing) -> None:
        view = self._live.weigh(weighing)
        if view is not None:
            self.deliver(view, by_operator=False)
        else:
            self._show_scale()

    def _scale_trouble(self, problem: str, state: str | None) -> None:
        scale = self._live.scale
        if state == "ok":
            scale.state = "ok"
        elif state is not None:
            scale.lost(state)
        view = self._live.scale_trouble(problem) if problem else None
        if view is not None:
            self.deliver(view, by_operator=False)
        else:
            self._show_scale()

    def _show_scale(self) -> None:
        if self.screen_stack and isinstance(self.screen, PackScreen) and self.screen.is_mounted:
            self.screen.show_scale()

    def _scanned(self, scan: Scan) -> None:
        self._close_modals()
        self.deliver(self._live.scan(scan))

    def _report(self, problem: str) -> None:
        self.deliver(self._live.report(problem))

    def _typed(self, text: str) -> None:
        self._close_modals()
        self.deliver(self._live.text(text))

    def _enter(self) -> None:
        screen = self.screen
        if isinstance(screen, DemoScannerScreen):
            self._demo_chosen(screen.highlighted())
        elif isinstance(screen, ModalScreen):
            self._close_modals()
        else:
            self.deliver(self._live.text(""))

    def action_command(self, name: str) -> None:
        """F3, F4, Esc: the same as their command barcodes; over help or the demo panel they
        only close it."""
        self._inputs.put(partial(self._command, Command[name]))

    def _command(self, command: Command) -> None:
        if isinstance(self.screen, ModalScreen):
            self._close_modals()
            return
        self.deliver(self._live.command(command))

    async def action_quit(self) -> None:
        """Ctrl+Q: quit once the session agrees (it asks first while someone is logged on);
        with no session there is nothing to ask about."""
        if self.session is None:
            self.exit()
            return
        self._inputs.put(self._quit)

    def _quit(self) -> None:
        self._close_modals()
        self.deliver(self._live.request_quit())

    def action_help(self) -> None:
        """F1: the keys and command barcodes of this screen."""
        self._inputs.put(self._help)

    def _help(self) -> None:
        assert self._view is not None  # set with the session
        self._open_modal(HelpScreen(self._view.workflow, self._live.help()))

    def action_demo(self) -> None:
        """F2 (demo only): choose a barcode for the simulated scanner to send."""
        if self.demo is not None:
            self._inputs.put(self._demo_panel)

    def _demo_panel(self) -> None:
        if isinstance(self.screen, DemoScannerScreen):
            self._close_modals()
            return
        self._open_modal(DemoScannerScreen(self._live.hints()))

    def on_demo_chosen(self, message: DemoChosen) -> None:
        """A hint clicked on the demo panel: sent like one chosen with Enter."""
        self._inputs.put(partial(self._demo_chosen, message.hint))

    def _demo_chosen(self, hint: Hint | None) -> None:
        self._close_modals()
        if hint is None:
            return
        if hint.device == "scale":
            if self.demo_scale is not None:
                self.demo_scale.place(int(hint.text))
        elif self.demo is not None:
            self.demo.type(hint.text)

    # -- output -----------------------------------------------------------------------------------

    def deliver(self, view: StepView, *, by_operator: bool = True) -> None:
        """Sound the outcome, switch to the session's screen and render ``view``; only what the
        operator did (not a background result) postpones the idle lock."""
        from wms.workflows.base import Level  # loaded with the session, so already there

        session = self._live
        if by_operator:
            self._last_input = time.monotonic()
        self._view = view
        if view.level is Level.OK:
            self.feedback.success()
        elif view.level is Level.ERROR:
            self.feedback.error()
        self._show(session.screen)
        self._maybe_sync()
        if session.take_sync_wish():
            self.background_sync()
        for job in session.take_jobs():
            self._run_job(job)
        if session.quitting:
            self.exit()

    def on_screen_shown(self, message: ScreenShown) -> None:
        """A screen came up: render the current view on it; the first one, once painted,
        starts opening the store."""
        message.stop()
        self._render()
        if self._opener is not None:
            opener, self._opener = self._opener, None
            self.call_after_refresh(self._open_store, opener)
        elif self.session is not None and not self._started:
            self._start_up_done()

    def status(self) -> StatusInfo:
        """The status bar's content."""
        if self.session is None or self._view is None:
            store = NOT_OPEN if self._store_problem else OPENING
            return StatusInfo("Not logged on", "Log on", self.scanner_state, 0, "", store=store)
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
        if not self.screen_stack:  # the app is closing: a screen's last message comes late
            return
        screen = self.screen
        if not (isinstance(screen, TerminalScreen) and screen.is_mounted):
            return
        if self._view is not None:
            if self._view.step not in ("logon", "pin"):
                self._mask_ahead = False
            screen.show(self._view, self.status())
        elif isinstance(screen, LogonScreen):  # no session yet, so no other screen either
            screen.show_waiting(self.logon_note, self._store_problem, self.status())
        self._show_line()

    def _set_scanner(self, state: str) -> None:
        self.scanner_state = state
        self._render()

    # -- the screen stack: only these push and pop ----------------------------------------------

    def _show(self, wanted: str) -> None:
        """Bring the workflow screen ``wanted`` up (it renders on ScreenShown), or render the
        current one; a help or demo panel over another workflow's screen is closed first."""
        base = self.screen_stack[-1]
        for screen in reversed(self.screen_stack):
            if not isinstance(screen, ModalScreen):
                base = screen
                break
        if isinstance(base, TerminalScreen) and base.workflow != wanted:
            self._close_modals()
            self.switch_screen(wanted)
        else:
            self._render()

    def _open_modal(self, modal: ModalScreen[None]) -> None:
        self._close_modals()
        self.push_screen(modal)

    def _close_modals(self) -> None:
        # Only the screens pushed over the workflow screen: the stack is never emptied.
        while isinstance(self.screen, ModalScreen):
            self.pop_screen()

    def _idle_check(self) -> None:
        idle = time.monotonic() - self._last_input
        if self.session and self.session.actor and idle >= self.idle_lock_seconds:
            self._close_modals()
            self.deliver(self.session.lock(), by_operator=False)

    # -- workflow jobs (labels, task leases) in the background -------------------------------------

    @work(thread=True, exit_on_error=False, group="jobs")
    def _run_job(self, job: Job) -> None:
        try:
            job.send()
        except DomainError as refusal:  # e.g. PrinterOffline (the job stays spooled)
            message = f"{job.failure}: {refusal.message}"
            report = self._live.report
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
            self.last_background_sync = runner(None)
        except Exception as exc:  # hub unreachable, not enrolled...: try again next interval
            self.last_background_sync = f"Sync failed: {exc}"
        self.call_from_thread(self._render)

    def _maybe_sync(self) -> None:
        from wms.workflows.info import SyncWorkflow  # loaded with the session, so already there

        flow = self._live.workflow
        if isinstance(flow, SyncWorkflow) and flow.take_request():
            screen = self.get_screen("sync")
            self._run_sync(flow, screen.progress if isinstance(screen, SyncScreen) else None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync")
    def _run_sync(self, flow: SyncWorkflow, progress: SyncProgress | None) -> None:
        try:
            outcome, failed = flow.run(progress), False
        except Exception as exc:  # any failure of the network or the hub is shown, not raised
            outcome, failed = str(exc) or type(exc).__name__, True
        self.call_from_thread(self._sync_done, flow, outcome, failed)

    def _sync_done(self, flow: SyncWorkflow, outcome: str, failed: bool) -> None:
        flow.finish(outcome, failed=failed)
        if self.session is not None and self.session.workflow is flow:
            self.deliver(self.session.refresh(), by_operator=False)
