"""Recalls: recall one lot of a product on every terminal; what is recalled now."""

from __future__ import annotations

from sqlalchemy import Connection
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input

from wms.console.actions import Refused
from wms.console.panes.base import Pane
from wms.console.queries import holds
from wms.domain.kinds import StockStatus


class RecallsPane(Pane):
    """A product, a lot and a reason; the stock already recalled beneath."""

    def compose(self) -> ComposeResult:
        """The form, then the recalled stock."""
        with Horizontal(classes="form"):
            yield Input(placeholder="Product", id="rcl-sku")
            yield Input(placeholder="Lot", id="rcl-lot")
            yield Input(placeholder="Reason", id="rcl-why")
        with Horizontal(classes="buttons"):
            yield Button("Recall lot", id="recall", variant="error")
        yield DataTable(id="recalled-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Column headings."""
        self.query_one(DataTable).add_columns("wh", "product", "lot", "units recalled")

    def reload(self, conn: Connection) -> None:
        """Recalled stock now."""
        table = self.query_one(DataTable)
        table.clear()
        for h in holds(conn, self.warehouse):
            if h.status == StockStatus.RECALLED:
                table.add_row(h.warehouse, h.sku, h.lot or "-", h.qty)

    def _recall(self) -> str:
        sku, lot = self.typed("rcl-sku"), self.typed("rcl-lot")
        if not (sku and lot):
            raise Refused("Type the product and the lot to recall")
        line = self.supervisor.recall(self.warehouse, self.typed("rcl-why"), sku, lot)
        self.forget("rcl-sku", "rcl-lot", "rcl-why")
        return line

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Recall the typed lot."""
        self.decide(self._recall)
