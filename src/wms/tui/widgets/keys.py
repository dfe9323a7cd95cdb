"""The key bar at the bottom: the function keys, RF style, in 40 columns as well as in 80."""

from __future__ import annotations

from textual import events
from textual.widgets import Static

_KEYS = [("F1", "Help"), ("F3", "Back"), ("F4", "Done"), ("Esc", "Cancel")]
_DEMO_KEY = ("F2", "Demo")


class KeyBar(Static):
    """One line naming the keys, spaced out when there is room, packed when there is not."""

    def __init__(self, *, demo: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys = [*_KEYS, _DEMO_KEY] if demo else list(_KEYS)
        self.update(self.text(80))

    def text(self, width: int) -> str:
        """The keys as they fit in ``width`` columns."""
        wide = "  ".join(f"{key} {what}" for key, what in self._keys)
        if len(wide) <= width:
            return wide
        return " ".join(f"{key}{what}" for key, what in self._keys)

    def on_resize(self, event: events.Resize) -> None:
        """Re-fit on a terminal resize."""
        self.update(self.text(event.size.width))
