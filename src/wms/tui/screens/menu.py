"""The menu: numbered entries, each also a command barcode #MENU1 … #MENU13."""

from wms.tui.screens.base import TerminalScreen


class MenuScreen(TerminalScreen):
    """Choose a workflow by scan or number."""

    workflow = "menu"
