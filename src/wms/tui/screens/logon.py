"""Log-on: scan a badge, or type the operator ID and then the PIN (masked)."""

from wms.tui.screens.base import TerminalScreen


class LogonScreen(TerminalScreen):
    """The first screen, and the one an idle lock returns to."""

    workflow = "logon"
