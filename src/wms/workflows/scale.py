"""The pack station's scale as workflows see it: the last reading, and whether it is news.

The scale reader (wms.scanner.scale) reports every change of reading; the session keeps the
last one here. A weight is taken once per placement: a settled reading above zero that differs
from what the scale showed when the last weight was taken (a parcel put down always moves the
reading), so a parcel left on the platter is never taken for the next one.
"""

from __future__ import annotations

from dataclasses import dataclass

from wms.domain.packing import Weighing


@dataclass
class ScaleState:
    """What the scale shows; ``state`` is for the status bar (``none``: no scale here)."""

    state: str = "none"
    last: Weighing | None = None
    fresh: bool = True  # moved, emptied or (re)connected since the last weight was taken

    def update(self, reading: Weighing) -> None:
        """A new reading from the scale: news when it differs from the last."""
        self.fresh = self.fresh or reading != self.last
        self.last = reading

    def lost(self, state: str) -> None:
        """The scale is gone (or reconnecting): its last reading is no weight any more."""
        self.state, self.last, self.fresh = state, None, True

    def take(self) -> int | None:
        """The weight of a newly placed parcel, once; None while there is none."""
        last = self.last
        if last is None or not last.stable or last.grams <= 0 or not self.fresh:
            return None
        self.fresh = False
        return last.grams
