"""The Inquiry screen: renders the inquiry workflow's steps (see wms.workflows)."""

from wms.tui.screens.base import TerminalScreen


class InquiryScreen(TerminalScreen):
    """Inquiry, driven by scans."""

    workflow = "inquiry"
