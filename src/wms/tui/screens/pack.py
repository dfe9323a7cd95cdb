"""The Pack screen: renders the pack workflow's steps (see wms.workflows.pack), with a line
under the step panel saying what the scale reads, or that there is none (type the weight)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Static

from wms.tui.screens.base import TerminalScreen
from wms.tui.widgets.status import StatusInfo
from wms.tui.widgets.step import StepPanel, set_text

if TYPE_CHECKING:  # the workflows load with the store, after the first screen is up
    from wms.workflows.base import StepView
    from wms.workflows.scale import ScaleState


def scale_text(scale: ScaleState | None) -> str:
    """One line: the scale's reading (``~`` while it moves), or its state."""
    if scale is None or scale.state == "none":
        return "No scale: type the weight"
    if scale.state != "ok":
        return f"Scale {scale.state}: type the weight"
    last = scale.last
    if last is None:
        return "Scale ok"
    moving = "" if last.stable else " ~ moving"
    return f"Scale {last.grams / 1000:.3f} kg{moving}"


class ScaleLine(Static):
    """What the pack station's scale reads."""

    DEFAULT_CSS = """
    ScaleLine {
        height: 1;
        padding: 0 1;
        color: ansi_bright_cyan;
    }
    """


class PackScreen(TerminalScreen):
    """Pack, driven by scans and the scale."""

    workflow = "pack"

    def compose(self) -> ComposeResult:
        """The common screen, with the scale line under the step panel."""
        for widget in super().compose():
            yield widget
            if isinstance(widget, StepPanel):
                yield ScaleLine(id="scale")

    def show(self, view: StepView, status: StatusInfo) -> None:
        """Render the view and what the scale reads."""
        super().show(view, status)
        self.show_scale()

    def show_scale(self) -> None:
        """Render the scale line from the app's session (a reading came in)."""
        session = getattr(self.app, "session", None)
        set_text(self.query_one(ScaleLine), scale_text(session.scale if session else None))
