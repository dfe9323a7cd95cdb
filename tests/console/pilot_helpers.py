"""Driving the console through Pilot without racing its deferred focus."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import TabbedContent

from wms.console.panes.base import Pane


async def show(pilot: Pilot[None], key: str) -> None:
    """Press a tab's key and wait until its first control has the focus: the console moves the
    focus after the tab's refresh, and on a loaded machine keys typed before then go elsewhere."""
    await pilot.press(key)
    for _ in range(200):
        active = pilot.app.query_one(TabbedContent).active
        pane = pilot.app.query_one(f"#{active}-pane", Pane)
        focused = pilot.app.focused
        if focused is not None and pane in focused.ancestors_with_self:
            return
        await pilot.pause(0.02)
    raise AssertionError(f"{key} never focused a control of its tab")
