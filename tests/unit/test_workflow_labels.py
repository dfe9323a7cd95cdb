"""Labels from the workflows: a new pallet's LPN on receiving, a bin label from Inquiry."""

from __future__ import annotations

from tests.store_helpers import qty_at
from tests.tui.session_helpers import APPAREL, run, run_ok
from wms.services.context import Context
from wms.workflows.base import Level
from wms.workflows.menu import default_menu
from wms.workflows.replay import feed
from wms.workflows.session import Session


class FakeLabels:
    """Issues LPNs from 1 and records what was printed."""

    def __init__(self) -> None:
        self.issued = 0
        self.printed: list[str] = []

    def new_lpn(self) -> str:
        self.issued += 1
        return f"LPN{self.issued:08d}"

    def print_lpn(self, code: str) -> None:
        self.printed.append(code)

    def print_location(self, code: str) -> None:
        self.printed.append(code)


def _session(ctx: Context, labels: FakeLabels, workflow: str) -> Session:
    session = Session(ctx, default_menu(labels=labels))
    feed(session, "OP0001")
    feed(session, f"start {workflow}")
    return session


def test_new_pallet_issues_an_lpn_receives_onto_it_and_queues_its_label(ctx: Context) -> None:
    labels = FakeLabels()
    s = _session(ctx, labels, "receive")
    view = run_ok(s, "PO-2026-0001", "#NEXT")
    assert view.result == "New pallet LPN00000001: label printing"
    [job] = s.take_jobs()
    job.send()
    assert labels.printed == ["LPN00000001"]
    run_ok(s, APPAREL)
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == 1
    move = _session(ctx, labels, "move")
    run_ok(move, "LPN00000001", "STG-01")
    assert qty_at(ctx, "STG-01", "SKU-01401") == 1


def test_inquiry_reprints_the_label_of_the_bin_shown(ctx: Context) -> None:
    labels = FakeLabels()
    s = _session(ctx, labels, "inquiry")
    assert run_ok(s, "A-01-01-A-1").prompt == "Scan anything · #YES reprint bin label"
    run_ok(s, "#YES")
    [job] = s.take_jobs()
    job.send()
    assert labels.printed == ["A-01-01-A-1"]


def test_without_a_printer_a_new_pallet_is_refused(ctx: Context) -> None:
    s = Session(ctx)
    feed(s, "OP0001")
    feed(s, "start receive")
    view = run(s, "PO-2026-0001", "#NEXT")
    assert (view.level, view.result) == (Level.ERROR, "No label printer on this terminal")
