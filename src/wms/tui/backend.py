"""What the terminal app works on, and the messages of its start-up: the app paints log-on
first and an opener builds the `Backend` on a worker thread (see wms.tui.app)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from textual.message import Message

if TYPE_CHECKING:  # at run time these load with the store, off the UI thread
    from wms.labels.labeller import Labeller
    from wms.services.context import Context
    from wms.workflows.booking import ParcelBooking
    from wms.workflows.claims import TaskClaims
    from wms.workflows.info import SyncRunner
    from wms.workflows.printing import LabelPort
    from wms.workflows.session import Session
    from wms.workflows.settings import SettingsFiles


class DemoScanner(Protocol):
    """Something that sends a scan through the serial path (the demo's `PtyScanner`)."""

    def type(self, text: str) -> None:
        """Send one scan."""


class DemoScale(Protocol):
    """Something that puts a parcel on a scale read through the serial path (`PtyScale`)."""

    def place(self, grams: int) -> None:
        """Put ``grams`` on the platter."""


@dataclass(frozen=True)
class Backend:
    """What the app works on: the services' context, the label printer, the hub sync, task
    leases and online booking (None: this terminal has none); the Settings screen changes
    ``labeller``'s printer and saves to ``settings_files`` (None: settings are shown, not
    changed)."""

    ctx: Context
    labels: LabelPort | None = None
    sync_runner: SyncRunner | None = None
    labeller: Labeller | None = None
    settings_files: SettingsFiles | None = None
    claims: TaskClaims | None = None
    booking: ParcelBooking | None = None


class StoreOpened(Message):
    """The store is open and the session built (posted by the opener thread)."""

    def __init__(self, backend: Backend, session: Session) -> None:
        super().__init__()
        self.backend = backend
        self.session = session


class StoreFailed(Message):
    """The store could not be opened; ``reason`` says why, and what fixes it."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason
