"""The Sync screen: renders the sync workflow's steps (see wms.workflows)."""

from wms.tui.screens.base import TerminalScreen


class SyncScreen(TerminalScreen):
    """Sync, driven by scans."""

    workflow = "sync"
