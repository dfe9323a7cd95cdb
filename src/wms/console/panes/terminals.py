"""Terminals: each enrolled device and how far it has synced."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection
from textual.app import ComposeResult
from textual.widgets import DataTable

from wms.console.panes.base import Pane
from wms.console.queries import terminals


def _when(at: datetime | None) -> str:
    return "-" if at is None else at.astimezone(UTC).strftime("%m-%d %H:%M")


class TerminalsPane(Pane):
    """Devices with the last sequence the hub acknowledged, last push, last complete pull (what
    the terminal knows is at least that recent), last request."""

    def compose(self) -> ComposeResult:
        """One table."""
        yield DataTable(id="terminals-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Column headings."""
        self.query_one(DataTable).add_columns(
            "device", "wh", "last seq", "pushed (UTC)", "pulled (UTC)", "seen (UTC)", "access"
        )

    def reload(self, conn: Connection) -> None:
        """Sync state now."""
        table = self.query_one(DataTable)
        table.clear()
        for t in terminals(conn, self.warehouse):
            access = "revoked" if t.revoked else "active"
            times = (_when(t.last_push), _when(t.last_pull), _when(t.last_seen))
            table.add_row(t.device, t.warehouse, t.last_seq, *times, access)
