"""The Pick screen: renders the pick workflow's steps (see wms.workflows)."""

from wms.tui.screens.base import TerminalScreen


class PickScreen(TerminalScreen):
    """Pick, driven by scans."""

    workflow = "pick"
