"""What every tab shares: the supervisor taking decisions, reloading, reporting an outcome."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

from wms.console.actions import Refused, Supervisor


class Outcome(Message):
    """A decision was taken (``ok``) or refused; the app shows the line and reloads."""

    def __init__(self, line: str, *, ok: bool) -> None:
        super().__init__()
        self.line = line
        self.ok = ok


class Pane(Vertical):
    """One tab of the console."""

    def __init__(self, supervisor: Supervisor, warehouse: str, *, id: str) -> None:
        super().__init__(id=id)
        self.supervisor = supervisor
        self.warehouse = warehouse

    def reload(self, conn: Connection) -> None:
        """Show the hub's current state."""
        raise NotImplementedError

    def focus_first(self) -> None:
        """Focus the tab's first control, so the keyboard works at once."""
        for widget in self.query("*"):
            if widget.can_focus:
                widget.focus()
                return

    def decide(self, action: Callable[[], str]) -> None:
        """Run a decision and report it; a refusal is reported, never raised."""
        try:
            line = action()
        except Refused as e:
            self.post_message(Outcome(str(e), ok=False))
        else:
            self.post_message(Outcome(line, ok=True))

    def typed(self, widget_id: str) -> str:
        """What was typed into Input ``widget_id``, trimmed."""
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def forget(self, *widget_ids: str) -> None:
        """Empty inputs after a decision, so the next one starts afresh."""
        for widget_id in widget_ids:
            self.query_one(f"#{widget_id}", Input).value = ""
