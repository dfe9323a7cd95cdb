"""The Receive screen: renders the receive workflow's steps (see wms.workflows)."""

from wms.tui.screens.base import TerminalScreen


class ReceiveScreen(TerminalScreen):
    """Receive, driven by scans."""

    workflow = "receive"
