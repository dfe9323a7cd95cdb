"""The shape every terminal screen shares: status bar, step panel, keyboard line, key bar."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen

from wms.tui.messages import ScreenShown
from wms.tui.widgets.keys import KeyBar
from wms.tui.widgets.scan_input import ScanInput
from wms.tui.widgets.status import StatusBar, StatusInfo
from wms.tui.widgets.step import StepPanel

if TYPE_CHECKING:  # the workflows load with the store, after the first screen is up
    from wms.workflows.base import StepView


class TerminalScreen(Screen[None]):
    """A screen that renders the session's view; subclasses name the workflow they show.

    What is typed lives in the app's keyboard line (wms.tui.keyboard); the entry here only
    shows it. The arrow and page keys scroll the step panel, so a list longer than a 40×16
    screen (Inquiry, Messages) can be read to its end.
    """

    workflow: ClassVar[str] = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll('up')", show=False),
        Binding("down", "scroll('down')", show=False),
        Binding("pageup", "scroll('page_up')", show=False),
        Binding("pagedown", "scroll('page_down')", show=False),
    ]

    def __init__(self, *, demo: bool = False, flash_seconds: float = 0.4) -> None:
        super().__init__(name=self.workflow)
        self._demo = demo
        self._flash_seconds = flash_seconds

    def compose(self) -> ComposeResult:
        """Status on top, the step, the keyboard line, the keys at the bottom."""
        yield StatusBar(id="status")
        yield StepPanel(id="step")
        entry = ScanInput(id="entry", placeholder="type, then Enter")
        # A steady cursor: blinking repaints twice a second for as long as the terminal runs,
        # which a handheld over SSH pays in traffic, and a scan arriving meanwhile in latency.
        entry.cursor_blink = False
        yield entry
        yield KeyBar(demo=self._demo, id="keys")

    def on_mount(self) -> None:
        """Ask for the view to show."""
        self.post_message(ScreenShown())

    def on_screen_resume(self) -> None:
        """Ask again each time the screen comes back; the entry shows the cursor."""
        self.query_one(ScanInput).focus()
        self.post_message(ScreenShown())

    def action_scroll(self, how: str) -> None:
        """Scroll the step panel (its context lines) by a line or a page."""
        panel = self.query_one(StepPanel)
        {
            "up": panel.scroll_up,
            "down": panel.scroll_down,
            "page_up": panel.scroll_page_up,
            "page_down": panel.scroll_page_down,
        }[how](animate=False)

    def show(self, view: StepView, status: StatusInfo) -> None:
        """Render the session's current view and the status bar."""
        self.query_one(StatusBar).show(status)
        self.query_one(StepPanel).show(view, flash_seconds=self._flash_seconds)

    def show_line(self, text: str, *, masked: bool) -> None:
        """Show the keyboard line (masked while a PIN is typed)."""
        self.query_one(ScanInput).show(text, masked=masked)
