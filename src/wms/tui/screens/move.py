"""The Move screen: renders the move workflow's steps (see wms.workflows)."""

from wms.tui.screens.base import TerminalScreen


class MoveScreen(TerminalScreen):
    """Move, driven by scans."""

    workflow = "move"
