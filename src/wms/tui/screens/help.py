"""F1: the keys and command barcodes of the current screen. The arrow and page keys scroll it;
any other key closes it (the app does that: screens pushed over a workflow never close
themselves)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

SCROLL_KEYS = frozenset({"up", "down", "pageup", "pagedown", "home", "end"})


class HelpScreen(ModalScreen[None]):
    """A list of (key or barcode, what it does)."""

    def __init__(self, title: str, lines: list[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._lines = lines

    def compose(self) -> ComposeResult:
        """The help lines, scrolling vertically when they do not fit (at 40×16)."""
        text = "\n".join(f"{key:<14} {what}" for key, what in self._lines)
        with VerticalScroll(id="help"):
            yield Static(f"Help: {self._title}", id="help-title")
            yield Static(text)
            yield Static("Arrows scroll · any key closes", id="help-close")

    def on_mount(self) -> None:
        """Take the keyboard, so the arrow keys scroll the list."""
        self.query_one(VerticalScroll).focus()
