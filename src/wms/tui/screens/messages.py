"""The Messages screen: renders the messages workflow's steps (see wms.workflows)."""

from wms.tui.screens.base import TerminalScreen


class MessagesScreen(TerminalScreen):
    """Messages, driven by scans."""

    workflow = "messages"
