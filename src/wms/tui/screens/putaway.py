"""The Putaway screen: renders the putaway workflow's steps (see wms.workflows)."""

from wms.tui.screens.base import TerminalScreen


class PutawayScreen(TerminalScreen):
    """Putaway, driven by scans."""

    workflow = "putaway"
