"""The floor menu: numbered entries, 1-9 also command barcodes, and the keys every screen has."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from wms.domain.scan_schemes import Command
from wms.services.context import Actor, Context
from wms.workflows.base import Workflow
from wms.workflows.booking import ParcelBooking
from wms.workflows.claims import TaskClaims
from wms.workflows.count import CountWorkflow
from wms.workflows.dispatch import DispatchWorkflow
from wms.workflows.holds import HoldsWorkflow
from wms.workflows.inquiry import InquiryWorkflow
from wms.workflows.move import MoveWorkflow
from wms.workflows.pack import PackWorkflow
from wms.workflows.pick import PickWorkflow
from wms.workflows.printing import LabelPort
from wms.workflows.putaway import PutawayWorkflow
from wms.workflows.receive import ReceiveWorkflow
from wms.workflows.returns import ReturnsWorkflow

WorkflowFactory = Callable[[Context, Actor], Workflow]


@dataclass(frozen=True)
class MenuEntry:
    """A numbered menu entry, also a command barcode (#MENU1 … #MENU13) where one exists."""

    number: int
    title: str
    factory: WorkflowFactory

    @property
    def barcode(self) -> str | None:
        """The entry's command barcode, if there is one for its number."""
        command = Command.__members__.get(f"MENU{self.number}")
        return command.barcode if command else None


def default_menu(
    extra: list[tuple[str, WorkflowFactory]] | None = None,
    labels: LabelPort | None = None,
    claims: TaskClaims | None = None,
    *,
    booking: ParcelBooking | None = None,
) -> list[MenuEntry]:
    """The floor menu, plus ``extra`` entries (title, factory) after the built-in ones;
    ``labels`` prints pallet, bin and shipping labels (None: this terminal has no label
    printer); ``claims`` leases a pick task at the hub when it is started, ``booking`` books a
    parcel online with an API carrier (None: no hub)."""
    built_in: list[tuple[str, WorkflowFactory]] = [
        ("Receive", partial(ReceiveWorkflow, labels=labels)),
        ("Putaway", PutawayWorkflow),
        ("Pick", partial(PickWorkflow, claims=claims)),
        ("Count", CountWorkflow),
        ("Move", MoveWorkflow),
        ("Inquiry", partial(InquiryWorkflow, labels=labels)),
        ("Returns", ReturnsWorkflow),
        ("Holds", HoldsWorkflow),
        ("Pack", partial(PackWorkflow, labels=labels, booking=booking)),
        ("Dispatch", DispatchWorkflow),
    ]
    entries = [*built_in, *(extra or [])]
    return [MenuEntry(n, title, f) for n, (title, f) in enumerate(entries, start=1)]


COMMON_KEYS = (
    ("F1 / #HELP", "help"),
    ("F3 / #BACK", "back a step"),
    ("F4 / #DONE", "done / next"),
    ("Esc / #CANCEL", "cancel (asks first)"),
    ("Enter / scan", "acknowledge an error"),
    ("#LOGOFF", "log off"),
)
