"""Exceptions: the open queue, and resolving the highlighted exception."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import Connection
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input

from wms.console.actions import Refused
from wms.console.panes.base import Pane
from wms.console.queries import exceptions
from wms.hub.supervision.choices import Resolution

_LABELS = {
    Resolution.ACCEPT: "Accept",
    Resolution.ADJUST: "Adjust",
    Resolution.RECOUNT: "Recount",
    Resolution.WRITE_OFF: "Write off",
}


def facts(details: dict[str, Any] | None) -> str:
    """An exception's facts on one line, empty ones left out."""
    shown = {k: v for k, v in (details or {}).items() if v not in ("", None)}
    return " ".join(f"{k}={shown[k]}" for k in sorted(shown))


class ExceptionsPane(Pane):
    """Open exceptions, oldest first; a reason (and a delta to adjust) and a resolution."""

    def compose(self) -> ComposeResult:
        """The queue, then the form."""
        yield DataTable(id="exceptions-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(classes="form"):
            yield Input(placeholder="Reason (kept in the audit trail)", id="exc-why")
            yield Input(placeholder="Delta to adjust", id="exc-delta", type="integer")
        with Horizontal(classes="buttons"):
            for action, label in _LABELS.items():
                yield Button(label, id=f"resolve-{action}")

    def on_mount(self) -> None:
        """Column headings."""
        table = self.query_one(DataTable)
        table.add_columns("id", "wh", "kind", "raised (UTC)", "facts", "message")

    def reload(self, conn: Connection) -> None:
        """The open queue, keeping the cursor where it was when it can."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for e in exceptions(conn, self.warehouse):
            raised = e["created_at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M")
            cells = (e["id"], e["warehouse"], e["kind"], raised, facts(e["details"]), e["message"])
            table.add_row(*cells, key=str(e["id"]))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def _selected(self) -> int:
        table = self.query_one(DataTable)
        if not table.row_count:
            raise Refused("No open exception to resolve")
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(str(key.value))

    def _resolve(self, action: Resolution) -> str:
        delta = self.typed("exc-delta")
        if action is Resolution.ADJUST and not delta.lstrip("-").isdigit():
            raise Refused("Type the delta to adjust by, e.g. -3 or 5")
        line = self.supervisor.resolve(
            self._selected(), action, self.typed("exc-why"), int(delta or 0)
        )
        self.forget("exc-why", "exc-delta")
        return line

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Resolve the highlighted exception as the button says."""
        action = Resolution(str(event.button.id).removeprefix("resolve-"))
        self.decide(lambda: self._resolve(action))
