"""The body of a workflow screen: title and progress, prompt, context lines, last result.

An error is a full-width red block that stays until acknowledged; a success shows in green and
flashes the panel briefly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

if TYPE_CHECKING:
    from wms.workflows.base import StepView


def set_text(box: Static, text: str, *, restyled: bool = False) -> None:
    """Show ``text`` in ``box``, doing as little as a scan allows: nothing when it is already
    shown, a repaint without a new layout of the screen when it takes the same lines as before
    (none wrapped) and ``restyled`` (a class that may change padding) is false."""
    old = box.content
    if text == old and not restyled:
        return
    width = box.content_size.width
    same_lines = (
        not restyled
        and isinstance(old, str)
        and old.count("\n") == text.count("\n")
        and all(cell_len(line) <= width for line in (*old.split("\n"), *text.split("\n")))
    )
    box.update(text, layout=not same_lines)


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
        # Imported here: wms.workflows brings the store stack, which loads after the log-on
        # screen is up (the app shows log-on with `show_text` until then).
        from wms.workflows.base import Level

        title = view.workflow + (f"  {view.progress}" if view.progress else "")
        ok, error = view.level is Level.OK, view.level is Level.ERROR
        result = f"ERROR: {view.result}" if error else f"OK: {view.result}" if ok else view.result
        self._paint(title, view.prompt, view.context, result, ok=ok, error=error)
        if ok and flash_seconds > 0:
            self.add_class("-flash")
            self.set_timer(flash_seconds, lambda: self.remove_class("-flash"))

    def show_text(
        self, title: str, prompt: str, context: tuple[str, ...], *, error: str = ""
    ) -> None:
        """Render a step that has no view yet (the store is still opening); ``error``, if any,
        as the red block."""
        result = f"ERROR: {error}" if error else ""
        self._paint(title, prompt, context, result, ok=False, error=bool(error))

    def _paint(
        self,
        title: str,
        prompt: str,
        context: tuple[str, ...],
        result: str,
        *,
        ok: bool,
        error: bool,
    ) -> None:
        set_text(self.query_one("#title", Static), title)
        set_text(self.query_one("#prompt", Static), prompt)
        set_text(self.query_one("#context", Static), "\n".join(context))
        box = self.query_one("#result", Static)
        restyled = box.has_class("-error") != error
        box.set_class(error, "-error")
        box.set_class(ok, "-ok")
        set_text(box, result, restyled=restyled)
