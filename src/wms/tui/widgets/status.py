"""The status bar on every screen: operator, where in the workflow, scanner, sync."""

from __future__ import annotations

from dataclasses import dataclass

from textual.widgets import Static


@dataclass(frozen=True)
class StatusInfo:
    """What the status bar shows."""

    operator: str
    where: str
    scanner: str
    unsynced: int
    last_sync: str

    def lines(self) -> str:
        """Two short lines, so 40 columns show all of it."""
        return (
            f"{self.operator} · {self.where}\n"
            f"Scanner {self.scanner} · {self.unsynced} unsynced · sync {self.last_sync}"
        )


class StatusBar(Static):
    """Two lines at the top of every screen."""

    def show(self, info: StatusInfo) -> None:
        """Render ``info``."""
        self.update(info.lines())
