"""The keyboard path: a one-line input whose Enter hands the typed text to the session. A
keyboard-wedge scanner types here too; its GS (Ctrl+]) is kept as the GS1 separator."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from wms.scanner import key_text


class ScanInput(Input):
    """An Input that keeps the GS separator a wedge scanner sends as Ctrl+]."""

    async def _on_key(self, event: events.Key) -> None:
        # Here, not at the top: wms.domain.scan loads biip, which the log-on screen must not
        # wait for; by the first key it is loaded (the scanner's reader thread imports it).
        from wms.domain.scan import GS

        if key_text(event.key, event.character) == GS:
            event.stop()
            event.prevent_default()
            self.insert_text_at_cursor(GS)
            return
        await super()._on_key(event)
