"""A bug in a workflow never stops the terminal: the operator sees an internal error to
acknowledge, the traceback is logged, the store holds no half operation, and the menu follows."""

from __future__ import annotations

import logging
from typing import ClassVar

import pytest

from tests.store_helpers import op_count, qty_at
from tests.tui.session_helpers import APPAREL, run, run_ok, session_at
from wms.domain.scan import Scan
from wms.services.context import Context
from wms.store.journal import Op
from wms.workflows.base import Level, Workflow
from wms.workflows.menu import MenuEntry, default_menu
from wms.workflows.receive import ReceiveWorkflow
from wms.workflows.session import Session
from wms.workflows.steps import Accepts, Steps, Takes

NOT_RECORDED = "Internal error — operation not recorded, tell your supervisor"


class BuggyWorkflow(Workflow):
    """Divides by zero on any scan; its prompt fails once ``broken_view`` is set."""

    name = "buggy"
    title = "Buggy"
    steps: ClassVar[Steps] = {"start": Accepts("Scan a bin", Takes.BIN)}
    broken_view = False

    def prompt(self) -> str:
        if self.broken_view:
            raise KeyError("prompt")
        return "Scan anything"

    def on_scan(self, scan: Scan) -> None:
        self.step = "half way"
        _ = 1 // 0


def buggy_session(ctx: Context) -> Session:
    menu = [*default_menu(), MenuEntry(99, "Buggy", BuggyWorkflow)]
    session = Session(ctx, menu)
    run_ok(session, "OP0001", "start buggy")
    return session


def test_a_failing_step_shows_an_internal_error_and_logs_the_traceback(
    ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    s = buggy_session(ctx)
    with caplog.at_level(logging.ERROR, logger="wms.workflows.session"):
        view = run(s, "A-01-01-A-1")
    assert view.level is Level.ERROR
    assert view.result == f"{NOT_RECORDED} (ZeroDivisionError)"
    assert view.prompt == "Scan or Enter to acknowledge"
    [record] = caplog.records
    assert record.getMessage() == "internal error in buggy at step half way"
    assert record.exc_info is not None
    assert record.exc_info[0] is ZeroDivisionError


def test_after_acknowledging_the_menu_shows_and_work_goes_on(ctx: Context) -> None:
    s = buggy_session(ctx)
    run(s, "A-01-01-A-1")
    assert run(s, "key ENTER").workflow == "Menu"
    assert s.workflow is None
    run_ok(s, "start receive", "PO-2026-0001", APPAREL)
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == 1


def test_a_failing_view_is_caught_too(ctx: Context) -> None:
    s = buggy_session(ctx)
    assert isinstance(s.workflow, BuggyWorkflow)
    s.workflow.broken_view = True
    assert s.view().result == f"{NOT_RECORDED} (KeyError)"
    assert run(s, "key ENTER").workflow == "Menu"


def test_a_bug_half_way_through_an_operation_leaves_nothing_in_the_store(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = session_at(ctx, "receive")
    run_ok(s, "PO-2026-0001")
    ops = op_count(ctx)

    def broken_record(self: Op, payload: dict[str, object]) -> int:
        raise RuntimeError("bug after the ledger postings")

    monkeypatch.setattr(Op, "record", broken_record)
    view = run(s, APPAREL)
    assert view.result == f"{NOT_RECORDED} (RuntimeError)"
    assert op_count(ctx) == ops
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == 0


def test_a_bug_after_the_commit_says_the_operation_was_recorded(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = session_at(ctx, "receive")
    run_ok(s, "PO-2026-0001")
    ops = op_count(ctx)

    def broken_ok(self: Workflow, result: str) -> None:
        raise ValueError("bug while showing the result")

    monkeypatch.setattr(ReceiveWorkflow, "ok", broken_ok)
    view = run(s, APPAREL)
    assert view.result == (
        "Internal error — operation recorded: do not redo it, tell your supervisor (ValueError)"
    )
    assert op_count(ctx) == ops + 1
    assert qty_at(ctx, "DOCK-01", "SKU-01401") == 1


def test_a_domain_refusal_keeps_the_workflow(ctx: Context) -> None:
    s = session_at(ctx, "receive")
    assert run(s, "PO-2099-1").result == "No document PO-2099-1"
    assert s.workflow is not None
    assert run(s, "key ENTER").workflow == "Receive"
