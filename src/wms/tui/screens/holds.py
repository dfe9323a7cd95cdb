"""The Holds screen: renders the holds workflow's steps (see wms.workflows)."""

from wms.tui.screens.base import TerminalScreen


class HoldsScreen(TerminalScreen):
    """Holds, driven by scans."""

    workflow = "holds"
