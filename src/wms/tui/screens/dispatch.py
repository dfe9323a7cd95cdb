"""The Dispatch screen: renders the dispatch workflow's steps (see wms.workflows)."""

from wms.tui.screens.base import TerminalScreen


class DispatchScreen(TerminalScreen):
    """Dispatch, driven by scans."""

    workflow = "dispatch"
