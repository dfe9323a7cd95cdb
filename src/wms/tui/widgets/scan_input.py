"""The keyboard line as the screen shows it. The app reads every key and owns the line
(wms.tui.keyboard); this input only displays it, with the cursor at its end, masked while a PIN
is typed. A keyboard-wedge scanner's GS (Ctrl+]) is kept in the line and shown as ``<GS>``."""

from __future__ import annotations

from textual.widgets import Input

GS = "\x1d"


class ScanInput(Input, inherit_bindings=False):
    """Displays the app's keyboard line; never edited by keys of its own (no bindings: Delete
    or Home here would change what is shown, not what was typed)."""

    def show(self, text: str, *, masked: bool) -> None:
        """Show ``text`` (the line typed so far)."""
        shown = text.replace(GS, "<GS>")
        if (shown, masked) == (self.value, self.password):
            return
        self.password = masked
        self.value = shown
        self.cursor_position = len(shown)
