"""The status bar on every screen: operator, where in the workflow, scanner, sync."""

from __future__ import annotations

from dataclasses import dataclass

from textual.widgets import Static

from wms.tui.widgets.step import set_text


@dataclass(frozen=True)
class StatusInfo:
    """What the status bar shows; ``store``, while the store is not open ("opening store…"),
    stands in for the sync figures."""

    operator: str
    where: str
    scanner: str
    unsynced: int
    last_sync: str
    store: str = ""

    def lines(self) -> str:
        """Two short lines, so 40 columns show all of it."""
        sync = self.store or f"{self.unsynced} unsynced · sync {self.last_sync}"
        return f"{self.operator} · {self.where}\nScanner {self.scanner} · {sync}"


class StatusBar(Static):
    """Two lines at the top of every screen."""

    def show(self, info: StatusInfo) -> None:
        """Render ``info``."""
        set_text(self, info.lines())
