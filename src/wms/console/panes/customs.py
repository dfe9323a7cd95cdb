"""Customs: the bonded ledger's reconciliation as of now (per ledger item, every difference
traced), and the parcels customs stopped, with their next step (declare again, keep aside,
open and put back)."""

from __future__ import annotations

from sqlalchemy import Connection
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input, Static

from wms.console.actions import Refused
from wms.console.panes.base import Pane
from wms.console.queries import customs_now
from wms.hub.supervision.choices import Resolution

_STEPS = {
    Resolution.REDECLARE: "Redeclare",
    Resolution.HOLD: "Hold",
    Resolution.UNPACK: "Unpack",
}


class CustomsPane(Pane):
    """Reconciliation above, stopped parcels and their next step below."""

    def compose(self) -> ComposeResult:
        """The ledger's items, its differences, the stopped parcels, the form."""
        yield Static("Bonded ledger", id="customs-state", classes="heading")
        yield DataTable(id="ledger-table", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="traces-table", cursor_type="row", zebra_stripes=True)
        yield Static("Parcels customs stopped", classes="heading")
        yield DataTable(id="stopped-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(classes="form"):
            yield Input(placeholder="Reason (kept in the audit trail)", id="customs-why")
        with Horizontal(classes="buttons"):
            for step, label in _STEPS.items():
                yield Button(label, id=f"customs-{step}")

    def on_mount(self) -> None:
        """Column headings."""
        self.query_one("#ledger-table", DataTable).add_columns(
            "item", "ledger", "physical", "released", "declared", "customs", "diff"
        )
        self.query_one("#traces-table", DataTable).add_columns(
            "diff", "sku", "source", "parcels", "what"
        )
        self.query_one("#stopped-table", DataTable).add_columns(
            "id", "kind", "parcel", "order", "steps", "customs says"
        )

    def reload(self, conn: Connection) -> None:
        """The reconciliation now, and the stopped parcels."""
        report, stopped = customs_now(conn, self.warehouse)
        state = self.query_one("#customs-state", Static)
        ledger = self.query_one("#ledger-table", DataTable)
        traces = self.query_one("#traces-table", DataTable)
        ledger.clear()
        traces.clear()
        if report is None:
            state.update("Bonded ledger: none (set the customs codes: wms hub customs codes)")
        else:
            said = "balances" if report.balanced else "DOES NOT BALANCE"
            state.update(f"Bonded ledger {report.ems_no}: {said}")
            for it in report.items:
                ledger.add_row(
                    it.item_record_no, it.ledger, it.physical, it.released_open,
                    it.declared_open, it.customs_view, f"{it.difference:+d}",
                )  # fmt: skip
            for t in report.traces:
                traces.add_row(f"{t.difference:+d}", t.sku, t.source, " ".join(t.parcels), t.what)
        table = self.query_one("#stopped-table", DataTable)
        table.clear()
        for e in stopped:
            d = e["details"] or {}
            steps = "/".join(d.get("steps", []))
            said = str(d.get("customs_text") or e["message"])
            cells = (e["id"], e["kind"], d.get("sscc", ""), d.get("order", ""), steps, said)
            table.add_row(*cells, key=str(e["id"]))

    def _step(self, step: Resolution) -> str:
        table = self.query_one("#stopped-table", DataTable)
        if not table.row_count:
            raise Refused("No parcel awaits a decision")
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        line = self.supervisor.resolve(int(str(key.value)), step, self.typed("customs-why"))
        self.forget("customs-why")
        return line

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Take the highlighted parcel's next step as the button says."""
        step = Resolution(str(event.button.id).removeprefix("customs-"))
        self.decide(lambda: self._step(step))
