"""The Count screen: renders the count workflow's steps (see wms.workflows)."""

from wms.tui.screens.base import TerminalScreen


class CountScreen(TerminalScreen):
    """Count, driven by scans."""

    workflow = "count"
