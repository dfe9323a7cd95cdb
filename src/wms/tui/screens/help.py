"""F1: the keys and command barcodes of the current screen. Any key closes it."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """A list of (key or barcode, what it does)."""

    def __init__(self, title: str, lines: list[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._lines = lines

    def compose(self) -> ComposeResult:
        """The help lines, scrolling vertically only if they do not fit."""
        text = "\n".join(f"{key:<14} {what}" for key, what in self._lines)
        with VerticalScroll(id="help"):
            yield Static(f"Help: {self._title}", id="help-title")
            yield Static(text)
            yield Static("Any key closes", id="help-close")

    def on_key(self, event: events.Key) -> None:
        """Close on any key."""
        event.stop()
        self.dismiss()
