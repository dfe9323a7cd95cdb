"""The Returns screen: renders the returns workflow's steps (see wms.workflows)."""

from wms.tui.screens.base import TerminalScreen


class ReturnsScreen(TerminalScreen):
    """Returns, driven by scans."""

    workflow = "returns"
