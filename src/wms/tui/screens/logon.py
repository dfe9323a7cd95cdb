"""Log-on: scan a badge, or type the operator ID and then the PIN (masked)."""

from __future__ import annotations

from wms.tui.screens.base import TerminalScreen
from wms.tui.widgets.status import StatusBar, StatusInfo
from wms.tui.widgets.step import StepPanel

# The session's log-on prompt, shown while the store opens (the session does not exist yet).
PROMPT = "Scan your badge, or type your ID"


class LogonScreen(TerminalScreen):
    """The first screen, and the one an idle lock returns to."""

    workflow = "logon"

    def show_waiting(self, note: tuple[str, ...], problem: str, status: StatusInfo) -> None:
        """Log-on before the session exists: the store is opening (what is typed or scanned
        meanwhile waits), or ``problem`` says why it did not open."""
        self.query_one(StatusBar).show(status)
        prompt = "This terminal cannot work until its store is fixed" if problem else PROMPT
        self.query_one(StepPanel).show_text("Log on", prompt, note, error=problem)
