"""Holds & clearance: held stock per product and lot; clearing bonded stock under a declaration."""

from __future__ import annotations

from sqlalchemy import Connection
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input

from wms.console.actions import Refused
from wms.console.panes.base import Pane
from wms.console.queries import holds
from wms.hub.supervision.clearance import Clearance

_FIELDS = ("clr-declaration", "clr-asn", "clr-sku", "clr-lot", "clr-qty", "clr-why")


class HoldsPane(Pane):
    """Stock on customs hold, in quarantine or recalled; Enter on a row fills product and lot."""

    def compose(self) -> ComposeResult:
        """The held stock, then the clearance form."""
        yield DataTable(id="holds-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(classes="form"):
            yield Input(placeholder="Customs declaration", id="clr-declaration")
            yield Input(placeholder="ASN (optional)", id="clr-asn")
            yield Input(placeholder="Product (optional)", id="clr-sku")
        with Horizontal(classes="form"):
            yield Input(placeholder="Lot (optional)", id="clr-lot")
            yield Input(placeholder="Quantity (all)", id="clr-qty", type="integer")
            yield Input(placeholder="Reason", id="clr-why")
        with Horizontal(classes="buttons"):
            yield Button("Clear customs hold", id="clear")

    def on_mount(self) -> None:
        """Column headings."""
        self.query_one(DataTable).add_columns("wh", "status", "product", "lot", "units")

    def reload(self, conn: Connection) -> None:
        """Held stock now."""
        table = self.query_one(DataTable)
        table.clear()
        for h in holds(conn, self.warehouse):
            table.add_row(h.warehouse, h.status, h.sku, h.lot or "-", h.qty)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Take the chosen row's product and lot into the form."""
        _, _, sku, lot, _ = self.query_one(DataTable).get_row(event.row_key)
        self.query_one("#clr-sku", Input).value = str(sku)
        self.query_one("#clr-lot", Input).value = "" if lot == "-" else str(lot)
        self.query_one("#clr-declaration", Input).focus()

    def _clear(self) -> str:
        declaration, qty = self.typed("clr-declaration"), self.typed("clr-qty")
        if not declaration:
            raise Refused("Type the customs declaration the goods are cleared under")
        if qty and not qty.isdigit():
            raise Refused("The quantity to clear must be positive")
        wanted = Clearance(
            declaration,
            asn=self.typed("clr-asn"),
            sku=self.typed("clr-sku"),
            lot=self.typed("clr-lot"),
            qty=int(qty) if qty else None,
        )
        line = self.supervisor.clear(self.warehouse, self.typed("clr-why"), wanted)
        self.forget(*_FIELDS)
        return line

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Clear what the form selects."""
        self.decide(self._clear)
