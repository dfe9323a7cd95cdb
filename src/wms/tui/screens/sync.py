"""The Sync screen: renders the sync workflow's steps (see wms.workflows), with a progress line
while a sync runs in its worker thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult

from wms.tui.screens.base import TerminalScreen
from wms.tui.widgets.progress import ProgressLine
from wms.tui.widgets.status import StatusInfo
from wms.tui.widgets.step import StepPanel

if TYPE_CHECKING:  # the workflows load with the store, after the first screen is up
    from wms.workflows.base import StepView

_RUNNING = ("requested", "running")  # SyncWorkflow's steps while a sync is under way


class SyncScreen(TerminalScreen):
    """Sync, driven by scans; F4 syncs now."""

    workflow = "sync"

    def compose(self) -> ComposeResult:
        """The common screen, with the progress line under the step panel."""
        for widget in super().compose():
            yield widget
            if isinstance(widget, StepPanel):
                yield ProgressLine(id="progress")

    def show(self, view: StepView, status: StatusInfo) -> None:
        """Render the view; the progress line says "Connecting" until the first report and
        empties when the sync is over (the result line then says how it went)."""
        super().show(view, status)
        line = self.query_one(ProgressLine)
        if view.step in _RUNNING:
            line.started("Connecting to the hub…")
        else:
            line.clear()

    def progress(self, stage: str, done: int, total: int | None) -> None:
        """A sync client `Progress` callback: call it from the sync's worker thread (it hands
        the report to the app's thread and never touches widgets itself)."""
        self.app.call_from_thread(self._show_progress, stage, done, total)

    def _show_progress(self, stage: str, done: int, total: int | None) -> None:
        if self.is_mounted:
            self.query_one(ProgressLine).show(stage, done, total)
