"""F2 in the demo: barcodes that make sense at this step. Choosing one types it into the
simulated scanner, so it travels the real serial path (pty → reader → app); a scale hint puts a
parcel on the simulated scale instead (its readings travel the same way).

The panel never closes itself: Enter is read by the app, which asks the panel what is
highlighted, closes it and sends the barcode (see wms.tui.app); a click is handed to the app as
a `DemoChosen` message. One owner of the screen stack is what keeps a burst of choices from
popping a screen twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.screen import ModalScreen

from wms.tui.messages import DemoChosen

if TYPE_CHECKING:  # the workflows load with the store, after the first screen is up
    from textual.widgets import OptionList

    from wms.workflows.base import Hint


class DemoScannerScreen(ModalScreen[None]):
    """Pick a barcode to scan; Esc or F2 closes without scanning (the app's keys do that)."""

    def __init__(self, hints: list[Hint]) -> None:
        super().__init__()
        self._hints = hints
        self._index = 0  # the highlighted hint, kept here too: arrows may come before mounting

    def compose(self) -> ComposeResult:
        """The hints as a list; Enter scans the highlighted one."""
        # Imported here: the app names this screen at start-up, the list is needed only in
        # the demo, once F2 is pressed.
        from textual.widgets import OptionList, Static
        from textual.widgets.option_list import Option

        yield Static("Demo scanner: Enter scans", id="demo-title")
        options = [Option(h.label, id=str(i)) for i, h in enumerate(self._hints)]
        listed = OptionList(*options, id="demo-list")
        listed.highlighted = self._index if self._hints else None
        yield listed

    def move(self, step: int) -> None:
        """Move the highlight (the app sends the arrow keys here, in order with every other
        input, even before the list is up)."""
        if not self._hints:
            return
        self._index = max(0, min(len(self._hints) - 1, self._index + step))
        if self.is_mounted:
            from textual.widgets import OptionList

            self.query_one(OptionList).highlighted = self._index

    def highlighted(self) -> Hint | None:
        """The highlighted hint (what the scanner, or the scale, should do), or None."""
        return self._hints[self._index] if self._index < len(self._hints) else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """A click or the mouse wheel moved the highlight."""
        self._index = event.option_index

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click: the app sends it."""
        event.stop()
        self.app.post_message(DemoChosen(self._hints[int(event.option.id or 0)]))
