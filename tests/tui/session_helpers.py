"""Driving a headless `Session` with replay lines, as an operator would scan (no Textual here:
the workflow unit tests in tests/unit use it too)."""

from __future__ import annotations

from wms.services.context import Context
from wms.workflows.base import Level, StepView
from wms.workflows.replay import feed
from wms.workflows.session import Session

FORMULA = "2000000000015"  # SKU-00001, lot-tracked infant formula (EAN-13 on the each)
COSMETIC = "2000000003016"  # SKU-00301, lot-tracked
APPAREL = "2000000014012"  # SKU-01401, untracked


def gs1(ean: str, lot: str, expiry: str) -> str:
    """A GS1-128 scan in HRI form: GTIN, expiry (YYMMDD), lot."""
    return f"(01)0{ean}(17){expiry}(10){lot}"


def session_at(ctx: Context, workflow: str, badge: str = "OP0001") -> Session:
    """A session logged on with ``badge`` and ``workflow`` started."""
    session = Session(ctx)
    assert feed(session, badge).level is Level.OK
    feed(session, f"start {workflow}")
    return session


def run(session: Session, *lines: str) -> StepView:
    """Feed every line; return the last view."""
    view = session.view()
    for line in lines:
        view = feed(session, line)
    return view


def run_ok(session: Session, *lines: str) -> StepView:
    """Feed every line, failing the test at the first refusal."""
    view = session.view()
    for line in lines:
        view = feed(session, line)
        assert view.level is not Level.ERROR, f"{line}: {view.result}"
    return view
