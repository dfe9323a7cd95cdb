"""The feedback port: every beep and flash goes through here, so tests can assert on them
(`App.bell()` does nothing headless) and a site can route beeps to the scanner's own beeper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Feedback(Protocol):
    """What the operator hears after each input."""

    def success(self) -> None:
        """Short beep: the scan did what was asked."""

    def error(self) -> None:
        """Long beep: the scan was refused, read the red message."""


class BellFeedback:
    """Beeps on the terminal bell: one for success, three in a row for an error (a terminal has
    no long beep, and three is what an operator notices on a loud floor)."""

    def __init__(self, bell: Callable[[], None]) -> None:
        self._bell = bell

    def success(self) -> None:
        """One bell."""
        self._bell()

    def error(self) -> None:
        """Three bells."""
        for _ in range(3):
            self._bell()


class RecordingFeedback:
    """Records what would have sounded, for tests and the benchmark."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def success(self) -> None:
        """Record a short beep."""
        self.events.append("success")

    def error(self) -> None:
        """Record a long beep."""
        self.events.append("error")
