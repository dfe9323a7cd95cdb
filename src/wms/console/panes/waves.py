"""Waves: the open orders, and releasing a wave of them to the floor by a simple rule."""

from __future__ import annotations

from sqlalchemy import Connection
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input

from wms.console.actions import Refused
from wms.console.panes.base import Pane
from wms.console.queries import open_orders

_FIELDS = ("wave-carrier", "wave-mode", "wave-max", "wave-totes")


class WavesPane(Pane):
    """Open orders, most urgent first; a carrier, trade mode, how many and cart totes release
    a wave (every field optional)."""

    def compose(self) -> ComposeResult:
        """The open orders, then the rule."""
        yield DataTable(id="waves-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(classes="form"):
            yield Input(placeholder="Carrier (any)", id="wave-carrier")
            yield Input(placeholder="Trade mode (any)", id="wave-mode")
            yield Input(placeholder="Max orders (200)", id="wave-max", type="integer")
            yield Input(placeholder="Totes per cart", id="wave-totes", type="integer")
        with Horizontal(classes="buttons"):
            yield Button("Release wave", id="release", variant="primary")

    def on_mount(self) -> None:
        """Column headings."""
        self.query_one(DataTable).add_columns(
            "order", "mode", "prio", "carrier", "ship by", "lines", "backordered"
        )

    def reload(self, conn: Connection) -> None:
        """The warehouse's open orders now."""
        table = self.query_one(DataTable)
        table.clear()
        for o in open_orders(conn, self.warehouse):
            ship_by = f"{o.ship_by:%m-%d %H:%M}" if o.ship_by else "-"
            table.add_row(
                o.number, o.trade_mode, o.priority, o.carrier or "-", ship_by, o.lines, o.short
            )

    def _release(self) -> str:
        most, totes = self.typed("wave-max"), self.typed("wave-totes")
        if (most and not most.isdigit()) or (totes and not totes.isdigit()):
            raise Refused("Max orders and totes are whole numbers")
        line = self.supervisor.release(
            self.warehouse,
            carrier=self.typed("wave-carrier") or None,
            trade_mode=self.typed("wave-mode") or None,
            max_orders=int(most) if most else 200,
            totes=int(totes) if totes else None,
        )
        self.forget(*_FIELDS)
        return line

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Release the wave the form describes."""
        self.decide(self._release)
