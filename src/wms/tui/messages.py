"""App-wide messages. Scanner events arrive from the reader thread through `post_message`."""

from __future__ import annotations

from textual.message import Message

from wms.scanner import ScannerEvent


class ScannerMessage(Message):
    """One event from the scanner reader. Deliberately no ``can_replace``: a burst from a
    batch-mode scanner must reach the workflow whole and in order."""

    def __init__(self, event: ScannerEvent) -> None:
        super().__init__()
        self.event = event


class DemoChosen(Message):
    """A barcode was clicked on the demo panel: the app closes the panel and sends it."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ScreenShown(Message):
    """A screen became current and wants the session's view."""
