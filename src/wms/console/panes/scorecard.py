"""Scorecard: suppliers' scores for a period, as a table and as bars."""

from __future__ import annotations

from sqlalchemy import Connection
from textual.app import ComposeResult
from textual.widgets import DataTable, Input, Static

from wms.console.panes.base import Outcome, Pane
from wms.console.queries import scores
from wms.hub.supervision.scorecard import SupplierScore

BAR_WIDTH = 40
_INDICATORS = {
    "on_time": "on time",
    "fill_rate": "fill",
    "damage": "undamaged",
    "shelf_life": "shelf life",
    "over_short": "exact",
    "asn_accuracy": "ASN",
}


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def bars(rows: list[SupplierScore], width: int = BAR_WIDTH) -> str:
    """One horizontal bar per supplier, 0-100 over ``width`` cells (eighths of a cell)."""
    name_width = max((len(s.supplier) for s in rows), default=0)
    lines = []
    for s in rows:
        eighths = round((s.score or 0) / 100 * width * 8)
        full, part = divmod(eighths, 8)
        bar = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
        lines.append(f"{s.supplier:<{name_width}}  {bar:<{width}}  {_pct(s.score):>3}")
    return "\n".join(lines) or "No receipts to score yet"


class ScorecardPane(Pane):
    """A period to score (blank: all), the table of suppliers, and the chart."""

    def compose(self) -> ComposeResult:
        """Period, table, chart."""
        yield Input(
            placeholder="Period: YYYY, YYYY-MM or YYYY-Qn (Enter; blank = all)", id="period"
        )
        yield DataTable(id="scorecard-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="chart")

    def on_mount(self) -> None:
        """Column headings: score, receipts, then each indicator."""
        table = self.query_one(DataTable)
        table.add_columns("supplier", "period", "score", "receipts", *_INDICATORS.values())

    def reload(self, conn: Connection) -> None:
        """Score the chosen period; a bad period is reported and the table left as it was."""
        try:
            rows = scores(conn, self.warehouse, self.typed("period") or None)
        except ValueError as e:
            self.post_message(Outcome(str(e), ok=False))
            return
        table = self.query_one(DataTable)
        table.clear()
        for s in rows:
            marks = [_pct(s.indicators.get(k)) for k in _INDICATORS]
            table.add_row(s.supplier, s.period, _pct(s.score), s.counts["receipts"], *marks)
        self.query_one("#chart", Static).update(bars(rows))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Score the typed period."""
        with self.supervisor.engine.connect() as conn:
            self.reload(conn)
