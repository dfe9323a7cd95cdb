"""App-wide messages. Scanner events arrive from the reader thread through `post_message`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from wms.scanner import ScannerEvent

if TYPE_CHECKING:  # the scale's reader loads pyserial, with the store
    from wms.scanner.scale import ScaleEvent
    from wms.workflows.base import Hint


class ScannerMessage(Message):
    """One event from the scanner reader. Deliberately no ``can_replace``: a burst from a
    batch-mode scanner must reach the workflow whole and in order."""

    def __init__(self, event: ScannerEvent) -> None:
        super().__init__()
        self.event = event


class ScaleMessage(Message):
    """One event from the scale's reader; no ``can_replace`` either: readings come in order."""

    def __init__(self, event: ScaleEvent) -> None:
        super().__init__()
        self.event = event


class DemoChosen(Message):
    """A hint was clicked on the demo panel: the app closes the panel and sends it."""

    def __init__(self, hint: Hint) -> None:
        super().__init__()
        self.hint = hint


class ScreenShown(Message):
    """A screen became current and wants the session's view."""
