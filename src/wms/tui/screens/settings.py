"""The Settings screen: renders the settings workflow's steps (see wms.workflows)."""

from wms.tui.screens.base import TerminalScreen


class SettingsScreen(TerminalScreen):
    """Settings, driven by scans."""

    workflow = "settings"
