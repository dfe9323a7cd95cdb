"""The supervisor console: one tab per concern over the hub's database.

Screens never touch SQL: they read through :mod:`wms.console.queries` and decide through
:class:`wms.console.actions.Supervisor`, i.e. the same hub services as ``wms hub …``.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from wms.console.actions import Supervisor
from wms.console.panes.base import Outcome, Pane
from wms.console.panes.customs import CustomsPane
from wms.console.panes.exceptions import ExceptionsPane
from wms.console.panes.holds import HoldsPane
from wms.console.panes.recalls import RecallsPane
from wms.console.panes.scorecard import ScorecardPane
from wms.console.panes.shipping import ShippingPane
from wms.console.panes.terminals import TerminalsPane
from wms.console.panes.waves import WavesPane

TABS: dict[str, tuple[str, type[Pane]]] = {
    "exceptions": ("Exceptions", ExceptionsPane),
    "holds": ("Holds & clearance", HoldsPane),
    "recalls": ("Recalls", RecallsPane),
    "scorecard": ("Scorecard", ScorecardPane),
    "terminals": ("Terminals", TerminalsPane),
    "waves": ("Waves", WavesPane),
    "shipping": ("Shipping", ShippingPane),
    "customs": ("Customs", CustomsPane),
}


class ConsoleApp(App[None]):
    """The console of supervisor ``supervisor.name``; clearances and recalls go to
    ``warehouse``."""

    CSS_PATH = Path(__file__).with_name("console.tcss")
    TITLE = "wms hub console"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(f"f{n}", f"show('{tab}')", label, priority=True)
            for n, (tab, (label, _)) in enumerate(TABS.items(), start=1)
        ),
        Binding("ctrl+r", "reload", "Reload", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, supervisor: Supervisor, warehouse: str) -> None:
        super().__init__()
        self.supervisor = supervisor
        self.warehouse = warehouse
        self.sub_title = f"{supervisor.name} · {warehouse}"

    def compose(self) -> ComposeResult:
        """Header, the tabs, the last outcome, the keys."""
        yield Header()
        with TabbedContent(initial="exceptions"):
            for tab, (label, pane) in TABS.items():
                with TabPane(label, id=tab):
                    yield pane(self.supervisor, self.warehouse, id=f"{tab}-pane")
        yield Static(f"Decisions are recorded as {self.supervisor.name}", id="message")
        yield Footer()

    def on_mount(self) -> None:
        """Read the hub's state once everything is composed."""
        self.action_reload()

    def action_reload(self) -> None:
        """Read the hub's state into every tab, in one snapshot."""
        with self.supervisor.engine.connect() as conn:
            for pane in self.query(Pane):
                pane.reload(conn)

    def action_show(self, tab: str) -> None:
        """Switch to ``tab`` and focus its first control."""
        self.query_one(TabbedContent).active = tab
        self.call_after_refresh(self.query_one(f"#{tab}-pane", Pane).focus_first)

    def on_outcome(self, message: Outcome) -> None:
        """Show what happened; after a decision every tab shows the new state."""
        shown = self.query_one("#message", Static)
        shown.update(message.line)
        shown.set_class(not message.ok, "-refused")
        if message.ok:
            self.action_reload()
        else:
            self.bell()
