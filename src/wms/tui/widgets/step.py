"""The body of a workflow screen: title and progress, prompt, context lines, last result.

An error is a full-width red block that stays until acknowledged; a success shows in green and
flashes the panel briefly.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from wms.workflows.base import Level, StepView


class StepPanel(Vertical):
    """Renders one `StepView`."""

    def compose(self) -> ComposeResult:
        """Title, prompt, context and result, top to bottom."""
        yield Static(id="title")
        yield Static(id="prompt")
        yield Static(id="context")
        yield Static(id="result")

    def show(self, view: StepView, *, flash_seconds: float) -> None:
        """Render ``view``; flash green for ``flash_seconds`` when it committed something."""
        title = view.workflow + (f"  {view.progress}" if view.progress else "")
        self.query_one("#title", Static).update(title)
        self.query_one("#prompt", Static).update(view.prompt)
        self.query_one("#context", Static).update("\n".join(view.context))
        result = self.query_one("#result", Static)
        result.set_class(view.level is Level.ERROR, "-error")
        result.set_class(view.level is Level.OK, "-ok")
        text = view.result
        if view.level is Level.ERROR:
            text = f"ERROR: {view.result}"
        elif view.level is Level.OK:
            text = f"OK: {view.result}"
        result.update(text)
        if view.level is Level.OK and flash_seconds > 0:
            self.add_class("-flash")
            self.set_timer(flash_seconds, lambda: self.remove_class("-flash"))
