"""Label printing as workflows see it: a port that issues LPNs and prints labels; the printing
itself is queued as a job (wms.workflows.jobs), since it is network I/O."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the labels stack (reportlab) loads on the first print, not at start-up
    from wms.labels.labeller import Labeller


class LabelPort(Protocol):
    """What the workflows need from the label printer."""

    def new_lpn(self) -> str:
        """Issue a new licence plate number (never issued before on this terminal)."""

    def print_lpn(self, code: str) -> None:
        """Print a pallet's LPN label."""

    def print_location(self, code: str) -> None:
        """Print (reprint) a bin's location label."""


class LabellerPort:
    """The `LabelPort` on the terminal's `Labeller` (its settings, counters and spool)."""

    def __init__(self, labeller: Labeller) -> None:
        self.labeller = labeller

    def new_lpn(self) -> str:
        """One LPN from the terminal's counter."""
        [code] = self.labeller.new_lpns(1)
        return code

    def print_lpn(self, code: str) -> None:
        """Print on the default printer; an offline printer keeps the job in the spool."""
        from wms.labels.model import LpnLabel

        self.labeller.print([LpnLabel(code)])

    def print_location(self, code: str) -> None:
        """Print on the default printer."""
        from wms.labels.model import LocationLabel

        self.labeller.print([LocationLabel(code)])
