"""Shipping: the warehouse's latest parcels (waybill, status, weight, load) and its loads."""

from __future__ import annotations

from sqlalchemy import Connection
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from wms.console.panes.base import Pane
from wms.console.queries import shipping_now


class ShippingPane(Pane):
    """Parcels, newest first, and the loads at the dock; read only (parcels are voided and
    labels printed again from ``wms hub parcels``)."""

    def compose(self) -> ComposeResult:
        """Parcels above, loads below."""
        yield Static("Parcels", classes="heading")
        yield DataTable(id="parcels-table", cursor_type="row", zebra_stripes=True)
        yield Static("Loads", classes="heading")
        yield DataTable(id="loads-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Column headings."""
        self.query_one("#parcels-table", DataTable).add_columns(
            "parcel", "order", "carrier", "waybill", "status", "kg", "load"
        )
        self.query_one("#loads-table", DataTable).add_columns(
            "load", "carrier", "dock", "status", "parcels"
        )

    def reload(self, conn: Connection) -> None:
        """The latest parcels and loads."""
        parcels, loads = shipping_now(conn, self.warehouse)
        table = self.query_one("#parcels-table", DataTable)
        table.clear()
        for p in parcels:
            waybill = p.waybill or f"({p.booking})"
            kg = f"{(p.weight_g or 0) / 1000:.3f}"
            table.add_row(p.sscc, p.order_number, p.carrier, waybill, p.status, kg, p.load or "-")
        table = self.query_one("#loads-table", DataTable)
        table.clear()
        for ld in loads:
            table.add_row(ld.number, ld.carrier or "-", ld.dock or "-", ld.status, ld.parcels)
