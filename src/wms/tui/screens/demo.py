"""F2 in the demo: barcodes that make sense at this step. Choosing one types it into the
simulated scanner, so it travels the real serial path (pty → reader → app)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from wms.workflows.base import Hint


class DemoScannerScreen(ModalScreen[str | None]):
    """Pick a barcode to scan; Esc or F2 closes without scanning (the app's keys do that)."""

    def __init__(self, hints: list[Hint]) -> None:
        super().__init__()
        self._hints = hints

    def compose(self) -> ComposeResult:
        """The hints as a list; Enter scans the highlighted one."""
        yield Static("Demo scanner: Enter scans", id="demo-title")
        options = [Option(h.label, id=str(i)) for i, h in enumerate(self._hints)]
        yield OptionList(*options, id="demo-list")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Close, handing back what the scanner should send."""
        event.stop()
        self.dismiss(self._hints[int(event.option.id or 0)].text)
